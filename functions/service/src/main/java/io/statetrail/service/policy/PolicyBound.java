package io.statetrail.service.policy;

import io.statetrail.core.policy.Policy;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Something built from the policy (an {@code Ingestor}, a {@code Sweeper}), rebuilt when the policy changes. The
 * functions reload the policy every few minutes, so that an edit takes effect without a deployment; whatever was built
 * from the old one must not outlive it. Built on first use, and again only when the source hands out another policy
 * (a reload that failed keeps the last good one, so nothing is rebuilt).
 */
public final class PolicyBound<T> {

    private final Supplier<Policy> policies;
    private final Function<Policy, T> build;
    private Policy policy;
    private T built;

    /**
     * @param policies the current policy (the same instance until it is reloaded)
     * @param build    what depends on it
     */
    public PolicyBound(Supplier<Policy> policies, Function<Policy, T> build) {
        this.policies = Objects.requireNonNull(policies);
        this.build = Objects.requireNonNull(build);
    }

    /** What the current policy gives; a policy that cannot be loaded at all throws here. */
    public synchronized T get() {
        Policy current = policies.get();
        if (current != policy || built == null) {
            built = build.apply(current);
            policy = current;
        }
        return built;
    }
}
