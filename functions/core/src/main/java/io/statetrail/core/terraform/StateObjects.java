package io.statetrail.core.terraform;

import io.statetrail.core.policy.Policy;

/**
 * Tells Terraform state objects and their locks apart from other S3 objects and DynamoDB items.
 *
 * <p>Terraform's S3 backend keeps a state at {@code <key>} (workspaces under {@code env:/<workspace>/<key>}), its
 * S3-native lock at {@code <key>.tflock} (Terraform 1.10+), and with DynamoDB locking an item whose {@code LockID} is
 * {@code <bucket>/<key>}, plus a digest item {@code <bucket>/<key>-md5} that is not a lock
 * (hashicorp/terraform internal/backend/remote-state/s3/client.go).
 */
public final class StateObjects {

    public static final String LOCK_SUFFIX = ".tflock";
    public static final String DIGEST_SUFFIX = "-md5";
    public static final String LOCK_ID = "LockID";

    private final Policy policy;

    public StateObjects(Policy policy) {
        this.policy = policy;
    }

    public enum Kind { STATE, LOCK, NONE }

    /** What an S3 object is; {@code stateKey} of the result is {@code <bucket>/<state key>}. */
    public record Classified(Kind kind, String stateKey) {
        static final Classified NONE = new Classified(Kind.NONE, null);
    }

    public Classified classifyObject(String bucket, String key) {
        if (bucket == null || key == null || bucket.isEmpty() || key.isEmpty()) {
            return Classified.NONE;
        }
        if (key.endsWith(LOCK_SUFFIX) && key.length() > LOCK_SUFFIX.length()) {
            String stateKey = bucket + "/" + key.substring(0, key.length() - LOCK_SUFFIX.length());
            return new Classified(Kind.LOCK, stateKey);
        }
        String stateKey = bucket + "/" + key;
        if (key.endsWith(".tfstate") || policy.coversStateKey(stateKey)) {
            return new Classified(Kind.STATE, stateKey);
        }
        return Classified.NONE;
    }

    /** A table the policy lists in {@code lockTables} (not just any table, as when none are listed). */
    public boolean isListedLockTable(String table) {
        return table != null && policy.lockTables().contains(table);
    }

    /** Terraform's own digest item ({@code LockID = <bucket>/<key>-md5}): written with every state, not a lock. */
    public static boolean isDigest(String keyAttribute, String lockId) {
        return LOCK_ID.equals(keyAttribute) && lockId != null && lockId.endsWith(DIGEST_SUFFIX);
    }

    /** A DynamoDB lock item: the state key it locks, or null for digests and anything that is not a Terraform lock. */
    public String lockedStateKey(String table, String keyAttribute, String lockId) {
        if (!LOCK_ID.equals(keyAttribute) || table == null || lockId == null || !policy.isLockTable(table)) {
            return null;
        }
        if (lockId.endsWith(DIGEST_SUFFIX) || lockId.indexOf('/') <= 0) {
            return null;
        }
        return lockId;
    }
}
