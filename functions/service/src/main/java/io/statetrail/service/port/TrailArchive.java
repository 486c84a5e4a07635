package io.statetrail.service.port;

/**
 * The trail bucket, read-only: CloudTrail log files as stored (gzipped), fetched whole for the backfill. A log file is
 * at most a few megabytes (CloudTrail delivers about every five minutes per account and region).
 */
public interface TrailArchive {

    /**
     * The bytes of one object, as stored.
     *
     * @throws Unreadable when it cannot be read (after the client's own retries of throttling and server errors)
     */
    byte[] read(String bucket, String key);

    /** An object that could not be read, and why (the service's error code and message where there is one). */
    final class Unreadable extends RuntimeException {
        private final boolean retryable;

        public Unreadable(String reason, boolean retryable) {
            super(reason);
            this.retryable = retryable;
        }

        /** Worth another try (throttling, a server error, a timeout); not for a missing object or a refusal. */
        public boolean retryable() {
            return retryable;
        }
    }
}
