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
 */
public record StateAccess(EventMeta meta, String stateKey, Operation operation, String lockStore, String objectKey) implements TrailEvent {

    /**
     * READ … UNLOCK name a state (or its lock). BULK_DELETE: a {@code DeleteObjects} on a bucket, whose keys CloudTrail
     * does not log. LOCK_TABLE_CHANGE: a write on a lock table whose logged request names no {@code LockID}
     * (a PartiQL statement, a batch or transaction CloudTrail shows without keys): an unexplained change of the lock table.
     */
    public enum Operation {
        READ, WRITE, DELETE, LOCK, UNLOCK, BULK_DELETE, LOCK_TABLE_CHANGE;

        public boolean isLock() {
            return this == LOCK || this == UNLOCK;
        }

        public boolean changesState() {
            return this == WRITE || this == DELETE;
        }

        /** Names one state (or its lock), as opposed to a bucket or a lock table as a whole. */
        public boolean namesState() {
            return this != BULK_DELETE && this != LOCK_TABLE_CHANGE;
        }
    }

    public String bucket() {
        int slash = stateKey.indexOf('/');
        return slash < 0 ? stateKey : stateKey.substring(0, slash);
    }
}
