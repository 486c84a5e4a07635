package io.statetrail.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the {@code stores:} section of the policy (issue 19). The JSON Schema has checked its shape (keys, lists of
 * strings); this checks what a schema says badly: bucket names and KMS key references, with the loader's errors.
 */
final class StoresSection {

    /** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");
    private static final Pattern KEY_ID = Pattern.compile("(mrk-)?[A-Za-z0-9-]{8,}");

    private StoresSection() {
    }

    /** @param errorAt the loader's error at a JSON Pointer, given the problem */
    static StorePolicy read(JsonNode stores, BiFunction<String, String, PolicyException> errorAt) {
        List<String> buckets = strings(stores.path("buckets"));
        for (int i = 0; i < buckets.size(); i++) {
            if (!BUCKET.matcher(buckets.get(i)).matches()) {
                throw errorAt.apply("/stores/buckets/" + i, "'" + buckets.get(i) + "' is not an S3 bucket name (a name, not an ARN or a path)");
            }
        }
        List<String> keys = strings(stores.path("kmsKeys"));
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            if (!KEY_ARN.matcher(k).matches() && (k.startsWith("arn:") || k.startsWith("alias/") || !KEY_ID.matcher(k).matches())) {
                throw errorAt.apply("/stores/kmsKeys/" + i, "'" + k + "' is not a KMS key ARN"
                        + " (arn:aws:kms:<region>:<account>:key/<id>) or key id; an alias cannot be matched against CloudTrail");
            }
        }
        List<Glob> admins = strings(stores.path("admins")).stream().map(Glob::of).toList();
        return new StorePolicy(buckets, keys, admins);
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }
}
