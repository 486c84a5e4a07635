package io.statetrail.core.finding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of a finding, shared by the CLI, the store, alerts and the API. Field names are a contract. */
public final class FindingJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FindingJson() {
    }

    public static ObjectNode toJson(Finding f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", f.type());
        o.put("severity", f.severity().label());
        o.put("time", f.time() == null ? null : f.time().toString());
        o.put("account", f.account());
        o.put("subject", f.subject());
        o.put("repository", f.repository());
        o.put("ref", f.ref());
        o.put("roleArn", f.roleArn());
        o.put("stateKey", f.stateKey());
        o.put("accessKeyId", f.accessKeyId());
        ArrayNode ids = o.putArray("eventIds");
        f.eventIds().forEach(ids::add);
        o.put("summary", f.summary());
        o.put("id", f.id());
        o.put("runKey", f.runKey());
        ArrayNode chain = o.putArray("roleChain");
        f.roleChain().forEach(chain::add);
        o.put("count", f.count());
        o.put("lastSeen", f.lastSeen() == null ? null : f.lastSeen().toString());
        o.put("provisional", f.provisional());
        if (f.suppressed()) {
            // Only when true: the key is new and every other consumer of the JSON keeps reading what it read.
            o.put("suppressed", true);
        }
        o.put("status", f.status().label());
        if (f.statusChange() != null) {
            change(o.putObject("statusChange"), f.statusChange());
        }
        ObjectNode details = o.putObject("details");
        new java.util.TreeMap<>(f.details()).forEach(details::put);
        return o;
    }

    /** {@code {"status","by","at","note"}}: one entry of a finding's status history. */
    public static ObjectNode change(ObjectNode o, StatusChange c) {
        o.put("status", c.status().label());
        o.put("by", c.by());
        o.put("at", c.at().toString());
        o.put("note", c.note());
        return o;
    }

    /** The single-finding view: the finding with its whole status history, oldest first. */
    public static ObjectNode toJson(Finding f, List<StatusChange> history) {
        ObjectNode o = toJson(f);
        ArrayNode h = o.putArray("statusHistory");
        history.forEach(c -> change(h.addObject(), c));
        return o;
    }

    public static StatusChange changeFromJson(JsonNode c) {
        return new StatusChange(FindingStatus.parse(text(c, "status")), text(c, "by"), Instant.parse(c.path("at").asText()), text(c, "note"));
    }

    public static String toLine(Finding f) {
        try {
            return MAPPER.writeValueAsString(toJson(f));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Finding fromJson(JsonNode o) {
        List<String> ids = new ArrayList<>();
        o.path("eventIds").forEach(n -> ids.add(n.asText()));
        List<String> chain = new ArrayList<>();
        o.path("roleChain").forEach(n -> chain.add(n.asText()));
        Map<String, String> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("details").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            details.put(e.getKey(), e.getValue().asText());
        }
        return new Finding(text(o, "id"), text(o, "type"), Severity.parse(text(o, "severity")),
                o.hasNonNull("time") ? Instant.parse(o.get("time").asText()) : null, text(o, "account"), text(o, "subject"),
                text(o, "repository"), text(o, "ref"), text(o, "roleArn"), text(o, "stateKey"), text(o, "accessKeyId"),
                text(o, "runKey"), chain, ids, text(o, "summary"), o.path("count").asInt(1), details,
                o.hasNonNull("lastSeen") ? Instant.parse(o.get("lastSeen").asText()) : null, o.path("provisional").asBoolean(false),
                o.hasNonNull("statusChange") ? changeFromJson(o.get("statusChange")) : null);
    }

    public static Finding fromLine(String line) {
        try {
            return fromJson(MAPPER.readTree(line));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a finding: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
