package io.statetrail.service.sweep;

import io.statetrail.core.policy.Policy;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.TrailLookup;
import java.time.Duration;
import java.util.Collection;

/**
 * Runs every few minutes: raises {@code stale-lock} only after re-checking the lock still exists (or says it could not
 * be verified), reminds at an interval, resolves when the lock is gone; looks up missing issuing events with
 * CloudTrail before raising {@code unattributed-session}.
 */
public final class Sweeper {

    private final AuditStore store;
    private final Policy policy;
    private final LockProbe locks;
    private final TrailLookup lookup;
    private final Collection<String> destinations;
    private final Duration reminderEvery;
    private final Duration unattributedGrace;

    public Sweeper(AuditStore store, Policy policy, LockProbe locks, TrailLookup lookup, Collection<String> destinations,
                   Duration reminderEvery, Duration unattributedGrace) {
        this.store = store;
        this.policy = policy;
        this.locks = locks;
        this.lookup = lookup;
        this.destinations = destinations;
        this.reminderEvery = reminderEvery;
        this.unattributedGrace = unattributedGrace;
    }

    public SweepResult sweep(java.time.Instant now) {
        throw new UnsupportedOperationException("being written");
    }

    /** What a sweep did. */
    public record SweepResult(int locksChecked, int staleRaised, int reminders, int resolved, int unverified,
                              int lookedUp, int unattributedRaised) {
    }
}
