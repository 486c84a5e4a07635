package io.statetrail.core.policy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the policy YAML. Works on SnakeYAML's node tree rather than a data binding so that every error
 * names the line it is about, and unknown keys are refused (a typo such as {@code writer:} must not
 * silently turn into "nobody may write").
 */
public final class PolicyLoader {

    private static final Set<String> TOP = Set.of("roles", "states", "lockTables", "networks");
    private static final Set<String> ROLE = Set.of("arn", "subjects", "providers");
    private static final Set<String> STATE = Set.of("key", "writers", "readers", "staleLockAfter");

    private final String source;

    private PolicyLoader(String source) {
        this.source = source;
    }

    public static Policy load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PolicyException(file + ": policy is not valid UTF-8");
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read policy: " + e.getMessage());
        }
    }

    public static Policy parse(String yaml, String source) {
        return new PolicyLoader(source).read(new StringReader(yaml));
    }

    private Policy read(Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(4 * 1024 * 1024);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PolicyException(source + ":" + line + ": invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new PolicyException(source + ": invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new PolicyException(source + ":1: policy is empty; expected keys roles, states, lockTables");
        }
        MappingNode top = mapping(root, "policy");
        List<Policy.RoleEntry> roles = new ArrayList<>();
        List<Policy.StateEntry> states = new ArrayList<>();
        List<String> lockTables = new ArrayList<>();
        Networks networks = Networks.NONE;
        for (NodeTuple t : top.getValue()) {
            String key = key(t, TOP, "policy");
            Node v = t.getValueNode();
            switch (key) {
                case "roles" -> {
                    List<Node> items = sequence(v, "roles");
                    for (int i = 0; i < items.size(); i++) {
                        roles.add(role(items.get(i), "roles[" + i + "]"));
                    }
                }
                case "states" -> {
                    List<Node> items = sequence(v, "states");
                    for (int i = 0; i < items.size(); i++) {
                        states.add(state(items.get(i), "states[" + i + "]"));
                    }
                }
                case "lockTables" -> lockTables.addAll(strings(v, "lockTables"));
                case "networks" -> networks = networks(v);
                default -> throw new IllegalStateException(key);
            }
        }
        return new Policy(roles, states, lockTables, networks);
    }

    private Policy.RoleEntry role(Node node, String path) {
        MappingNode m = mapping(node, path);
        String arn = null;
        List<Glob> subjects = null;
        List<Glob> providers = List.of();
        for (NodeTuple t : m.getValue()) {
            String key = key(t, ROLE, path);
            Node v = t.getValueNode();
            switch (key) {
                case "arn" -> arn = scalar(v, path + ".arn");
                case "subjects" -> subjects = globs(v, path + ".subjects");
                case "providers" -> providers = globs(v, path + ".providers");
                default -> throw new IllegalStateException(key);
            }
        }
        if (arn == null) {
            throw error(node, path + ": missing 'arn' (a role ARN glob such as arn:aws:iam::123456789012:role/gha-deploy)");
        }
        if (!arn.startsWith("arn:") && !arn.equals("*")) {
            throw error(node, path + ".arn: '" + arn + "' is not a role ARN (it must start with arn:)");
        }
        if (subjects == null) {
            throw error(node, path + ": missing 'subjects' (a list of subject globs; use [] to allow none)");
        }
        return new Policy.RoleEntry(Glob.of(arn), subjects, providers, line(node));
    }

    private Policy.StateEntry state(Node node, String path) {
        MappingNode m = mapping(node, path);
        String key = null;
        List<Glob> writers = null;
        List<Glob> readers = null;
        Duration stale = Policy.DEFAULT_STALE_LOCK_AFTER;
        for (NodeTuple t : m.getValue()) {
            String k = key(t, STATE, path);
            Node v = t.getValueNode();
            switch (k) {
                case "key" -> key = scalar(v, path + ".key");
                case "writers" -> writers = globs(v, path + ".writers");
                case "readers" -> readers = globs(v, path + ".readers");
                case "staleLockAfter" -> stale = duration(v, path + ".staleLockAfter");
                default -> throw new IllegalStateException(k);
            }
        }
        if (key == null) {
            throw error(node, path + ": missing 'key' (a glob over <bucket>/<state key>, such as acme-tfstate/prod/*)");
        }
        if (writers == null) {
            throw error(node, path + ": missing 'writers' (use [] when nobody may write)");
        }
        return new Policy.StateEntry(Glob.of(key), writers, readers == null ? writers : readers, stale, line(node));
    }

    /** {@code networks}: IPv4 and IPv6 CIDR blocks (or single addresses), each error naming its line. */
    private Networks networks(Node v) {
        List<Node> items = sequence(v, "networks");
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String text = scalar(items.get(i), "networks[" + i + "]");
            try {
                Networks.block(text);
            } catch (IllegalArgumentException e) {
                throw error(items.get(i), "networks[" + i + "]: " + e.getMessage());
            }
            cidrs.add(text.trim());
        }
        return Networks.of(cidrs);
    }

    private Duration duration(Node v, String path) {
        String text = scalar(v, path);
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw error(v, path + ": '" + text + "' must be a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw error(v, path + ": '" + text + "' is not an ISO-8601 duration such as PT1H or PT30M");
        }
    }

    private List<Glob> globs(Node v, String path) {
        return strings(v, path).stream().map(Glob::of).toList();
    }

    private List<String> strings(Node v, String path) {
        List<String> out = new ArrayList<>();
        List<Node> items = sequence(v, path);
        for (int i = 0; i < items.size(); i++) {
            String s = scalar(items.get(i), path + "[" + i + "]");
            if (s.isEmpty()) {
                throw error(items.get(i), path + "[" + i + "]: empty string");
            }
            out.add(s);
        }
        return out;
    }

    private String key(NodeTuple t, Set<String> allowed, String path) {
        String key = scalar(t.getKeyNode(), path + " key");
        if (!allowed.contains(key)) {
            throw error(t.getKeyNode(), path + ": unknown key '" + key + "' (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
        return key;
    }

    private MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            // Composing (unlike constructing) does not enforce LoaderOptions.allowDuplicateKeys: check here.
            Set<String> seen = new HashSet<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !seen.add(k.getValue())) {
                    throw error(k, path + ": duplicate key '" + k.getValue() + "'");
                }
            }
            return m;
        }
        throw error(node, path + ": expected a mapping, found " + describe(node));
    }

    private List<Node> sequence(Node node, String path) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        throw error(node, path + ": expected a list, found " + describe(node));
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        throw error(node, path + ": expected a string, found " + describe(node));
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            return "'" + s.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private PolicyException error(Node node, String message) {
        return new PolicyException(source + ":" + line(node) + ": " + message);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
