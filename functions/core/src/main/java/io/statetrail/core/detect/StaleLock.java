package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Session;
import io.statetrail.core.terraform.Lock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock still held at {@code now} longer than the state's {@code staleLockAfter}, or past the expiry of the
 * credentials of the run that took it (the run can no longer release it): every later plan and apply on that state
 * fails until someone force-unlocks it. The run's credentials expire with the latest of its sessions, not with the one
 * that made the lock call: a chained role session lasts at most an hour, so long applies re-assume their backend role.
 * The live sweeper re-checks the lock still exists before alerting.
 */
public final class StaleLock implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STALE_LOCK;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (Lock lock : e.locks()) {
            if (!lock.isOpen()) {
                continue;
            }
            Instant acquired = lock.acquired().meta().time();
            Duration held = Duration.between(acquired, e.now());
            Duration limit = e.policy().staleLockAfter(lock.stateKey());
            Session session = e.sessionOf(lock.acquired());
            Instant expiry = session == null ? null : e.lineage().latestExpiryOfRun(lock.holder().runKey(), e.now());
            boolean tooLong = held.compareTo(limit) > 0;
            boolean expired = expiry != null && e.now().isAfter(expiry);
            if (!tooLong && !expired) {
                continue;
            }
            String reason = tooLong ? "held " + pretty(held) + ", longer than " + pretty(limit)
                    : "the credentials of the run that took it expired at " + expiry;
            out.add(e.draft(type(), lock.acquired())
                    .chain(lock.holder())
                    .stateKey(lock.stateKey())
                    .detail("lockStore", lock.store())
                    .detail("heldFor", held.toString())
                    .detail("reason", reason)
                    .detail("credentialsExpire", expiry == null ? null : expiry.toString())
                    .summary("Lock on " + lock.stateKey() + " (" + lock.store() + ") taken by " + RunGroups.who(lock.holder())
                            + " is still held: " + reason)
                    .identity(lock.stateKey(), lock.store(), lock.acquired().meta().callKey())
                    .build());
        }
        return out;
    }

    static String pretty(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 120) {
            return minutes + "m";
        }
        long hours = d.toHours();
        return hours < 48 ? hours + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m") : d.toDays() + "d";
    }
}
