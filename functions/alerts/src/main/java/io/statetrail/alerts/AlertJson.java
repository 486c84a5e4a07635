package io.statetrail.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.service.alert.Alert;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON message of one finding within an alert, as SNS subscribers and the local alert file receive it
 * (schema in {@code docs/alerts.md}): the finding in its usual JSON form, plus the group it was sent with.
 */
public final class AlertJson {

    public static final String SCHEMA = "statetrail.alert/v1";
    /** SNS takes at most 256 KiB per message, attributes included; stay well under it. */
    public static final int MAX_BYTES = 240 * 1024;
    /** When a message would be larger (a 64 KB subject repeated in the summary and chain), cut strings to this. */
    static final int CUT_STRINGS_TO = 4096;
    /** Ids of the group's other findings listed in each message. */
    static final int MAX_GROUP_IDS = 100;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    public static ObjectNode message(Alert alert, Finding finding) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema", SCHEMA);
        o.set("finding", FindingJson.toJson(finding));
        ObjectNode group = o.putObject("group");
        group.put("key", alert.groupKey());
        group.put("findings", alert.findings().size());
        group.put("count", alert.count());
        ArrayNode ids = group.putArray("findingIds");
        alert.findings().stream().limit(MAX_GROUP_IDS).forEach(f -> ids.add(f.id()));
        o.put("dashboardUrl", alert.dashboardUrl());
        if (!"raised".equals(alert.notice())) {
            // A reminder, resolution or follow-up about a finding paged before: what kind, and for an update what changed.
            ObjectNode notice = o.putObject("notice");
            notice.put("kind", alert.notice());
            notice.put("name", finding.details().getOrDefault("notice", alert.notice()));
            if (finding.details().containsKey("withdrawn")) {
                notice.put("reason", finding.details().get("withdrawn"));
            } else if (alert.isResolution() && finding.details().containsKey("resolved")) {
                notice.put("reason", finding.details().get("resolved"));
            } else if (alert.isStatusChange() && finding.statusChange() != null) {
                notice.put("reason", finding.statusChange().note());
            }
            if (!alert.changes().isEmpty()) {
                ArrayNode changes = notice.putArray("changes");
                for (Alert.Change c : alert.changes()) {
                    ObjectNode ch = changes.addObject();
                    ch.put("field", c.field());
                    ch.put("before", c.before());
                    ch.put("after", c.after());
                }
            }
        }
        return o;
    }

    /** The message as text, strings cut (and {@code "truncated": true}) when it would not fit in an SNS message. */
    public static String messageText(Alert alert, Finding finding) {
        ObjectNode o = message(alert, finding);
        String text = write(o);
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return text;
        }
        cut(o);
        o.put("truncated", true);
        return write(o);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void cut(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(cut(e.getValue().asText())));
                } else {
                    cut(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).isTextual()) {
                    arr.set(i, TextNode.valueOf(cut(arr.get(i).asText())));
                } else {
                    cut(arr.get(i));
                }
            }
            while (arr.size() > MAX_GROUP_IDS) {
                arr.remove(arr.size() - 1);
            }
        }
    }

    private static String cut(String s) {
        if (s.length() <= CUT_STRINGS_TO) {
            return s;
        }
        int end = CUT_STRINGS_TO;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
