package io.statetrail.service.ingest;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.StateDeleted;
import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.detect.Withdrawals;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Origin;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.Actor;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.terraform.Lock;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.finding.UnitFindings;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.SessionRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Ingests CloudTrail as it streams in: stores each relevant call once, re-evaluates what it affects (the state keys it
 * touched; for a late login or hop, every state its descendant sessions touched) with the core detections, replaces
 * the findings of those scopes and queues new findings for delivery. The final table and findings do not depend on
 * arrival order or duplicates.
 *
 * <p><b>Why the result is order-free.</b> Findings are owned by evaluation units, each a pure function of stored calls:
 * <ul>
 *   <li>{@code state:<key>} for one UTC day D owns the state findings whose time falls in D; it is judged on the calls
 *       on that state in [D-1, D+2) (a run acts on a state within one session, at most 12 h), plus, per lock store, the
 *       latest lock call before that window (so a release days after its acquisition still pairs with it) and the
 *       lineage of every acting session;</li>
 *   <li>{@code login:<key>} (unexpected-subject), {@code denied:<subject>|<role>|<day>} (web-identity-denied) and
 *       {@code call:<callKey>} (trust-policy-weakened) own what their calls alone decide.</li>
 * </ul>
 * Every unit whose inputs a new call changes is evaluated again after that call is stored: the three days around a
 * state call; for a lock acquisition also the units around the next lock call (whose pairing it may change); for a
 * session (a late login or hop) every unit touched by the calls of that session and all its descendants, whose chains
 * it completes. So once all calls are in, every unit has been judged on its complete inputs, whatever the order.
 *
 * <p><b>Batches.</b> {@link #ingestBatch} stores the calls of every message of a batch first and then judges the union
 * of their units, each once (with one {@link Neighbourhood} for the batch): every unit is still judged after all its new
 * inputs are stored, so the result is that of ingesting the messages one by one, for fewer reads. A step of judging
 * that fails fails the messages it was done for, which are then delivered again and judged again.
 */
public final class Ingestor {

    /** What the ingestor raises; {@code stale-lock} and {@code unattributed-session} are the sweeper's. */
    public static final Set<FindingType> STATE_TYPES = EnumSet.of(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT,
            FindingType.STATE_READ_UNEXPECTED_SUBJECT, FindingType.NON_FEDERATED_STATE_WRITE, FindingType.UNLOCKED_STATE_WRITE,
            FindingType.FORCE_UNLOCK, FindingType.STATE_DELETED, FindingType.STATE_VERSION_DELETED);
    static final Duration DAY = Duration.ofDays(1);
    /** Descendant sessions re-evaluated for one late link at most (a run has a handful). */
    static final int MAX_DESCENDANTS = 1000;

    private final AuditStore store;
    private final Policy policy;
    private final UnitFindings findings;
    private final Clock clock;
    private final RecordReader reader;
    private final StoreUnits storeUnits;
    private final Parallel parallel;

    /** @param destinations alert destinations every new finding is queued for ({@code sns}, {@code slack}, {@code file}) */
    public Ingestor(AuditStore store, Policy policy, Collection<String> destinations, Clock clock) {
        this(store, policy, destinations, clock, Settle.DEFAULT);
    }

    /**
     * @param clock  the arrival time of what is ingested (when a withdrawal is recorded); never decides a finding
     * @param settle how long provisional findings wait before their pages are due
     */
    public Ingestor(AuditStore store, Policy policy, Collection<String> destinations, Clock clock, Settle settle) {
        this(store, policy, destinations, clock, settle, Parallel.sequential());
    }

    /** @param parallel how many steps of a batch run at once (shared by the ingestors of an instance) */
    public Ingestor(AuditStore store, Policy policy, Collection<String> destinations, Clock clock, Settle settle, Parallel parallel) {
        this.parallel = parallel;
        this.store = store;
        this.policy = policy;
        this.findings = new UnitFindings(store, destinations, settle, clock);
        this.clock = clock;
        this.reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
        this.storeUnits = new StoreUnits(store, policy);
    }

    /** One message of a batch: where it comes from (file name and line, or SQS message id) and its text. */
    public record Message(String source, String json) {
    }

    /**
     * Ingests one message: an EventBridge event, a CloudTrail record, a log file, or anything {@code RecordReader}
     * accepts. Malformed input is returned, not thrown; a store failure throws (the message is then retried).
     *
     * @param source for error messages: file name and line, or SQS message id
     */
    public IngestResult ingest(String source, String json) {
        IngestResult result = ingestBatch(List.of(new Message(source, json))).get(0);
        if (result.failure() != null) {
            throw result.failure();
        }
        return result;
    }

    /**
     * Ingests a batch of messages (one SQS batch): stores the calls of every message, then judges the units they affect
     * together, each once, after all of them are stored (so the result is that of ingesting them one by one).
     *
     * <p>Failures are per message, as SQS retries them: a message whose calls could not all be stored, or one of whose
     * units could not be judged (a store error while judging a unit fails every message that unit was judged for),
     * comes back with {@link IngestResult#failure()} set and must be delivered again. Its redelivery stores its calls
     * again (duplicates) and judges their units again, so nothing is lost; the other messages of the batch are done.
     */
    public List<IngestResult> ingestBatch(List<Message> messages) {
        int n = messages.size();
        List<Collector> read = new ArrayList<>();
        int[] duplicates = new int[n];
        RuntimeException[] failed = new RuntimeException[n];
        List<List<List<TrailEvent>>> calls = new ArrayList<>();
        // each message's records as kept for the finding page (secrets removed), by the copy's eventID
        List<Map<String, String>> kept = new ArrayList<>(java.util.Collections.nCopies(n, Map.<String, String>of()));
        for (int i = 0; i < n; i++) {
            Message m = messages.get(i);
            Collector c = new Collector();
            read.add(c);
            try {
                reader.readString(m.source(), m.json(), c);
                kept.set(i, KeptRecords.of(m.source(), m.json(), c.relevant));
            } catch (RuntimeException e) {
                failed[i] = e;
            }
            calls.add(failed[i] == null ? c.relevant : List.of());
        }
        List<Runnable> storing = new ArrayList<>();
        // One lane stores in message order, as before; more store groups of messages that share no item side by side.
        List<List<Integer>> groups = parallel.inOrder() ? List.of(java.util.stream.IntStream.range(0, n).boxed().toList()) : CallGroups.of(calls);
        for (List<Integer> group : groups) {
            storing.add(() -> {
                for (int i : group) {
                    try {
                        for (List<TrailEvent> events : calls.get(i)) {
                            if (store.putCall(events, kept.get(i).get(KeptRecords.copyId(events.get(0).meta()))) == Trail.Added.DUPLICATE) {
                                duplicates[i]++;
                            }
                        }
                    } catch (RuntimeException e) {
                        // Calls stored so far are judged when the message comes again.
                        failed[i] = e;
                    }
                }
            });
        }
        parallel.all(storing);
        Work work = new Work();
        for (int i = 0; i < n; i++) {
            if (failed[i] != null) {
                continue;
            }
            // A duplicate is judged again too: it may be the redelivery of a message whose first attempt stored the
            // call and then failed (store error, lost response, the function cut off) before judging what it affects.
            // Judging is idempotent (findings are replaced per unit), so a true duplicate costs a re-judgement, no change.
            for (List<TrailEvent> events : calls.get(i)) {
                work.add(events, Set.of(i));
            }
        }
        Judge judge = new Judge(findings, failed);
        evaluate(work, judge);
        List<List<Finding>> fresh = judge.freshByMessage(n);
        List<IngestResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Collector c = read.get(i);
            out.add(new IngestResult(c.records, c.relevant.size(), duplicates[i], c.malformed, fresh.get(i), c.relevant, failed[i]));
        }
        return out;
    }

    // ---- what a batch of new calls affects ----

    static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    static Instant start(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static String deniedScope(RoleAssumptionFailed f) {
        return (f.webIdentity() == null ? "" : f.webIdentity().subject().raw()) + "|" + f.roleArn() + "|" + day(f.meta().time());
    }

    /**
     * Judges the units of a batch in three rounds; within a round the steps run side by side ({@link Parallel}):
     * <ol>
     *   <li>late links (sessions) and lock acquisitions: they add units to the batch's work (under its lock);</li>
     *   <li>the units: states (all days of one state key in one step), logins, refused logins, trust changes, and the
     *       store's units (one step, as before);</li>
     *   <li>the runs the new calls change, once every session is linked, then each run's units.</li>
     * </ol>
     * Each unit owns its findings' scope, so two steps never replace the same findings; the items two steps can both
     * write (a session's pending item; a run's sessions and summary) are written under a lock per item ({@link ItemLocks}). Reads see
     * whatever other steps wrote; a unit is judged on stored calls, all stored before judging starts, and the sessions a
     * step loads come with all their ancestors ({@link Neighbourhood}), so what a step decides does not depend on when
     * the other steps run.
     */
    private void evaluate(Work work, Judge judge) {
        Instant now = clock.instant();
        Neighbourhood hood = new Neighbourhood(store);
        ItemLocks locks = new ItemLocks();
        List<Runnable> round = new ArrayList<>();
        for (Map.Entry<String, Set<Integer>> e : work.sessions.entrySet()) {
            round.add(() -> judge.run(e.getValue(), () -> lateLink(e.getKey(), e.getValue(), work, hood, judge, locks)));
        }
        for (Work.Owned<StateAccess> a : work.acquisitions.values()) {
            round.add(() -> judge.run(a.by(), () -> {
                // A release stored before this acquisition (days later) pairs with it now: judge the release's units again.
                StateAccess acquisition = a.value();
                Instant after = start(day(acquisition.meta().time()).plusDays(2));
                List<TrailEvent> next = store.lockCallAfter(acquisition.stateKey(), acquisition.lockStore(), after);
                if (!next.isEmpty()) {
                    synchronized (work) {
                        work.around(acquisition.stateKey(), next.get(0).meta().time(), a.by());
                    }
                }
                return List.of();
            }));
        }
        parallel.all(round);
        round = new ArrayList<>();
        for (Map.Entry<String, TreeMap<LocalDate, Set<Integer>>> e : work.stateDays.entrySet()) {
            Set<Integer> by = new TreeSet<>();
            e.getValue().values().forEach(by::addAll);
            round.add(() -> judge.run(by, () -> evaluateState(e.getKey(), new TreeSet<>(e.getValue().keySet()), hood, now, judge, locks)));
        }
        for (Map.Entry<String, Set<Integer>> e : work.logins.entrySet()) {
            round.add(() -> judge.run(e.getValue(), () -> evaluateLogin(e.getKey(), hood, now, judge)));
        }
        for (Map.Entry<String, Work.Owned<RoleAssumptionFailed>> e : work.denied.entrySet()) {
            round.add(() -> judge.run(e.getValue().by(), () -> evaluateDenied(e.getKey(), e.getValue().value(), now, judge)));
        }
        for (Work.Owned<TrustPolicyChanged> t : work.trust.values()) {
            round.add(() -> judge.run(t.by(), () -> evaluateTrust(t.value(), hood, now, judge)));
        }
        round.add(() -> storeUnits.evaluate(work.stores, judge, hood, now));
        parallel.all(round);
        // The runs whose own units the new calls change, once every session of the batch is stored and linked.
        Map<String, Set<Integer>> runs = new TreeMap<>();
        Set<Integer> all = new TreeSet<>();
        work.runsOf.values().forEach(all::addAll);
        judge.run(all, () -> {
            RunUnits.runsOf(work.runsOf.keySet(), hood).forEach((session, run) ->
                    runs.computeIfAbsent(run, k -> new TreeSet<>()).addAll(work.runsOf.get(session)));
            return List.of();
        });
        RunUnits units = new RunUnits(store, policy);
        round = new ArrayList<>();
        for (Map.Entry<String, Set<Integer>> e : runs.entrySet()) {
            round.add(() -> judge.run(e.getValue(), () -> units.judge(e.getKey(), hood, now, judge::replace)));
        }
        parallel.all(round);
    }

    /**
     * A session arrived (possibly after its descendants and their calls): store the run of it and every descendant, and
     * queue every unit touched by their calls, whose chains it may have completed.
     */
    private List<Finding> lateLink(String key, Set<Integer> by, Work work, Neighbourhood hood, Judge judge, ItemLocks locks) {
        Set<String> affected = new TreeSet<>(List.of(key));
        Set<String> frontier = Set.of(key);
        // Calls signed by every affected session, read once: they name the next level's children too.
        List<List<TrailEvent>> signed = new ArrayList<>();
        for (int depth = 0; depth < Neighbourhood.MAX_HOPS && !frontier.isEmpty() && affected.size() < MAX_DESCENDANTS; depth++) {
            List<List<TrailEvent>> calls = store.callsSignedBy(frontier);
            signed.addAll(calls);
            Set<String> children = children(frontier, calls, hood);
            children.removeAll(affected);
            affected.addAll(children);
            frontier = children;
        }
        signed.addAll(store.callsSignedBy(frontier));
        hood.load(affected);
        Trail trail = new Trail();
        hood.addTo(trail);
        Evaluation lineage = Evaluation.of(trail, policy, clock.instant());
        List<SessionRun> runs = new ArrayList<>();
        for (String k : affected) {
            if (lineage.lineage().session(k) != null) {
                runs.add(Neighbourhood.run(k, lineage.lineage().chainOfKey(k, Actor.UNKNOWN)));
            }
        }
        // Another late link of the batch may write the same descendant (the same run: both read the same calls), or
        // another session of the same run (both fold into its summary): one run's sessions are written one at a time.
        // The run a corrected guess leaves is only known to the store, which rebuilds its summary under that run's own lock.
        for (SessionRun run : runs) {
            locks.run("run:" + run.runKey(), () -> store.putSessionRuns(List.of(run)));
        }
        synchronized (work) {
            for (List<TrailEvent> call : signed) {
                for (TrailEvent e : call) {
                    work.stores.add(e, by);
                    if (e instanceof StateAccess s) {
                        work.around(s.stateKey(), s.meta().time(), by);
                    } else if (e instanceof TrustPolicyChanged t) {
                        work.trust(t, by);
                    }
                }
            }
        }
        // Its issuing event is no longer missing.
        locks.run("pending:" + key, () -> store.clearUnattributed(key));
        return judge.replace("unattributed:" + key, Set.of(FindingType.UNATTRIBUTED_SESSION.id()), null, null, List.of(),
                gone -> "its issuing event arrived: the session is traced to its run");
    }

    /**
     * Sessions these sessions opened (what {@link AuditStore#childSessions} answers, from reads the caller has made or
     * caches): those issued by a call they signed, and those issued to the role account's copy of a cross-account hop
     * signed only with a parent's assumed-role id while that parent was alive.
     */
    private Set<String> children(Set<String> parents, List<List<TrailEvent>> signed, Neighbourhood hood) {
        Set<String> out = new TreeSet<>();
        for (List<TrailEvent> call : signed) {
            for (TrailEvent e : call) {
                if (e instanceof RoleAssumed r && r.issuedKey() != null) {
                    out.add(r.issuedKey());
                }
            }
        }
        hood.load(parents);
        for (String parent : parents) {
            Set<String> asked = new TreeSet<>();
            for (TrailEvent e : hood.events(parent)) {
                if (e instanceof RoleAssumed p && p.assumedRoleId() != null) {
                    Instant from = p.meta().time();
                    Instant to = p.expiration() != null ? p.expiration() : from.plus(Neighbourhood.MAX_SESSION);
                    if (asked.add(p.assumedRoleId() + "|" + from + "|" + to)) {
                        for (String child : store.sessionsOpenedByRoleId(p.assumedRoleId(), from, to)) {
                            if (!child.equals(parent)) {
                                out.add(child);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Judges the units (one per day) of one state key; see the class comment. */
    private List<Finding> evaluateState(String stateKey, TreeSet<LocalDate> days, Neighbourhood hood, Instant now, Judge judge,
                                        ItemLocks locks) {
        Instant from = start(days.first().minusDays(1));
        Instant to = start(days.last().plusDays(2));
        List<List<TrailEvent>> window = store.stateCalls(stateKey, from, to);
        List<List<TrailEvent>> before = store.lockCallsBefore(stateKey, from);
        List<List<TrailEvent>> all = new ArrayList<>(before);
        all.addAll(window);
        hood.load(Neighbourhood.actingKeys(all));
        Set<String> typeIds = STATE_TYPES.stream().map(FindingType::id).collect(Collectors.toCollection(TreeSet::new));
        // One read for every day's stored findings: a day that holds none and finds none has nothing to replace.
        List<Instant> stored = store.findingTimes("state:" + stateKey, typeIds, start(days.first()), start(days.last().plusDays(1)));
        List<Finding> fresh = new ArrayList<>();
        for (LocalDate d : days) {
            Instant unitFrom = start(d.minusDays(1));
            Instant unitTo = start(d.plusDays(2));
            Instant ownFrom = start(d);
            Instant ownTo = start(d.plusDays(1));
            List<List<TrailEvent>> calls = new ArrayList<>();
            Map<String, List<TrailEvent>> lastLockBefore = new HashMap<>();
            for (List<TrailEvent> call : all) {
                Instant t = call.get(0).meta().time();
                if (!t.isBefore(unitFrom) && t.isBefore(unitTo)) {
                    calls.add(call);
                } else if (t.isBefore(unitFrom) && call.get(0) instanceof StateAccess s && s.operation().isLock() && !s.meta().failed()) {
                    List<TrailEvent> current = lastLockBefore.get(s.lockStore());
                    if (current == null || Trail.CHRONOLOGICAL.compare(current.get(0), call.get(0)) < 0) {
                        lastLockBefore.put(s.lockStore(), call);
                    }
                }
            }
            // The latest lock call before the window, with every copy of it.
            for (List<TrailEvent> last : lastLockBefore.values()) {
                String callKey = last.get(0).meta().callKey();
                for (List<TrailEvent> call : all) {
                    if (call.get(0).meta().callKey().equals(callKey) && call.get(0).meta().time().isBefore(unitFrom)) {
                        calls.add(call);
                    }
                }
            }
            Evaluation e = Evaluation.of(hood.trail(calls), policy, now);
            List<Finding> owned = new ArrayList<>();
            for (Finding f : Detections.run(e, STATE_TYPES)) {
                // A bulk delete is raised by the sweeper, once it has checked what is gone (recordBulkDeletes).
                if (stateKey.equals(f.stateKey()) && !f.time().isBefore(ownFrom) && f.time().isBefore(ownTo) && !StateDeleted.isBulk(f)) {
                    owned.add(f);
                }
            }
            if (!owned.isEmpty() || stored.stream().anyMatch(t -> !t.isBefore(ownFrom) && t.isBefore(ownTo))) {
                fresh.addAll(judge.replace("state:" + stateKey, typeIds, ownFrom, ownTo, owned, gone -> Withdrawals.why(gone, e, owned)));
            }
            recordLocks(stateKey, e, ownFrom, ownTo);
            recordUnattributed(stateKey, e, ownFrom, ownTo, locks);
            recordBulkDeletes(stateKey, e, ownFrom, ownTo);
        }
        return fresh;
    }

    /** The current state of each lock store, from the unit that holds its latest call. */
    private void recordLocks(String stateKey, Evaluation e, Instant ownFrom, Instant ownTo) {
        Map<String, Lock> latest = new TreeMap<>();
        for (Lock lock : e.locks()) {
            if (!lock.stateKey().equals(stateKey)) {
                continue;
            }
            Lock current = latest.get(lock.store());
            if (current == null || Trail.CHRONOLOGICAL.compare(lastOp(current), lastOp(lock)) < 0) {
                latest.put(lock.store(), lock);
            }
        }
        for (Lock lock : latest.values()) {
            StateAccess last = lastOp(lock);
            Instant t = last.meta().time();
            if (t.isBefore(ownFrom) || !t.isBefore(ownTo)) {
                continue;
            }
            LockState state;
            if (lock.isOpen()) {
                StateAccess a = lock.acquired();
                Chain holder = lock.holder();
                var web = holder.origin().webIdentity();
                state = new LockState(stateKey, lock.store(), true, t, last.meta().callKey(), a.meta().time(), a.meta().callKey(),
                        a.meta().eventId(), a.meta().actor().accessKeyId(), holder.runKey(), web == null ? null : web.subject().raw(),
                        web == null ? null : web.subject().repository(), a.meta().account(), a.meta().region());
            } else {
                state = new LockState(stateKey, lock.store(), false, t, last.meta().callKey(), null, null, null, null, null, null, null,
                        last.meta().account(), last.meta().region());
            }
            store.putLockState(state);
        }
    }

    private static StateAccess lastOp(Lock lock) {
        return lock.released() != null ? lock.released() : lock.acquired();
    }

    /** Sessions of this unit whose chain stops at a missing issuing event: the sweeper looks them up after a grace period. */
    private void recordUnattributed(String stateKey, Evaluation e, Instant ownFrom, Instant ownTo, ItemLocks locks) {
        Map<String, Instant> firstSeen = new TreeMap<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            Instant t = s.meta().time();
            if (!s.stateKey().equals(stateKey) || t.isBefore(ownFrom) || !t.isBefore(ownTo) || !s.meta().actor().hasSessionKey()) {
                continue;
            }
            Chain chain = e.chainOf(s);
            if (chain.origin().kind() != Origin.Kind.UNKNOWN) {
                continue;
            }
            String missing = chain.origin().missingKey() != null ? chain.origin().missingKey() : chain.runKey();
            firstSeen.merge(missing, t, (a, b) -> a.isBefore(b) ? a : b);
        }
        // Several state units can miss the same session: the earliest sighting must win, whatever the interleaving.
        firstSeen.forEach((missing, t) -> locks.run("pending:" + missing, () -> store.markUnattributed(missing, t)));
    }

    /** DeleteObjects calls of this unit, whose keys are not logged: the sweeper checks what is gone and raises them. */
    private void recordBulkDeletes(String stateKey, Evaluation e, Instant ownFrom, Instant ownTo) {
        for (StateAccess s : e.successfulStateAccesses()) {
            Instant t = s.meta().time();
            if (s.operation() == StateAccess.Operation.BULK_DELETE && s.stateKey().equals(stateKey) && !t.isBefore(ownFrom) && t.isBefore(ownTo)) {
                store.markBulkDelete(stateKey, s.meta().callKey(), t);
            }
        }
    }

    private List<Finding> evaluateLogin(String key, Neighbourhood hood, Instant now, Judge judge) {
        Trail trail = new Trail();
        // Its late link loaded it, after every call of the batch was stored.
        hood.load(List.of(key));
        Neighbourhood.addCopies(trail, hood.events(key));
        List<Finding> found = Detections.run(Evaluation.of(trail, policy, now), EnumSet.of(FindingType.UNEXPECTED_SUBJECT));
        return judge.replace("login:" + key, Set.of(FindingType.UNEXPECTED_SUBJECT.id()), null, null, found,
                gone -> "the login is no longer judged unexpected (the policy changed)");
    }

    private List<Finding> evaluateDenied(String scope, RoleAssumptionFailed f, Instant now, Judge judge) {
        String subject = f.webIdentity() == null ? "" : f.webIdentity().subject().raw();
        Trail trail = new Trail();
        for (List<TrailEvent> call : store.failedLogins(subject, f.roleArn(), start(day(f.meta().time())))) {
            trail.add(call);
        }
        List<Finding> found = Detections.run(Evaluation.of(trail, policy, now), EnumSet.of(FindingType.WEB_IDENTITY_DENIED));
        return judge.replace("denied:" + scope, Set.of(FindingType.WEB_IDENTITY_DENIED.id()), null, null, found,
                gone -> "the refused logins no longer make a finding (the policy changed)");
    }

    private List<Finding> evaluateTrust(TrustPolicyChanged change, Neighbourhood hood, Instant now, Judge judge) {
        String callKey = change.meta().callKey();
        Instant t = change.meta().time();
        List<List<TrailEvent>> calls = new ArrayList<>();
        for (List<TrailEvent> call : store.trustPolicyChanges(change.roleArn(), t, t.plusSeconds(1))) {
            if (call.get(0).meta().callKey().equals(callKey)) {
                calls.add(call);
            }
        }
        if (calls.isEmpty()) {
            return List.of();
        }
        hood.load(Neighbourhood.actingKeys(calls));
        List<Finding> found = Detections.run(Evaluation.of(hood.trail(calls), policy, now), EnumSet.of(FindingType.TRUST_POLICY_WEAKENED));
        return judge.replace("call:" + callKey, Set.of(FindingType.TRUST_POLICY_WEAKENED.id()), null, null, found,
                gone -> "the trust policy change is no longer judged weakening (the policy changed)");
    }

    /** Collects what the reader found in one message. */
    private static final class Collector implements RecordSink {
        int records;
        final List<List<TrailEvent>> relevant = new ArrayList<>();
        final List<Malformed> malformed = new ArrayList<>();

        @Override
        public void relevant(String source, long line, List<TrailEvent> events) {
            records++;
            relevant.add(events);
        }

        @Override
        public void irrelevant() {
            records++;
        }

        @Override
        public void malformed(Malformed m) {
            records++;
            malformed.add(m);
        }
    }
}
