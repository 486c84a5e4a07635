package io.statetrail.service.port;

import java.time.Instant;

/**
 * A successful {@code DeleteObjects} on a bucket, which CloudTrail logs without the keys it deleted, waiting for the
 * sweeper to judge it: does the bucket hold state, and which of its known state and lock objects are gone.
 *
 * @param stateKey {@code <bucket>/*}
 * @param callKey  the call's key ({@link io.statetrail.core.event.EventMeta#callKey()})
 * @param time     its eventTime
 */
public record BulkDelete(String stateKey, String callKey, Instant time) {

    public String bucket() {
        return stateKey.substring(0, stateKey.length() - 2);
    }
}
