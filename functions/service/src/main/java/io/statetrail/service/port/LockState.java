package io.statetrail.service.port;

import java.time.Instant;

/**
 * The current state of one Terraform lock (a state key in one lock store) as CloudTrail tells it: the latest lock or
 * unlock call, and for a held lock who took it. Kept newest-wins on ({@code lastOpAt}, {@code lastOpCallKey}), so an
 * older call arriving late never overwrites it.
 *
 * @param lockStore {@code s3} or {@code dynamodb:<table>}
 * @param open      the latest call acquired the lock and no release or later acquisition was seen
 */
public record LockState(
        String stateKey,
        String lockStore,
        boolean open,
        Instant lastOpAt,
        String lastOpCallKey,
        Instant acquiredAt,
        String acquiredCallKey,
        String acquiredEventId,
        String holderKey,
        String holderRunKey,
        String subject,
        String repository,
        String account,
        String region) {

    /** Ordering of lock states by their latest call: time, then call key. */
    public int compareLastOp(LockState other) {
        int c = lastOpAt.compareTo(other.lastOpAt);
        return c != 0 ? c : lastOpCallKey.compareTo(other.lastOpCallKey);
    }
}
