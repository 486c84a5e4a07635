package io.statetrail.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The policy's JSON Schema ({@code docs/policy.schema.json}, on the class path beside this class), checked with networknt's
 * validator, and its errors told in the loader's words: where (the path, such as {@code states[0].writers[1]}) and what,
 * with the hints the schema's {@code errorMessage} keywords give (the convention networknt and editors share).
 */
final class PolicySchema {

    static final String RESOURCE = "policy.schema.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode DOCUMENT = read();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().errorMessageKeyword("errorMessage").build()))
            .getSchema(DOCUMENT);

    /**
     * One violation: the JSON Pointer of the value it is about, and what to say.
     *
     * @param atKey about the key at {@code pointer} (an unknown key), not its value
     */
    record Violation(String pointer, String message, boolean atKey) {
    }

    private PolicySchema() {
    }

    /** The schema as published, for tools that want to read it. */
    static JsonNode document() {
        return DOCUMENT;
    }

    private static JsonNode read() {
        try (InputStream in = PolicySchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path (the build copies it from docs/)");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Violations of the schema, in the validator's order. */
    static List<Violation> check(JsonNode policy) {
        List<Error> errors = SCHEMA.validate(policy, c -> c.executionConfig(e -> e.formatAssertionsEnabled(true)));
        List<Violation> out = new ArrayList<>();
        java.util.Set<String> anyOfSeen = new java.util.HashSet<>();
        for (Error e : errors) {
            String pointer = pointer(e.getInstanceLocation());
            // networknt reports the failed branches of an anyOf, not the anyOf: say once what the anyOf wants.
            JsonNode anyOf = anyOfOwner(e);
            if (anyOf != null) {
                if (anyOfSeen.add(pointer + "|" + System.identityHashCode(anyOf))) {
                    out.add(new Violation(pointer, anyOf.path("errorMessage").path("anyOf").asText(e.getMessage()), false));
                }
                continue;
            }
            boolean atKey = "additionalProperties".equals(e.getKeyword()) && e.getProperty() != null;
            if (atKey) {
                pointer = pointer + "/" + escape(e.getProperty());
            }
            out.add(new Violation(pointer, message(e), atKey));
        }
        return out;
    }

    private static String message(Error e) {
        JsonNode schema = schemaOf(e);
        JsonNode hints = schema.path("errorMessage");
        JsonNode value = e.getInstanceNode();
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        return switch (keyword) {
            case "additionalProperties" -> "unknown key '" + e.getProperty() + "' (expected one of "
                    + String.join(", ", new TreeSet<>(fieldNames(schema.path("properties")))) + ")";
            case "required" -> "missing '" + e.getProperty() + "'"
                    + (hints.path("required").hasNonNull(e.getProperty()) ? " (" + hints.path("required").get(e.getProperty()).asText() + ")" : "");
            case "type" -> "expected " + typeName(schema.path("type").asText()) + ", found " + describe(value);
            case "minLength" -> hints.path("minLength").asText("must not be empty");
            case "pattern", "format" -> "'" + text(value) + "' " + hints.path(keyword).asText("is not valid here");
            case "enum" -> "'" + text(value) + "' " + hints.path("enum").asText("is not allowed here") + " (expected one of "
                    + String.join(", ", fieldValues(schema.path("enum"))) + ")";
            default -> e.getMessage();
        };
    }

    /** The schema object whose keyword failed: the schema location without its last token (the keyword). */
    private static JsonNode schemaOf(Error e) {
        NodePath fragment = e.getSchemaLocation() == null ? null : e.getSchemaLocation().getFragment();
        return fragment == null ? DOCUMENT : schemaAt(fragment, fragment.getNameCount() - 1);
    }

    /** The schema object holding the {@code anyOf} one of whose branches this error comes from, or null. */
    private static JsonNode anyOfOwner(Error e) {
        NodePath fragment = e.getSchemaLocation() == null ? null : e.getSchemaLocation().getFragment();
        if (fragment == null) {
            return null;
        }
        for (int i = fragment.getNameCount() - 1; i >= 0; i--) {
            if ("anyOf".equals(String.valueOf(fragment.getElement(i)))) {
                return schemaAt(fragment, i);
            }
        }
        return null;
    }

    /** The schema node at the first {@code count} tokens of a fragment. */
    private static JsonNode schemaAt(NodePath fragment, int count) {
        JsonNode node = DOCUMENT;
        for (int i = 0; i < count; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
        }
        return node;
    }

    static String pointer(NodePath path) {
        if (path == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            b.append('/').append(escape(String.valueOf(path.getElement(i))));
        }
        return b.toString();
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> fieldValues(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String typeName(String type) {
        return switch (type) {
            case "array" -> "a list";
            case "object" -> "a mapping";
            case "string" -> "a string";
            default -> type;
        };
    }

    static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "nothing";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return "'" + value.asText() + "'";
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asText();
    }
}
