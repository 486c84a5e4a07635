package io.statetrail.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.subject.SubjectParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored JSON form of {@link TrailEvent}s: lossless ({@code fromJson(toJson(e)).equals(e)}) for all five kinds.
 * Fields added later ({@code tags}, {@code vpcEndpointId}) are written only when present, so what an older version
 * stored reads back as it was.
 * A web identity keeps only the raw subject and the provider; the parsed subject is rebuilt with
 * {@link SubjectParser#parse(String, String)}, exactly as the classifier built it. The model has no field for a
 * session token or secret, so none can be written here.
 *
 * <p>One CloudTrail record can hold several events sharing one {@link EventMeta} (a CopyObject between two states);
 * {@link #recordToJson(List)} writes the meta once: {@code {"meta":{…},"events":[{…},…]}}.
 */
public final class TrailEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrailEventJson() {
    }

    // ---- records (events sharing one meta) ----

    /** The events of one record; they must share one {@link EventMeta}. */
    public static String recordToJson(List<TrailEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events");
        }
        EventMeta meta = events.get(0).meta();
        ObjectNode o = MAPPER.createObjectNode();
        o.set("meta", meta(meta));
        ArrayNode list = o.putArray("events");
        for (TrailEvent e : events) {
            if (!e.meta().equals(meta)) {
                throw new IllegalArgumentException("events of one record must share their meta");
            }
            list.add(body(e));
        }
        return write(o);
    }

    public static List<TrailEvent> recordFromJson(String json) {
        JsonNode o = read(json);
        EventMeta meta = meta(o.path("meta"));
        List<TrailEvent> out = new ArrayList<>();
        for (JsonNode e : o.path("events")) {
            out.add(body(e, meta));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("stored record without events");
        }
        return List.copyOf(out);
    }

    // ---- single events ----

    public static String toJson(TrailEvent event) {
        ObjectNode o = body(event);
        o.set("meta", meta(event.meta()));
        return write(o);
    }

    public static TrailEvent fromJson(String json) {
        JsonNode o = read(json);
        return body(o, meta(o.path("meta")));
    }

    // ---- bodies ----

    private static ObjectNode body(TrailEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        if (e instanceof RoleAssumed r) {
            o.put("kind", "RoleAssumed");
            o.put("method", r.method());
            o.put("issuedKey", r.issuedKey());
            o.put("roleArn", r.roleArn());
            o.put("sessionName", r.sessionName());
            o.put("assumedRoleArn", r.assumedRoleArn());
            o.put("assumedRoleId", r.assumedRoleId());
            o.put("expiration", time(r.expiration()));
            webIdentity(o, r.webIdentity());
            o.put("sourceIdentity", r.sourceIdentity());
            if (!r.tags().isEmpty()) {
                ArrayNode tags = o.putArray("tags");
                for (SessionTag t : r.tags()) {
                    tags.addObject().put("kind", t.kind().label()).put("key", t.key()).put("value", t.value());
                }
            }
        } else if (e instanceof RoleAssumptionFailed f) {
            o.put("kind", "RoleAssumptionFailed");
            o.put("method", f.method());
            o.put("roleArn", f.roleArn());
            webIdentity(o, f.webIdentity());
        } else if (e instanceof StateAccess s) {
            o.put("kind", "StateAccess");
            o.put("stateKey", s.stateKey());
            o.put("operation", s.operation().name());
            o.put("lockStore", s.lockStore());
            o.put("objectKey", s.objectKey());
            // Only when present, so the stored form of every other state call stays as it was.
            if (s.versionId() != null) {
                o.put("versionId", s.versionId());
            }
            if (s.kmsKeyId() != null) {
                o.put("kmsKeyId", s.kmsKeyId());
            }
        } else if (e instanceof StoreChange c) {
            o.put("kind", "StoreChange");
            o.put("store", c.store().name());
            o.put("name", c.name());
            o.put("objectKey", c.objectKey());
            o.put("request", c.request());
            o.put("response", c.response());
        } else if (e instanceof TrustPolicyChanged t) {
            o.put("kind", "TrustPolicyChanged");
            o.put("roleName", t.roleName());
            o.put("roleArn", t.roleArn());
            o.put("document", t.document());
        }
        return o;
    }

    private static TrailEvent body(JsonNode o, EventMeta meta) {
        String kind = text(o, "kind");
        if (kind == null) {
            throw new IllegalArgumentException("stored event without kind");
        }
        return switch (kind) {
            case "RoleAssumed" -> new RoleAssumed(meta, text(o, "method"), text(o, "issuedKey"), text(o, "roleArn"),
                    text(o, "sessionName"), text(o, "assumedRoleArn"), text(o, "assumedRoleId"), instant(o, "expiration"),
                    webIdentity(o), text(o, "sourceIdentity"), tags(o));
            case "RoleAssumptionFailed" -> new RoleAssumptionFailed(meta, text(o, "method"), text(o, "roleArn"), webIdentity(o));
            case "StateAccess" -> new StateAccess(meta, text(o, "stateKey"), StateAccess.Operation.valueOf(text(o, "operation")),
                    text(o, "lockStore"), text(o, "objectKey"), text(o, "versionId"), text(o, "kmsKeyId"));
            case "StoreChange" -> new StoreChange(meta, StoreChange.Store.valueOf(text(o, "store")), text(o, "name"), text(o, "objectKey"),
                    text(o, "request"), text(o, "response"));
            case "TrustPolicyChanged" -> new TrustPolicyChanged(meta, text(o, "roleName"), text(o, "roleArn"), text(o, "document"));
            default -> throw new IllegalArgumentException("unknown stored event kind '" + kind + "'");
        };
    }

    private static List<SessionTag> tags(JsonNode o) {
        List<SessionTag> out = new ArrayList<>();
        for (JsonNode t : o.path("tags")) {
            out.add(new SessionTag(SessionTag.Kind.byLabel(text(t, "kind")), text(t, "key"), text(t, "value")));
        }
        return out;
    }

    private static void webIdentity(ObjectNode o, WebIdentity w) {
        if (w == null) {
            return;
        }
        ObjectNode n = o.putObject("webIdentity");
        n.put("subject", w.subject().raw());
        n.put("provider", w.provider());
        n.put("audience", w.audience());
    }

    private static WebIdentity webIdentity(JsonNode o) {
        JsonNode n = o.get("webIdentity");
        if (n == null || n.isNull()) {
            return null;
        }
        String provider = text(n, "provider");
        return new WebIdentity(SubjectParser.parse(text(n, "subject"), provider), provider, text(n, "audience"));
    }

    // ---- meta and actor ----

    private static ObjectNode meta(EventMeta m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("eventId", m.eventId());
        o.put("recipientAccountId", m.recipientAccountId());
        o.put("sharedEventId", m.sharedEventId());
        o.put("time", time(m.time()));
        o.put("eventSource", m.eventSource());
        o.put("eventName", m.eventName());
        o.put("region", m.region());
        o.put("sourceIp", m.sourceIp());
        o.put("userAgent", m.userAgent());
        o.put("errorCode", m.errorCode());
        o.put("errorMessage", m.errorMessage());
        Actor a = m.actor();
        if (a != null) {
            ObjectNode n = o.putObject("actor");
            n.put("type", a.type());
            n.put("principalId", a.principalId());
            n.put("arn", a.arn());
            n.put("accountId", a.accountId());
            n.put("accessKeyId", a.accessKeyId());
            n.put("userName", a.userName());
            n.put("identityProvider", a.identityProvider());
            n.put("sessionIssuerArn", a.sessionIssuerArn());
            n.put("federatedProvider", a.federatedProvider());
            n.put("invokedBy", a.invokedBy());
        }
        if (m.vpcEndpointId() != null) {
            o.put("vpcEndpointId", m.vpcEndpointId());
        }
        if (m.vpcEndpointAccountId() != null) {
            o.put("vpcEndpointAccountId", m.vpcEndpointAccountId());
        }
        return o;
    }

    private static EventMeta meta(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("stored event without meta");
        }
        JsonNode a = o.get("actor");
        Actor actor = a == null || a.isNull() ? null : new Actor(text(a, "type"), text(a, "principalId"), text(a, "arn"),
                text(a, "accountId"), text(a, "accessKeyId"), text(a, "userName"), text(a, "identityProvider"),
                text(a, "sessionIssuerArn"), text(a, "federatedProvider"), text(a, "invokedBy"));
        return new EventMeta(text(o, "eventId"), text(o, "recipientAccountId"), text(o, "sharedEventId"), instant(o, "time"),
                text(o, "eventSource"), text(o, "eventName"), text(o, "region"), text(o, "sourceIp"), text(o, "userAgent"),
                text(o, "errorCode"), text(o, "errorMessage"), actor, text(o, "vpcEndpointId"), text(o, "vpcEndpointAccountId"));
    }

    // ---- helpers ----

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(JsonNode o, String field) {
        String s = text(o, field);
        return s == null ? null : Instant.parse(s);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored event: " + e.getOriginalMessage());
        }
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
