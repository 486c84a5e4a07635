package io.statetrail.core.policy;

import io.statetrail.core.subject.Subject;
import java.util.List;
import java.util.Locale;

/**
 * The policy's {@code stores:} section: what discovery misses and who may change the store. Discovery finds the state
 * buckets from {@code states} keys and from the state calls seen, the lock tables from {@code lockTables} and the lock
 * calls, the KMS keys from the state writes; this adds to it.
 *
 * @param buckets more buckets that hold state
 * @param kmsKeys keys that encrypt state: key ARNs, or bare key ids (then any region and account)
 * @param admins  subject globs and {@code arn:} entries allowed to change the store: a weakening change they make is
 *                reported one severity lower, with {@code byAdmin: true}; a change that keeps the store safe raises
 *                nothing whoever made it
 */
public record StorePolicy(List<String> buckets, List<String> kmsKeys, List<Glob> admins) {

    public static final StorePolicy NONE = new StorePolicy(List.of(), List.of(), List.of());

    public StorePolicy {
        buckets = List.copyOf(buckets);
        kmsKeys = List.copyOf(kmsKeys);
        admins = List.copyOf(admins);
    }

    public boolean namesBucket(String bucket) {
        return bucket != null && buckets.contains(bucket);
    }

    /** Whether a {@code kmsKeys} entry names this key ARN (entries are ARNs or bare key ids; ids compare case-blind). */
    public boolean namesKey(String keyArn) {
        if (keyArn == null) {
            return false;
        }
        String id = keyId(keyArn);
        for (String k : kmsKeys) {
            if (k.equals(keyArn) || (!k.startsWith("arn:") && id != null && k.toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT)))) {
                return true;
            }
        }
        return false;
    }

    /** The key id of {@code arn:<partition>:kms:<region>:<account>:key/<id>}, or null. */
    public static String keyId(String keyArn) {
        int at = keyArn == null ? -1 : keyArn.indexOf(":key/");
        return at < 0 || !keyArn.startsWith("arn:") ? null : keyArn.substring(at + ":key/".length());
    }

    /** Whether the run that acted is an admin: its subject matches a subject glob, or one of its principals an arn: entry. */
    public boolean isAdmin(Subject subject, List<String> principalArns) {
        return Policy.anyMatches(admins, subject) || Policy.anyArnMatches(admins, principalArns);
    }
}
