package io.statetrail.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Reads the {@code stores:} section of the policy (issue 19), with the loader's line-numbered errors. */
final class StoresSection {

    private static final Set<String> KEYS = Set.of("buckets", "kmsKeys", "admins");
    /** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");
    private static final Pattern KEY_ID = Pattern.compile("(mrk-)?[A-Za-z0-9-]{8,}");

    private StoresSection() {
    }

    static StorePolicy read(PolicyLoader loader, Node node) {
        MappingNode m = loader.mapping(node, "stores");
        List<String> buckets = List.of();
        List<String> keys = List.of();
        List<Glob> admins = List.of();
        for (NodeTuple t : m.getValue()) {
            String key = loader.key(t, KEYS, "stores");
            Node v = t.getValueNode();
            switch (key) {
                case "buckets" -> buckets = checked(loader, v, "stores.buckets", BUCKET,
                        "is not an S3 bucket name (a name, not an ARN or a path)");
                case "kmsKeys" -> keys = kmsKeys(loader, v);
                case "admins" -> admins = loader.strings(v, "stores.admins").stream().map(Glob::of).toList();
                default -> throw new IllegalStateException(key);
            }
        }
        return new StorePolicy(buckets, keys, admins);
    }

    private static List<String> kmsKeys(PolicyLoader loader, Node v) {
        List<String> out = new ArrayList<>();
        List<Node> items = loader.sequence(v, "stores.kmsKeys");
        List<String> values = loader.strings(v, "stores.kmsKeys");
        for (int i = 0; i < values.size(); i++) {
            String k = values.get(i);
            if (!KEY_ARN.matcher(k).matches() && (k.startsWith("arn:") || k.startsWith("alias/") || !KEY_ID.matcher(k).matches())) {
                throw loader.error(items.get(i), "stores.kmsKeys[" + i + "]: '" + k + "' is not a KMS key ARN"
                        + " (arn:aws:kms:<region>:<account>:key/<id>) or key id; an alias cannot be matched against CloudTrail");
            }
            out.add(k);
        }
        return out;
    }

    private static List<String> checked(PolicyLoader loader, Node v, String path, Pattern shape, String problem) {
        List<Node> items = loader.sequence(v, path);
        List<String> values = loader.strings(v, path);
        for (int i = 0; i < values.size(); i++) {
            if (!shape.matcher(values.get(i)).matches()) {
                throw loader.error(items.get(i), path + "[" + i + "]: '" + values.get(i) + "' " + problem);
            }
        }
        return values;
    }
}
