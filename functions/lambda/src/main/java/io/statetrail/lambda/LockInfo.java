package io.statetrail.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.service.query.LockDetails;
import java.util.Optional;

/**
 * Terraform's lock body ({@code LockInfo} in hashicorp/terraform internal/states/statemgr/locker.go):
 * {@code {"ID","Operation","Info","Who","Version","Created","Path"}}, stored as the {@code Info} attribute of the
 * DynamoDB lock item and as the content of the {@code .tflock} object.
 */
final class LockInfo {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A lock body is a few hundred bytes; anything much larger is not one. */
    static final int MAX_BYTES = 64 * 1024;

    private LockInfo() {
    }

    static Optional<LockDetails> parse(String json) {
        if (json == null || json.isBlank() || json.length() > MAX_BYTES) {
            return Optional.empty();
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new LockDetails(text(n, "ID"), text(n, "Operation"), text(n, "Who"), text(n, "Version"),
                    text(n, "Created"), text(n, "Path")));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
