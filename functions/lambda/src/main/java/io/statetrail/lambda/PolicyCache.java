package io.statetrail.lambda;

import io.statetrail.core.policy.Policy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The policy, reloaded after {@link #REFRESH} so an edit of the SSM parameter or S3 object takes effect without a
 * deployment (a SnapStart snapshot would otherwise keep the policy of the moment it was taken). A failed reload keeps
 * the last good policy and says so in the log; the very first load must succeed.
 */
public final class PolicyCache {

    public static final Duration REFRESH = Duration.ofMinutes(5);

    private final Supplier<Policy> load;
    private final Clock clock;
    private final Log log;
    private Policy policy;
    private Instant loadedAt;

    public PolicyCache(Supplier<Policy> load, Clock clock, Log log) {
        this.load = load;
        this.clock = clock;
        this.log = log;
    }

    public synchronized Policy current() {
        Instant now = clock.instant();
        if (policy == null) {
            policy = load.get();
            loadedAt = now;
        } else if (!now.isBefore(loadedAt.plus(REFRESH))) {
            try {
                policy = load.get();
            } catch (RuntimeException e) {
                log.warn("policy reload failed; keeping the last good policy").raw("error", e.getMessage()).write();
            }
            loadedAt = now;
        }
        return policy;
    }
}
