package io.statetrail.service.sweep;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.finding.UnitFindings;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.Findings.StoredFinding;
import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.StoreWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sweeper's look at each weakened store in AWS (issue 19), as the lock probes look at a stale lock: is versioning
 * still suspended, TTL still on, point-in-time recovery still off, the key still disabled or pending deletion. The
 * finding then says {@code verified} and {@code stillWeak} (and what was seen); a store found restored resolves it, with
 * a {@code resolved} follow-up to everyone paged, even when the restoring change never reached statetrail. A setting the
 * probe cannot look at stays {@code verified: false}, with the reason, until a change in the trail restores it.
 */
final class StoreChecks {

    /** Stores looked at per sweep at most. */
    static final int STORES_PER_SWEEP = 50;

    private final AuditStore store;
    private final StoreProbe probe;
    private final Duration recheckEvery;

    /** @param recheckEvery how long a store's look stands before the next (the stale-lock reminder interval) */
    StoreChecks(AuditStore store, StoreProbe probe, Duration recheckEvery) {
        this.store = store;
        this.probe = probe;
        this.recheckEvery = recheckEvery;
    }

    /** What one sweep did here. */
    record Result(int checked, int resolved, int unverified) {
    }

    Result sweep(Instant now, UnitFindings findings) {
        int checked = 0;
        int resolved = 0;
        int unverified = 0;
        for (StoreWatch w : store.storesToWatch(STORES_PER_SWEEP)) {
            if (w.checkedAt() != null && now.isBefore(w.checkedAt().plus(recheckEvery))) {
                continue;
            }
            Optional<StoredFinding> stored = store.storedFinding(w.findingId());
            if (stored.isEmpty() || stored.get().isWithdrawn() || stored.get().finding().details().containsKey(UnitFindings.RESOLVED_AT)) {
                store.unwatchStore(w.findingId()); // withdrawn, or restored by a change in the trail meanwhile
                continue;
            }
            checked++;
            StoreProbe.Check c = probe.check(w);
            StoredFinding s = stored.get();
            Map<String, String> details = new TreeMap<>(s.finding().details());
            details.put("checkedAt", now.toString());
            details.put("verification", c.seen());
            String summary = s.finding().summary();
            switch (c.state()) {
                case RESTORED -> {
                    String resolution = "the sweeper found " + w.setting() + " of " + w.name() + " restored: " + c.seen();
                    details.put("verified", "true");
                    details.put("stillWeak", "false");
                    details.put(UnitFindings.RESOLVED_AT, now.toString());
                    details.put("resolution", resolution);
                    Finding f = s.finding().with(summary, details);
                    store.put(new StoredFinding(f, s.scope(), s.owner(), null));
                    findings.resolve(f, resolution);
                    store.storeChecked(w.checked(now, false, c.seen(), now));
                    resolved++;
                }
                case WEAK -> {
                    details.put("verified", "true");
                    details.put("stillWeak", "true");
                    put(s, summary, details);
                    store.storeChecked(w.checked(now, true, c.seen(), null));
                }
                default -> {
                    unverified++;
                    details.put("verified", "false");
                    details.remove("stillWeak");
                    put(s, summary, details);
                    store.storeChecked(w.checked(now, null, c.seen(), null));
                }
            }
        }
        return new Result(checked, resolved, unverified);
    }

    /** Stores what the look found on the finding (no message: the page already said the store was weakened). */
    private void put(StoredFinding s, String summary, Map<String, String> details) {
        Map<String, String> before = new TreeMap<>(s.finding().details());
        before.remove("checkedAt");
        Map<String, String> after = new TreeMap<>(details);
        after.remove("checkedAt");
        if (!Objects.equals(before, after)) {
            store.put(new StoredFinding(s.finding().with(summary, details), s.scope(), s.owner(), null));
        }
    }
}
