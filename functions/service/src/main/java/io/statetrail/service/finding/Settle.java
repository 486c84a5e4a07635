package io.statetrail.service.finding;

import io.statetrail.core.finding.Finding;
import java.time.Duration;
import java.time.Instant;

/**
 * When a finding may be paged. CloudTrail delivers records minutes late and out of order, so a finding that a late
 * record could still undo ({@link Finding#provisional()}: lock pairing, same-second ties, a run not yet traced to its
 * login) waits until its latest evidence is older than the settle window; any other finding pages at once. The due
 * time comes from event times only, so it is the same whatever order the records arrived in.
 *
 * @param window how late CloudTrail records may arrive and still be waited for (default {@link #DEFAULT_WINDOW})
 */
public record Settle(Duration window) {

    /**
     * 15 minutes: CloudTrail delivers most events within 5 minutes of the call, data events and cross-account copies
     * later; in our delivery simulations ({@code docs/performance.md}) records up to 15 minutes late made every
     * transient page disappear.
     */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final Settle DEFAULT = new Settle(DEFAULT_WINDOW);
    /** Pages everything at once (the behaviour before the settle window): for tests and comparisons. */
    public static final Settle NONE = new Settle(Duration.ZERO);

    public Settle {
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("settle window must be zero or positive: " + window);
        }
    }

    /** When this finding may be paged: at once ({@link Instant#EPOCH}), or when its evidence has settled. */
    public Instant dueAt(Finding f) {
        if (!f.provisional() || f.lastSeen() == null) {
            return Instant.EPOCH;
        }
        return f.lastSeen().plus(window);
    }

    /** Whether the finding may be paged at {@code now}. */
    public boolean settled(Finding f, Instant now) {
        return !dueAt(f).isAfter(now);
    }
}
