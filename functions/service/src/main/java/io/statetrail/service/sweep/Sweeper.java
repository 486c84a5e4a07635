package io.statetrail.service.sweep;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.detect.StateDeleted;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.ForceUnlockCommand;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.finding.UnitFindings;
import io.statetrail.service.ingest.Neighbourhood;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs every few minutes: raises {@code stale-lock} only after re-checking the lock still exists (or says it could not
 * be verified), reminds at an interval, resolves when the lock is gone; looks up missing issuing events with
 * CloudTrail before raising {@code unattributed-session}; looks at each weakened store in AWS ({@link StoreChecks}).
 *
 * <p>Both findings come out of the core detections (the same ids and fields as a replay), judged on the slice of the
 * store they need: the lock's acquisition and the holder's lineage; the session's calls and its descendants'.
 */
public final class Sweeper {

    /** Pending sessions looked up per sweep at most (LookupEvents is rate limited: 2 calls per second). */
    static final int LOOKUPS_PER_SWEEP = 50;
    static final Duration MAX_SESSION = Duration.ofHours(12);
    /** Time a sweep spends completing the indexes of items an older version wrote (the function's timeout is 240 s). */
    static final Duration INDEX_BUDGET = Duration.ofSeconds(60);

    private final AuditStore store;
    private final Policy policy;
    private final LockProbe locks;
    private final TrailLookup lookup;
    private final Collection<String> destinations;
    private final Duration reminderEvery;
    private final Duration unattributedGrace;
    private final Settle settle;
    private final StoreChecks stores;

    public Sweeper(AuditStore store, Policy policy, LockProbe locks, TrailLookup lookup, Collection<String> destinations,
                   Duration reminderEvery, Duration unattributedGrace) {
        this(store, policy, locks, lookup, destinations, reminderEvery, unattributedGrace, Settle.DEFAULT);
    }

    public Sweeper(AuditStore store, Policy policy, LockProbe locks, TrailLookup lookup, Collection<String> destinations,
                   Duration reminderEvery, Duration unattributedGrace, Settle settle) {
        this(store, policy, locks, StoreProbe.NONE, lookup, destinations, reminderEvery, unattributedGrace, settle);
    }

    /**
     * @param settle     a lock is judged as it stood one settle window ago, when every release made before then has
     *                   arrived: a release still on its way never lets a lock be paged stale
     * @param storeProbe looks at weakened stores in AWS (issue 19); a weakened store is looked at again every
     *                   {@code reminderEvery}
     */
    public Sweeper(AuditStore store, Policy policy, LockProbe locks, StoreProbe storeProbe, TrailLookup lookup,
                   Collection<String> destinations, Duration reminderEvery, Duration unattributedGrace, Settle settle) {
        this.stores = new StoreChecks(store, storeProbe, reminderEvery);
        this.store = store;
        this.policy = policy;
        this.locks = locks;
        this.lookup = lookup;
        this.destinations = List.copyOf(destinations);
        this.reminderEvery = reminderEvery;
        this.unattributedGrace = unattributedGrace;
        this.settle = settle;
    }

    public SweepResult sweep(Instant now) {
        Tally tally = new Tally();
        Neighbourhood hood = new Neighbourhood(store);
        UnitFindings findings = new UnitFindings(store, destinations, settle, Clock.fixed(now, ZoneOffset.UTC));
        for (WatchedLock w : store.locksToWatch()) {
            lock(w, now, hood, findings, tally);
        }
        StoreChecks.Result checkedStores = stores.sweep(now, findings);
        Ingestor ingestor = new Ingestor(store, policy, destinations, Clock.fixed(now, ZoneOffset.UTC), settle);
        for (Unattributed u : store.unattributedBefore(now.minus(unattributedGrace), LOOKUPS_PER_SWEEP)) {
            unattributed(u, now, ingestor, findings, tally);
        }
        for (BulkDelete b : store.bulkDeletesBefore(now.minus(unattributedGrace), BULK_DELETES_PER_SWEEP)) {
            bulkDelete(b, now, findings, tally);
        }
        int indexed = 0;
        String indexError = null;
        try {
            indexed = store.completeIndexes(INDEX_BUDGET);
        } catch (RuntimeException e) {
            indexError = e.toString(); // upkeep: it must not keep the sweep's alerts from going out; the next sweep resumes
        }
        return new SweepResult(tally.locksChecked, tally.staleRaised, tally.reminders, tally.resolved, tally.unverified,
                tally.lookedUp, tally.unattributedRaised, indexed, indexError, tally.bulkDeletesJudged, tally.bulkDeletesRaised,
                checkedStores.checked(), checkedStores.resolved(), checkedStores.unverified());
    }

    // ---- stale locks ----

    private void lock(WatchedLock w, Instant now, Neighbourhood hood, UnitFindings findings, Tally tally) {
        LockState s = w.state();
        LockWatch watch = w.watch();
        boolean open = s.open() && !Objects.equals(watch.goneCallKey(), s.acquiredCallKey());
        Finding stale = open ? staleFinding(s, now, hood) : null;
        if (stale != null) {
            tally.locksChecked++;
            LockProbe.Probe probe = locks.probe(s.stateKey(), s.lockStore(), s.account(), s.region());
            probe.details().ifPresent(d -> store.putLockDetails(s.stateKey(), s.lockStore(), s.acquiredAt(), d));
            if (probe.state() == LockProbe.State.GONE) {
                // The release never reached us (CloudTrail is best effort): nobody is paged; an alert already sent resolves.
                LockWatch gone = resolve(watch, now, "the lock no longer exists");
                store.putLockWatch(s.stateKey(), s.lockStore(), new LockWatch(s.acquiredCallKey(), now, gone.alertCallKey(),
                        gone.alertFindingId(), gone.alertedAt(), gone.remindedAt(), gone.reminders(), gone.resolvedAt()));
                tally.resolved++;
                return;
            }
            if (probe.state() == LockProbe.State.UNKNOWN) {
                tally.unverified++;
            }
            Finding f = verified(stale, probe, w);
            if (watch.alertOpen() && s.acquiredCallKey().equals(watch.alertCallKey())) {
                Instant last = watch.remindedAt() != null ? watch.remindedAt() : watch.alertedAt();
                if (last == null || !now.isBefore(last.plus(reminderEvery))) {
                    int n = watch.reminders() + 1;
                    List<io.statetrail.service.alert.Delivery> reminder = notices(notice(f, "reminder-" + n, "Reminder " + n + ": " + f.summary()));
                    store.enqueue(reminder);
                    // A suppressed lock whose page reached nobody is reminded to nobody: not a reminder, nor counted as one.
                    store.putLockWatch(s.stateKey(), s.lockStore(), new LockWatch(watch.goneCallKey(), watch.goneAt(), watch.alertCallKey(),
                            watch.alertFindingId(), watch.alertedAt(), now, reminder.isEmpty() ? watch.reminders() : n, null));
                    if (!reminder.isEmpty()) {
                        tally.reminders++;
                    }
                }
                return;
            }
            LockWatch base = watch.alertOpen() ? resolve(watch, now, "the lock was released and taken again") : watch;
            List<Finding> created = findings.replace(scope(s), Set.of(FindingType.STALE_LOCK.id()), null, null, List.of(f),
                    gone -> "the lock was released and taken again");
            tally.staleRaised += created.size();
            store.putLockWatch(s.stateKey(), s.lockStore(), new LockWatch(base.goneCallKey(), base.goneAt(), s.acquiredCallKey(), f.id(),
                    now, null, 0, null));
            return;
        }
        if (watch.alertOpen() && !(open && Objects.equals(watch.alertCallKey(), s.acquiredCallKey()))) {
            // Released (the release arrived), taken again, or found gone: the alert resolves.
            store.putLockWatch(s.stateKey(), s.lockStore(), resolve(watch, now, "the lock was released"));
            tally.resolved++;
        }
    }

    static String scope(LockState s) {
        return "lock:" + s.stateKey() + "|" + s.lockStore() + "|" + s.acquiredCallKey();
    }

    /** The core's stale-lock finding for this lock at {@code now}, or null when it is not stale (yet). */
    private Finding staleFinding(LockState s, Instant now, Neighbourhood hood) {
        List<List<TrailEvent>> calls = new ArrayList<>();
        for (List<TrailEvent> call : store.stateCalls(s.stateKey(), s.acquiredAt(), s.acquiredAt().plusSeconds(1))) {
            if (call.get(0).meta().callKey().equals(s.acquiredCallKey())) {
                calls.add(call);
            }
        }
        if (calls.isEmpty()) {
            return null;
        }
        hood.load(Neighbourhood.actingKeys(calls));
        // As of one settle window ago: every release made before then has arrived, so none is still on its way.
        Instant judgedAt = now.minus(settle.window());
        calls.addAll(holderCalls(s, hood, judgedAt));
        for (Finding f : Detections.run(Evaluation.of(hood.trail(calls), policy, judgedAt), EnumSet.of(FindingType.STALE_LOCK))) {
            if (s.stateKey().equals(f.stateKey()) && s.lockStore().equals(f.details().get("lockStore"))) {
                return f;
            }
        }
        return null;
    }

    /**
     * Every session of the holder's run (issue 13): its credentials expire with the latest of them, and a long apply
     * re-assumes its backend role after the lock call, so the acting session and its ancestors are not enough. And the
     * calls they signed up to the time judged at (issue 20): the force-unlock verdict asks whether the run wrote the state
     * after taking the lock and when it last called.
     */
    private List<List<TrailEvent>> holderCalls(LockState s, Neighbourhood hood, Instant judgedAt) {
        if (s.holderRunKey() == null) {
            return List.of();
        }
        Set<String> sessions = new TreeSet<>(store.sessionKeysOfRun(s.holderRunKey()));
        hood.load(sessions);
        List<List<TrailEvent>> out = new ArrayList<>();
        for (List<TrailEvent> call : sessions.isEmpty() ? List.<List<TrailEvent>>of() : store.callsSignedBy(sessions)) {
            if (!call.get(0).meta().time().isAfter(judgedAt) && !call.get(0).meta().callKey().equals(s.acquiredCallKey())) {
                out.add(call);
            }
        }
        return out;
    }

    /** Says whether the lock was seen where it lives, and what its body says when it could be read. */
    private static Finding verified(Finding f, LockProbe.Probe probe, WatchedLock w) {
        Map<String, String> details = new TreeMap<>(f.details());
        String summary = f.summary();
        if (probe.state() == LockProbe.State.HELD) {
            details.put("verified", "true");
            var body = probe.details().isPresent() ? probe.details() : java.util.Optional.ofNullable(w.details());
            body.ifPresent(d -> {
                if (d.id() != null) {
                    details.put("lockId", d.id());
                    ForceUnlockCommand.of(f.stateKey(), d.id()).ifPresent(c -> details.put("forceUnlock", c));
                }
                if (d.who() != null) {
                    details.put("lockWho", d.who());
                }
                if (d.operation() != null) {
                    details.put("lockOperation", d.operation());
                }
            });
        } else {
            details.put("verified", "false");
            details.put("verification", "lock not verified: " + (probe.reason() == null ? "the lock store could not be reached" : probe.reason()));
            summary = summary + " (not verified: " + (probe.reason() == null ? "the lock store could not be reached" : probe.reason()) + ")";
        }
        return copy(f, summary, details);
    }

    private static Finding notice(Finding f, String notice, String summary) {
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("notice", notice);
        return copy(f, summary, details);
    }

    private static Finding copy(Finding f, String summary, Map<String, String> details) {
        return f.with(summary, details);
    }

    /** Queues the resolved notice of an open alert and closes it. */
    private LockWatch resolve(LockWatch watch, Instant now, String why) {
        if (!watch.alertOpen()) {
            return watch;
        }
        store.finding(watch.alertFindingId()).ifPresent(f -> {
            Map<String, String> details = new TreeMap<>(f.details());
            details.put("notice", "resolved");
            details.put("resolvedAt", now.toString());
            details.put("resolution", why);
            store.enqueue(notices(copy(f, "Resolved: " + why + ". " + f.summary(), details)));
        });
        return new LockWatch(watch.goneCallKey(), watch.goneAt(), watch.alertCallKey(), watch.alertFindingId(), watch.alertedAt(),
                watch.remindedAt(), watch.reminders(), now);
    }

    // ---- unattributed sessions ----

    /**
     * A notice the sweeper wrote (a reminder, a resolution), to every destination, due at once; about a suppressed finding,
     * only to the destinations its page reached before the suppression (nobody else was told of it).
     */
    private List<io.statetrail.service.alert.Delivery> notices(Finding notice) {
        Set<String> paged = !notice.suppressed() ? null : store.deliveriesOf(notice.id()).stream()
                .filter(d -> d.isPage() && d.delivered()).map(io.statetrail.service.alert.Delivery::destination)
                .collect(java.util.stream.Collectors.toSet());
        return destinations.stream().filter(d -> paged == null || paged.contains(d))
                .map(d -> io.statetrail.service.alert.Delivery.queued(notice, d, Instant.EPOCH)).toList();
    }

    private void unattributed(Unattributed u, Instant now, Ingestor ingestor, UnitFindings findings, Tally tally) {
        String key = u.accessKey();
        tally.lookedUp++;
        for (String record : lookup.issuingEvents(key, u.firstSeen().minus(MAX_SESSION), u.firstSeen())) {
            ingestor.ingest("lookup:" + key, record);
        }
        // Judge it on what is stored now: the lookup may have found the issuing event (then its ancestors decide).
        Set<String> family = new TreeSet<>(List.of(key));
        Set<String> frontier = Set.of(key);
        for (int depth = 0; depth < 32 && !frontier.isEmpty(); depth++) {
            Set<String> children = new TreeSet<>(store.childSessions(frontier));
            children.removeAll(family);
            family.addAll(children);
            frontier = children;
        }
        List<List<TrailEvent>> calls = store.callsSignedBy(family);
        Neighbourhood hood = new Neighbourhood(store);
        hood.load(family);
        hood.load(Neighbourhood.actingKeys(calls));
        List<Finding> found = new ArrayList<>();
        for (Finding f : Detections.run(Evaluation.of(hood.trail(calls), policy, now), EnumSet.of(FindingType.UNATTRIBUTED_SESSION))) {
            if (key.equals(f.accessKeyId())) {
                found.add(f);
            }
        }
        if (found.isEmpty()) {
            store.clearUnattributed(key);
            return;
        }
        List<Finding> created = findings.replace("unattributed:" + key, Set.of(FindingType.UNATTRIBUTED_SESSION.id()), null, null, found,
                gone -> "its issuing event was found");
        tally.unattributedRaised += created.size();
        store.markLookedUp(key, now);
    }

    // ---- bulk deletes (issue 13) ----

    /** DeleteObjects calls judged per sweep at most; each costs a HeadObject per known object of its bucket. */
    static final int BULK_DELETES_PER_SWEEP = 20;
    /** The calls of one run on a bucket judged together: its DeleteObjects calls this close to the one judged. */
    static final Duration BULK_WINDOW = Duration.ofDays(1);
    /** Objects looked at per bulk delete at most. */
    static final int OBJECTS_PER_BULK_DELETE = 100;

    /**
     * A {@code DeleteObjects} call names no keys. The core detection says whether its bucket holds state (a {@code states}
     * entry names it, or a lock was tracked there) and gives the finding; the objects known in the bucket (the states
     * whose locks were tracked, and their {@code .tflock} objects) are then looked at with {@code HeadObject}: the finding
     * names those gone, with {@code verified} true when every look answered.
     */
    private void bulkDelete(BulkDelete b, Instant now, UnitFindings findings, Tally tally) {
        tally.bulkDeletesJudged++;
        String bucket = b.bucket();
        List<List<TrailEvent>> calls = store.stateCalls(b.stateKey(), b.time().minus(BULK_WINDOW), b.time().plus(BULK_WINDOW));
        List<LockState> known = store.locksInBucket(bucket);
        Neighbourhood hood = new Neighbourhood(store);
        hood.load(Neighbourhood.actingKeys(calls));
        Evaluation e = Evaluation.of(hood.trail(calls), policy, now, known.isEmpty() ? Set.of() : Set.of(bucket));
        EventMeta call = null;
        for (List<TrailEvent> c : calls) {
            if (c.get(0).meta().callKey().equals(b.callKey())) {
                call = c.get(0).meta();
            }
        }
        for (Finding f : Detections.run(e, EnumSet.of(FindingType.STATE_DELETED))) {
            if (!StateDeleted.isBulk(f) || !b.stateKey().equals(f.stateKey()) || call == null || !f.eventIds().contains(call.eventId())) {
                continue;
            }
            Finding checked = objectsGone(f, bucket, known, call, now);
            tally.bulkDeletesRaised += findings.replace("bulk:" + f.stateKey() + "|" + f.runKey(), Set.of(FindingType.STATE_DELETED.id()),
                    null, null, List.of(checked), gone -> "the bulk delete no longer touches a bucket that holds state").size();
        }
        store.markBulkDeleteJudged(b.callKey(), now);
    }

    /** Looks at the known state and lock objects of the bucket, through the lock probe's reader role. */
    private Finding objectsGone(Finding f, String bucket, List<LockState> known, EventMeta call, Instant now) {
        TreeSet<String> objects = new TreeSet<>();
        for (LockState l : known) {
            String key = l.stateKey().substring(bucket.length() + 1);
            objects.add(key);
            if ("s3".equals(l.lockStore())) {
                objects.add(key + ".tflock");
            }
        }
        List<String> gone = new ArrayList<>();
        List<String> present = new ArrayList<>();
        TreeSet<String> reasons = new TreeSet<>();
        int looked = 0;
        for (String key : objects) {
            if (looked++ == OBJECTS_PER_BULK_DELETE) {
                reasons.add("only the first " + OBJECTS_PER_BULK_DELETE + " of " + objects.size() + " known objects were looked at");
                break;
            }
            LockProbe.Probe p = locks.object(bucket, key, call.account(), call.region());
            switch (p.state()) {
                case GONE -> gone.add(bucket + "/" + key);
                case HELD -> present.add(bucket + "/" + key);
                default -> reasons.add(p.reason() == null ? "the bucket could not be reached" : p.reason());
            }
        }
        if (objects.isEmpty()) {
            reasons.add("no state object of this bucket is known to statetrail");
        }
        boolean verified = reasons.isEmpty();
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("verified", String.valueOf(verified));
        details.put("checkedAt", now.toString());
        details.put("knownStates", known.stream().map(LockState::stateKey).distinct().sorted().reduce((a, c) -> a + "," + c).orElse(""));
        if (details.get("knownStates").isEmpty()) {
            details.remove("knownStates");
        }
        putList(details, "gone", gone);
        putList(details, "present", present);
        String summary = f.summary();
        if (verified) {
            details.put("verification", "HeadObject of " + objects.size() + " known objects: " + gone.size() + " gone");
            summary += gone.isEmpty() ? "; every known state and lock object is still there" : "; gone: " + String.join(", ", gone);
        } else {
            details.put("verification", "not verified: " + String.join("; ", reasons));
            summary += (gone.isEmpty() ? "" : "; gone: " + String.join(", ", gone)) + " (not verified: " + String.join("; ", reasons) + ")";
        }
        return copy(f, summary, details);
    }

    private static void putList(Map<String, String> details, String key, List<String> values) {
        if (values.isEmpty()) {
            details.remove(key);
        } else {
            details.put(key, String.join(",", values));
        }
    }

    private static final class Tally {
        int locksChecked;
        int staleRaised;
        int reminders;
        int resolved;
        int unverified;
        int lookedUp;
        int unattributedRaised;
        int bulkDeletesJudged;
        int bulkDeletesRaised;
    }

    /**
     * What a sweep did; {@code indexError}: why completing the store's indexes failed this time, or null;
     * {@code bulkDeletesJudged} / {@code bulkDeletesRaised}: DeleteObjects calls looked at, state-deleted findings raised;
     * {@code storesChecked} / {@code storesResolved} / {@code storesUnverified}: weakened stores looked at, found restored,
     * not verifiable.
     */
    public record SweepResult(int locksChecked, int staleRaised, int reminders, int resolved, int unverified,
                              int lookedUp, int unattributedRaised, int summariesIndexed, String indexError,
                              int bulkDeletesJudged, int bulkDeletesRaised, int storesChecked, int storesResolved,
                              int storesUnverified) {
    }
}
