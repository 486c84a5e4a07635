package io.statetrail.core.event;

/**
 * Something done to a Terraform state object or its lock.
 *
 * @param stateKey  {@code <bucket>/<state object key>}; for locks, the state the lock protects (Terraform's lock Path);
 *                  for a {@link Operation#BULK_DELETE} {@code <bucket>/*}; for a {@link Operation#LOCK_TABLE_CHANGE}
 *                  {@code dynamodb:<table>/*}
 * @param lockStore for lock operations: {@code s3} (a {@code .tflock} object) or {@code dynamodb:<table>}; the lock table
 *                  for a {@link Operation#LOCK_TABLE_CHANGE}; null otherwise
 * @param objectKey the S3 object key or DynamoDB {@code LockID} actually touched; null when the record names none
 * @param versionId the object version a {@link Operation#DELETE_VERSION} or {@link Operation#DELETE_MARKER_REMOVED}
 *                  named; null otherwise
 * @param kmsKeyId  for a write: the KMS key that encrypted it, as the record names it
 *                  ({@code x-amz-server-side-encryption-aws-kms-key-id}, an ARN or a bare id); null when not logged
 */
public record StateAccess(EventMeta meta, String stateKey, Operation operation, String lockStore, String objectKey,
                          String versionId, String kmsKeyId) implements TrailEvent {

    public StateAccess(EventMeta meta, String stateKey, Operation operation, String lockStore, String objectKey) {
        this(meta, stateKey, operation, lockStore, objectKey, null, null);
    }

    /**
     * READ … UNLOCK name a state (or its lock). BULK_DELETE: a {@code DeleteObjects} on a bucket, whose keys CloudTrail
     * does not log. LOCK_TABLE_CHANGE: a write on a lock table whose logged request names no {@code LockID}
     * (a PartiQL statement, a batch or transaction CloudTrail shows without keys): an unexplained change of the lock table.
     * DELETE_VERSION: a {@code DeleteObject} with a {@code versionId}, which removes that version for good;
     * DELETE_MARKER_REMOVED: one whose response says the version was a delete marker, so an older state comes back.
     */
    public enum Operation {
        READ, WRITE, DELETE, LOCK, UNLOCK, BULK_DELETE, LOCK_TABLE_CHANGE, DELETE_VERSION, DELETE_MARKER_REMOVED;

        public boolean isLock() {
            return this == LOCK || this == UNLOCK;
        }

        /** Writes, deletes and deletes of versions: what only a writer may do. */
        public boolean changesState() {
            return this == WRITE || this == DELETE || this == DELETE_VERSION || this == DELETE_MARKER_REMOVED;
        }

        /** Names one state (or its lock), as opposed to a bucket or a lock table as a whole. */
        public boolean namesState() {
            return this != BULK_DELETE && this != LOCK_TABLE_CHANGE;
        }

        /** A version of the state removed for good, or a delete marker removed (issue 19). */
        public boolean deletesVersion() {
            return this == DELETE_VERSION || this == DELETE_MARKER_REMOVED;
        }
    }

    public String bucket() {
        int slash = stateKey.indexOf('/');
        return slash < 0 ? stateKey : stateKey.substring(0, slash);
    }
}
