package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Session;
import io.statetrail.core.terraform.Lock;
import java.time.Duration;
import java.time.Instant;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lock still held at {@code now} longer than the state's {@code staleLockAfter}, or past the expiry of the
 * credentials of the run that took it (the run can no longer release it): every later plan and apply on that state
 * fails until someone force-unlocks it. The run's credentials expire with the latest of its sessions, not with the one
 * that made the lock call: a chained role session lasts at most an hour, so long applies re-assume their backend role.
 * The live sweeper re-checks the lock still exists before alerting.
 *
 * <p>Each finding carries a verdict on forcing the lock open: whether the holder run has ended (its credentials expired
 * and it made no call since), whether it wrote the state after taking the lock, and how long since its last call. The
 * sweeper adds the {@code terraform force-unlock} command once it has read the lock's ID where the lock lives.
 */
public final class StaleLock implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STALE_LOCK;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        HolderCalls calls = null;
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
            calls = calls != null ? calls : HolderCalls.of(e);
            Verdict v = Verdict.of(lock, expiry, calls, e.now());
            out.add(e.draft(type(), lock.acquired())
                    .chain(lock.holder())
                    .stateKey(lock.stateKey())
                    .detail("lockStore", lock.store())
                    .detail("heldFor", held.toString())
                    .detail("reason", reason)
                    .detail("credentialsExpire", expiry == null ? null : expiry.toString())
                    .details(v.details())
                    .summary("Lock on " + lock.stateKey() + " (" + lock.store() + ") taken by " + RunGroups.who(lock.holder())
                            + " is still held: " + reason + ". " + v.advice())
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

    /** The last call (up to now) and the state writes of every run, from one pass over the trail. */
    record HolderCalls(Map<String, Instant> lastCall, Map<String, List<StateAccess>> writes) {
        static HolderCalls of(Evaluation e) {
            Map<String, Instant> last = new HashMap<>();
            Map<String, List<StateAccess>> writes = new HashMap<>();
            for (TrailEvent t : e.events()) {
                if (t.meta().actor() == null || t.meta().actor().accessKeyId() == null || t.meta().time().isAfter(e.now())) {
                    continue; // judged as of now: a sweep judges a settle window ago
                }
                String run = e.chainOf(t).runKey();
                last.merge(run, t.meta().time(), (a, b) -> a.isAfter(b) ? a : b);
                if (t instanceof StateAccess s && s.operation().changesState() && !s.meta().failed()) {
                    writes.computeIfAbsent(run, k -> new ArrayList<>()).add(s);
                }
            }
            return new HolderCalls(last, writes);
        }
    }

    /**
     * Whether it is safe to force-unlock: has the holder run ended (its credentials expired, and no call of it since),
     * did it write the state after taking the lock, how long since its last call.
     */
    record Verdict(String verdict, Boolean ended, boolean wrote, Instant lastCall, Duration sinceLastCall, String advice) {

        static Verdict of(Lock lock, Instant expiry, HolderCalls calls, Instant now) {
            String run = lock.holder().runKey();
            Instant acquired = lock.acquired().meta().time();
            Instant last = calls.lastCall().get(run);
            boolean wrote = calls.writes().getOrDefault(run, List.of()).stream()
                    .anyMatch(w -> w.stateKey().equals(lock.stateKey()) && !w.meta().time().isBefore(acquired) && !w.meta().time().isAfter(now));
            Duration since = last == null ? null : Duration.between(last, now);
            String ago = since == null ? "" : " (its last call " + (since.toMinutes() < 1 ? since.toSeconds() + "s" : pretty(since)) + " ago)";
            if (expiry == null) {
                return new Verdict("unknown", null, wrote, last, since, "Whether the run that holds it ended is unknown: its"
                        + " credentials are not known to expire" + ago + "; confirm the job is over before a force-unlock");
            }
            if (!now.isAfter(expiry)) {
                return new Verdict("holder-running", false, wrote, last, since, "The run that holds it may still be running: its"
                        + " credentials are valid until " + expiry + ago + "; do not force-unlock before it ends");
            }
            if (last != null && last.isAfter(expiry)) {
                return new Verdict("holder-running", false, wrote, last, since, "The run that holds it called after its known"
                        + " credentials expired" + ago + ", with a session statetrail has not seen; do not force-unlock yet");
            }
            return new Verdict("holder-ended", true, wrote, last, since, "The run that holds it has ended (its credentials expired at "
                    + expiry + ago + ")" + (wrote ? ", after writing the state: force-unlock, then check the state, the apply may have"
                    + " stopped part-way" : " without writing the state: it is safe to force-unlock"));
        }

        Map<String, String> details() {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("verdict", verdict);
            if (ended != null) {
                d.put("holderEnded", String.valueOf(ended));
            }
            d.put("wroteStateAfterLock", String.valueOf(wrote));
            if (lastCall != null) {
                d.put("holderLastCall", lastCall.toString());
                d.put("sinceHolderLastCall", sinceLastCall.toString());
            }
            d.put("advice", advice);
            return d;
        }
    }
}
