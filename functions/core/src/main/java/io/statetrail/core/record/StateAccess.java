package io.statetrail.core.record;

/**
 * Something done to a Terraform state object or its lock.
 *
 * @param stateKey  {@code <bucket>/<state object key>}; for locks, the state the lock protects (Terraform's lock Path)
 * @param lockStore for lock operations: {@code s3} (a {@code .tflock} object) or {@code dynamodb:<table>}; null otherwise
 * @param objectKey the S3 object key or DynamoDB {@code LockID} actually touched
 */
public record StateAccess(EventMeta meta, String stateKey, Operation operation, String lockStore, String objectKey) implements TrailEvent {

    public enum Operation {
        READ, WRITE, DELETE, LOCK, UNLOCK;

        public boolean isLock() {
            return this == LOCK || this == UNLOCK;
        }

        public boolean changesState() {
            return this == WRITE || this == DELETE;
        }
    }

    public String bucket() {
        int slash = stateKey.indexOf('/');
        return slash < 0 ? stateKey : stateKey.substring(0, slash);
    }
}
