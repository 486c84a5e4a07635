package io.statetrail.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the policy YAML. SnakeYAML composes the node tree (which knows every line), the tree becomes JSON with a map
 * from each value's JSON Pointer to its node, the policy's JSON Schema ({@link PolicySchema}) checks it, and every error
 * names the line it is about. Unknown keys are refused (a typo such as {@code writer:} must not silently turn into
 * "nobody may write"), and so are duplicate keys, which JSON cannot hold.
 *
 * <p>{@code stores:} and {@code networks:} are checked against the schema and not used here.
 */
public final class PolicyLoader {

    private final String source;
    /** Suppressions that expired before this day are refused; null: not judged. */
    private final LocalDate today;
    /** The node of every value, by its JSON Pointer; an object's keys under {@code <pointer>/<key>#key}. */
    private final Map<String, Node> nodes = new HashMap<>();

    private PolicyLoader(String source, LocalDate today) {
        this.source = source;
        this.today = today;
    }

    /** Loads the policy as of today (UTC): a suppression that has expired is refused. */
    public static Policy load(Path file) {
        return load(file, LocalDate.now(java.time.ZoneOffset.UTC));
    }

    /** @param today a suppression that expired before this day is refused with its line */
    public static Policy load(Path file, LocalDate today) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), today);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PolicyException(file + ": policy is not valid UTF-8");
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read policy: " + e.getMessage());
        }
    }

    /** Parses the policy as of today (UTC): a suppression that has expired is refused. */
    public static Policy parse(String yaml, String source) {
        return parse(yaml, source, LocalDate.now(java.time.ZoneOffset.UTC));
    }

    /** @param today a suppression that expired before this day is refused with its line */
    public static Policy parse(String yaml, String source, LocalDate today) {
        return new PolicyLoader(source, today).read(yaml);
    }

    private Policy read(String yaml) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(4 * 1024 * 1024);
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PolicyException(source + ":" + line + ": invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new PolicyException(source + ": invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new PolicyException(source + ":1: policy is empty; expected keys roles, states, lockTables");
        }
        JsonNode tree = json(root, "");
        List<PolicySchema.Violation> violations = new ArrayList<>(PolicySchema.check(tree));
        if (!violations.isEmpty()) {
            // An unknown key first (a typo such as writer: also makes writers: missing), then the first in the file.
            violations.sort(java.util.Comparator.comparing((PolicySchema.Violation v) -> !v.atKey()).thenComparingInt(v -> line(nodeOf(v))));
            PolicySchema.Violation first = violations.get(0);
            String where = first.atKey() ? first.pointer().substring(0, first.pointer().lastIndexOf('/')) : first.pointer();
            throw new PolicyException(source + ":" + line(nodeOf(first)) + ": " + path(where) + ": " + first.message());
        }
        List<Policy.RoleEntry> roles = new ArrayList<>();
        List<Policy.StateEntry> states = new ArrayList<>();
        List<Policy.Suppression> suppressions = new ArrayList<>();
        for (int i = 0; i < tree.path("roles").size(); i++) {
            roles.add(role(tree.path("roles").get(i), "/roles/" + i));
        }
        for (int i = 0; i < tree.path("states").size(); i++) {
            states.add(state(tree.path("states").get(i), "/states/" + i));
        }
        for (int i = 0; i < tree.path("suppressions").size(); i++) {
            suppressions.add(suppression(tree.path("suppressions").get(i), "/suppressions/" + i));
        }
        StorePolicy stores = tree.has("stores") ? StoresSection.read(tree.path("stores"), this::errorAt) : StorePolicy.NONE;
        return new Policy(roles, states, strings(tree.path("lockTables")), stores, suppressions, networks(tree.path("networks")));
    }

    /** {@code networks}: IPv4 and IPv6 CIDR blocks (or single addresses), each error naming its line. */
    private Networks networks(JsonNode list) {
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String text = list.get(i).asText();
            try {
                Networks.block(text);
            } catch (IllegalArgumentException e) {
                throw errorAt("/networks/" + i, e.getMessage());
            }
            cidrs.add(text.trim());
        }
        return Networks.of(cidrs);
    }

    // ---- YAML nodes into JSON, remembering where each value was ----

    private JsonNode json(Node node, String pointer) {
        nodes.put(pointer, node);
        if (node instanceof MappingNode m) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
                if (key == null) {
                    throw error(t.getKeyNode(), path(pointer) + ": a key must be a string, found " + describe(t.getKeyNode()));
                }
                // Composing (unlike constructing) does not enforce LoaderOptions.allowDuplicateKeys: check here.
                if (o.has(key)) {
                    throw error(t.getKeyNode(), path(pointer) + ": duplicate key '" + key + "'");
                }
                String child = pointer + "/" + PolicySchema.escape(key);
                nodes.put(child + "#key", t.getKeyNode());
                o.set(key, json(t.getValueNode(), child));
            }
            return o;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                a.add(json(items.get(i), pointer + "/" + i));
            }
            return a;
        }
        ScalarNode scalar = (ScalarNode) node;
        // Every scalar is text, as the policy means it (a subject "yes" or a table "2024" stays a string); only an
        // empty value is nothing.
        return Tag.NULL.equals(scalar.getTag()) ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(scalar.getValue());
    }

    /** The node a violation is about: an unknown key's key, else its value, or the nearest parent there is. */
    private Node nodeOf(PolicySchema.Violation v) {
        if (v.atKey() && nodes.containsKey(v.pointer() + "#key")) {
            return nodes.get(v.pointer() + "#key");
        }
        String p = v.pointer();
        while (!nodes.containsKey(p) && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return nodes.get(p);
    }

    /** {@code /states/0/writers/1} as people read it: {@code states[0].writers[1]}; the root is "policy". */
    static String path(String pointer) {
        if (pointer.isEmpty()) {
            return "policy";
        }
        StringBuilder b = new StringBuilder();
        for (String token : pointer.substring(1).split("/", -1)) {
            String t = token.replace("~1", "/").replace("~0", "~");
            if (t.matches("[0-9]{1,9}")) {
                b.append('[').append(t).append(']');
            } else {
                b.append(b.length() == 0 ? "" : ".").append(t);
            }
        }
        return b.toString();
    }

    // ---- the policy from a valid tree ----

    private Policy.RoleEntry role(JsonNode r, String pointer) {
        return new Policy.RoleEntry(Glob.of(r.path("arn").asText()), globs(r.path("subjects")), globs(r.path("providers")),
                line(nodes.get(pointer)));
    }

    private Policy.StateEntry state(JsonNode s, String pointer) {
        List<Glob> writers = globs(s.path("writers"));
        List<Glob> readers = s.has("readers") ? globs(s.path("readers")) : writers;
        Duration stale = s.has("staleLockAfter") ? duration(s.path("staleLockAfter").asText(), pointer + "/staleLockAfter")
                : Policy.DEFAULT_STALE_LOCK_AFTER;
        return new Policy.StateEntry(Glob.of(s.path("key").asText()), writers, readers, stale, line(nodes.get(pointer)));
    }

    private Policy.Suppression suppression(JsonNode s, String pointer) {
        LocalDate expires = null;
        if (s.hasNonNull("expires")) {
            try {
                expires = LocalDate.parse(s.path("expires").asText());
            } catch (DateTimeParseException e) {
                throw error(nodes.get(pointer + "/expires"), path(pointer + "/expires") + ": '" + s.path("expires").asText()
                        + "' is not a date such as 2027-01-31");
            }
            // A lapsed acceptance must be renewed or removed on purpose, not left to look as if it still held.
            if (today != null && today.isAfter(expires)) {
                throw error(nodes.get(pointer + "/expires"), path(pointer + "/expires") + ": expired on " + expires
                        + " (today is " + today + "); renew it with a new date or remove the entry");
            }
        }
        if (!s.hasNonNull("subject") && !s.hasNonNull("role") && !s.hasNonNull("state") && !s.hasNonNull("principal")) {
            // The schema already says so; kept here so an entry can never suppress a whole finding type.
            throw error(nodes.get(pointer), path(pointer) + ": needs at least one of subject, role, state, principal");
        }
        return new Policy.Suppression(s.path("type").asText(), glob(s, "subject"), glob(s, "role"), glob(s, "state"), glob(s, "principal"),
                s.path("reason").asText(), expires, line(nodes.get(pointer)));
    }

    private static Glob glob(JsonNode object, String field) {
        return object.hasNonNull(field) ? Glob.of(object.get(field).asText()) : null;
    }

    private Duration duration(String text, String pointer) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw error(nodes.get(pointer), path(pointer) + ": '" + text + "' must be a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw error(nodes.get(pointer), path(pointer) + ": '" + text + "' is not an ISO-8601 duration such as PT1H or PT30M");
        }
    }

    private static List<Glob> globs(JsonNode list) {
        return strings(list).stream().map(Glob::of).toList();
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            return "'" + s.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    /** An error at the value a JSON Pointer names, with its line and path as people read them. */
    PolicyException errorAt(String pointer, String problem) {
        return error(nodes.get(pointer), path(pointer) + ": " + problem);
    }

    private PolicyException error(Node node, String message) {
        return new PolicyException(source + ":" + line(node) + ": " + message);
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
