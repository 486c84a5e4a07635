package io.statetrail.service.port;

import io.statetrail.service.query.LockDetails;
import java.util.Optional;

/**
 * Looks at a Terraform lock where it lives: GetItem of the {@code LockID} in the lock table, or GetObject/HeadObject of
 * the {@code .tflock} object. Used to read the lock body on acquisition (CloudTrail never shows it) and by the
 * sweeper to check a lock still exists before calling it stale.
 */
public interface LockProbe {

    enum State { HELD, GONE, UNKNOWN }

    /**
     * @param lockStore {@code s3} or {@code dynamodb:<table>}
     * @param account   account that owns the lock table or bucket (for a cross-account reader role)
     * @param region    region of the lock table or bucket
     * @return HELD with its body when readable, GONE, or UNKNOWN when the store cannot be reached (local runs)
     */
    Probe probe(String stateKey, String lockStore, String account, String region);

    /**
     * Whether an S3 object exists, without reading it ({@code HeadObject}), through the same reader role as the lock
     * probe: how the sweeper verifies what a {@code DeleteObjects} call, whose keys are not logged, removed.
     *
     * @return HELD when it exists, GONE when it does not, UNKNOWN when it cannot be looked at (local runs, access denied)
     */
    default Probe object(String bucket, String key, String account, String region) {
        return Probe.unknown("objects are not looked at here");
    }

    record Probe(State state, Optional<LockDetails> details, String reason) {
        public static Probe unknown(String reason) {
            return new Probe(State.UNKNOWN, Optional.empty(), reason);
        }
    }
}
