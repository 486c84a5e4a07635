package io.statetrail.core.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.event.SessionTag;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The session tags of a role assumption's {@code requestParameters}, read defensively: {@code tags} is logged as a list
 * of {@code {"key","value"}} (IAM User Guide, "Example AWS STS role chaining API event"), {@code incomingTransitiveTags}
 * and {@code principalTags} as maps. Either shape is accepted for each, key casing too; numbers and booleans are read
 * as text, anything else is passed over; at most {@link SessionTag#MAX_TAGS} of each kind.
 */
final class SessionTags {

    private SessionTags() {
    }

    static List<SessionTag> of(JsonNode request) {
        if (request == null || !request.isObject()) {
            return List.of();
        }
        List<SessionTag> out = new ArrayList<>();
        read(out, request.get("tags"), SessionTag.Kind.TAG);
        read(out, request.get("incomingTransitiveTags"), SessionTag.Kind.TRANSITIVE);
        read(out, request.get("principalTags"), SessionTag.Kind.PRINCIPAL);
        return out;
    }

    private static void read(List<SessionTag> out, JsonNode node, SessionTag.Kind kind) {
        if (node == null) {
            return;
        }
        int n = 0;
        if (node.isArray()) {
            for (JsonNode tag : node) {
                String key = scalar(field(tag, "key", "Key"));
                String value = scalar(field(tag, "value", "Value"));
                if (key != null && value != null && n++ < SessionTag.MAX_TAGS) {
                    out.add(new SessionTag(kind, key, value));
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String value = scalar(e.getValue());
                if (!e.getKey().isEmpty() && value != null && n++ < SessionTag.MAX_TAGS) {
                    out.add(new SessionTag(kind, e.getKey(), value));
                }
            }
        }
    }

    private static JsonNode field(JsonNode tag, String... names) {
        if (tag == null || !tag.isObject()) {
            return null;
        }
        for (String name : names) {
            if (tag.has(name)) {
                return tag.get(name);
            }
        }
        return null;
    }

    private static String scalar(JsonNode v) {
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
