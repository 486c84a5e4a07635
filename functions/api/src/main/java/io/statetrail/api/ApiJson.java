package io.statetrail.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.query.Page;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The API's JSON, written with our own mapper rather than the HTTP framework's, so the local server, the Lambda and
 * {@code statetrail query --format jsonl} give byte-identical output. Findings use {@link FindingJson} (the contract
 * shared with replay and alerts); instants are ISO-8601 strings; record components keep their declared names.
 */
public final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("statetrail")
                    .addSerializer(Instant.class, new ToStringSerializer<>(Instant.class))
                    .addSerializer(Severity.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Severity s, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(s.label());
                        }
                    })
                    .addSerializer(Finding.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Finding f, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeTree(FindingJson.toJson(f));
                        }
                    }))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ApiJson() {
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** {@code {"items":[…],"next":"cursor"|null}} */
    public static ObjectNode page(Page<?> page) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode items = o.putArray("items");
        for (Object item : page.items()) {
            items.add(tree(item));
        }
        o.put("next", page.next());
        return o;
    }

    public static ArrayNode array(List<?> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(v -> a.add(tree(v)));
        return a;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value instanceof JsonNode ? value : tree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"error":{"status":400,"code":"bad-query","message":"…"}}} */
    public static String error(int status, String code, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode e = o.putObject("error");
        e.put("status", status);
        e.put("code", code);
        e.put("message", message);
        return write(o);
    }

    private static final class ToStringSerializer<T> extends JsonSerializer<T> {
        private final Class<T> type;

        ToStringSerializer(Class<T> type) {
            this.type = type;
        }

        @Override
        public void serialize(T value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(value.toString());
        }

        @Override
        public Class<T> handledType() {
            return type;
        }
    }
}
