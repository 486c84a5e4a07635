package io.statetrail.service.port;

/**
 * Looks at a store where it lives (issue 19): a bucket's versioning ({@code GetBucketVersioning}), a lock table's TTL
 * ({@code DescribeTimeToLive}), point-in-time recovery ({@code DescribeContinuousBackups}), existence and deletion
 * protection ({@code DescribeTable}), a KMS key's state ({@code DescribeKey}). Settings it cannot look at, and stores it
 * cannot reach, are UNKNOWN with the reason, never RESTORED.
 */
public interface StoreProbe {

    enum State { WEAK, RESTORED, UNKNOWN }

    /** @param watch what is weakened and where */
    Check check(StoreWatch watch);

    /** What was seen: the state, and what the store answered ({@code Status: Suspended}, {@code KeyState: Disabled}…). */
    record Check(State state, String seen) {
        public static Check unknown(String reason) {
            return new Check(State.UNKNOWN, reason);
        }
    }

    /** For local runs: nothing is reachable. */
    StoreProbe NONE = w -> Check.unknown("stores are not looked at in a local run");
}
