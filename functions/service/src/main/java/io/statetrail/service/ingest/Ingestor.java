package io.statetrail.service.ingest;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Origin;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.record.Actor;
import io.statetrail.core.record.Malformed;
import io.statetrail.core.record.RecordClassifier;
import io.statetrail.core.record.RecordReader;
import io.statetrail.core.record.RecordSink;
import io.statetrail.core.record.RoleAssumed;
import io.statetrail.core.record.RoleAssumptionFailed;
import io.statetrail.core.record.StateAccess;
import io.statetrail.core.record.TrailEvent;
import io.statetrail.core.record.TrustPolicyChanged;
import io.statetrail.core.terraform.Lock;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.core.trail.Trail;
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
 */
public final class Ingestor {

    /** What the ingestor raises; {@code stale-lock} and {@code unattributed-session} are the sweeper's. */
    public static final Set<FindingType> STATE_TYPES = EnumSet.of(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT,
            FindingType.STATE_READ_UNEXPECTED_SUBJECT, FindingType.NON_FEDERATED_STATE_WRITE, FindingType.UNLOCKED_STATE_WRITE,
            FindingType.FORCE_UNLOCK, FindingType.STATE_DELETED);
    static final Duration DAY = Duration.ofDays(1);
    /** Descendant sessions re-evaluated for one late link at most (a run has a handful). */
    static final int MAX_DESCENDANTS = 1000;

    private final AuditStore store;
    private final Policy policy;
    private final Collection<String> destinations;
    private final Clock clock;
    private final RecordReader reader;

    /** @param destinations alert destinations every new finding is queued for ({@code sns}, {@code slack}, {@code file}) */
    public Ingestor(AuditStore store, Policy policy, Collection<String> destinations, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.destinations = List.copyOf(destinations);
        this.clock = clock;
        this.reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
    }

    /**
     * Ingests one message: an EventBridge event, a CloudTrail record, a log file, or anything {@code RecordReader}
     * accepts. Malformed input is returned, not thrown; a store failure throws (the message is then retried).
     *
     * @param source for error messages: file name and line, or SQS message id
     */
    public IngestResult ingest(String source, String json) {
        Collector read = new Collector();
        reader.readString(source, json, read);
        Work work = new Work();
        int duplicates = 0;
        for (List<TrailEvent> events : read.relevant) {
            if (store.putCall(events) == Trail.Added.DUPLICATE) {
                duplicates++;
            }
            // A duplicate is judged again too: it may be the redelivery of a message whose first attempt stored the
            // call and then failed (store error, lost response, the function cut off) before judging what it affects.
            // Judging is idempotent (findings are replaced per unit), so a true duplicate costs a re-judgement, no change.
            work.add(events);
        }
        List<Finding> fresh = evaluate(work);
        if (!fresh.isEmpty() && !destinations.isEmpty()) {
            store.enqueueDeliveries(fresh, destinations, clock.instant());
        }
        return new IngestResult(read.records, read.relevant.size(), duplicates, read.malformed, fresh);
    }

    // ---- what a batch of new calls affects ----

    /** The evaluation units a batch of new calls affects. */
    private static final class Work {
        final Map<String, TreeSet<LocalDate>> stateDays = new TreeMap<>();
        final List<StateAccess> acquisitions = new ArrayList<>();
        final Set<String> sessions = new TreeSet<>();
        final Set<String> logins = new TreeSet<>();
        final Map<String, RoleAssumptionFailed> denied = new TreeMap<>();
        final Map<String, TrustPolicyChanged> trust = new TreeMap<>();

        void add(List<TrailEvent> events) {
            for (TrailEvent e : events) {
                if (e instanceof StateAccess s) {
                    around(s.stateKey(), s.meta().time());
                    if (s.operation() == StateAccess.Operation.LOCK && !s.meta().failed()) {
                        acquisitions.add(s);
                    }
                } else if (e instanceof RoleAssumed r) {
                    sessions.add(r.issuedKey());
                    if (r.webIdentity() != null) {
                        logins.add(r.issuedKey());
                    }
                } else if (e instanceof RoleAssumptionFailed f) {
                    if ("AssumeRoleWithWebIdentity".equals(f.method())) {
                        denied.putIfAbsent(deniedScope(f), f);
                    }
                } else if (e instanceof TrustPolicyChanged t) {
                    trust.putIfAbsent(t.meta().callKey(), t);
                }
            }
        }

        /** The units whose window holds this time: the day before, the day, the day after. */
        void around(String stateKey, Instant t) {
            LocalDate d = day(t);
            stateDays.computeIfAbsent(stateKey, k -> new TreeSet<>()).addAll(List.of(d.minusDays(1), d, d.plusDays(1)));
        }
    }

    static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    static Instant start(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static String deniedScope(RoleAssumptionFailed f) {
        return (f.webIdentity() == null ? "" : f.webIdentity().subject().raw()) + "|" + f.roleArn() + "|" + day(f.meta().time());
    }

    private List<Finding> evaluate(Work work) {
        Instant now = clock.instant();
        Neighbourhood hood = new Neighbourhood(store);
        List<Finding> fresh = new ArrayList<>();
        for (String key : work.sessions) {
            lateLink(key, work, hood);
        }
        for (StateAccess acquisition : work.acquisitions) {
            // A release stored before this acquisition (days later) pairs with it now: judge the release's units again.
            Instant after = start(day(acquisition.meta().time()).plusDays(2));
            List<TrailEvent> next = store.lockCallAfter(acquisition.stateKey(), acquisition.lockStore(), after);
            if (!next.isEmpty()) {
                work.around(acquisition.stateKey(), next.get(0).meta().time());
            }
        }
        for (Map.Entry<String, TreeSet<LocalDate>> e : work.stateDays.entrySet()) {
            fresh.addAll(evaluateState(e.getKey(), e.getValue(), hood, now));
        }
        for (String key : work.logins) {
            fresh.addAll(evaluateLogin(key, now));
        }
        for (Map.Entry<String, RoleAssumptionFailed> e : work.denied.entrySet()) {
            fresh.addAll(evaluateDenied(e.getKey(), e.getValue(), now));
        }
        for (TrustPolicyChanged t : work.trust.values()) {
            fresh.addAll(evaluateTrust(t, hood, now));
        }
        fresh.sort(Detections.ORDER);
        return fresh;
    }

    /**
     * A session arrived (possibly after its descendants and their calls): store the run of it and every descendant, and
     * queue every unit touched by their calls, whose chains it may have completed.
     */
    private void lateLink(String key, Work work, Neighbourhood hood) {
        Set<String> affected = new TreeSet<>(List.of(key));
        Set<String> frontier = Set.of(key);
        for (int depth = 0; depth < Neighbourhood.MAX_HOPS && !frontier.isEmpty() && affected.size() < MAX_DESCENDANTS; depth++) {
            Set<String> children = new TreeSet<>(store.childSessions(frontier));
            children.removeAll(affected);
            affected.addAll(children);
            frontier = children;
        }
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
        store.putSessionRuns(runs);
        for (List<TrailEvent> call : store.callsSignedBy(affected)) {
            for (TrailEvent e : call) {
                if (e instanceof StateAccess s) {
                    work.around(s.stateKey(), s.meta().time());
                } else if (e instanceof TrustPolicyChanged t) {
                    work.trust.putIfAbsent(t.meta().callKey(), t);
                }
            }
        }
        // Its issuing event is no longer missing.
        store.clearUnattributed(key);
        store.replaceFindings("unattributed:" + key, Set.of(FindingType.UNATTRIBUTED_SESSION.id()), null, null, List.of());
    }

    /** Judges the units (one per day) of one state key; see the class comment. */
    private List<Finding> evaluateState(String stateKey, TreeSet<LocalDate> days, Neighbourhood hood, Instant now) {
        Instant from = start(days.first().minusDays(1));
        Instant to = start(days.last().plusDays(2));
        List<List<TrailEvent>> window = store.stateCalls(stateKey, from, to);
        List<List<TrailEvent>> before = store.lockCallsBefore(stateKey, from);
        List<List<TrailEvent>> all = new ArrayList<>(before);
        all.addAll(window);
        hood.load(Neighbourhood.actingKeys(all));
        Set<String> typeIds = STATE_TYPES.stream().map(FindingType::id).collect(Collectors.toCollection(TreeSet::new));
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
                if (stateKey.equals(f.stateKey()) && !f.time().isBefore(ownFrom) && f.time().isBefore(ownTo)) {
                    owned.add(f);
                }
            }
            fresh.addAll(store.replaceFindings("state:" + stateKey, typeIds, ownFrom, ownTo, owned));
            recordLocks(stateKey, e, ownFrom, ownTo);
            recordUnattributed(stateKey, e, ownFrom, ownTo);
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
    private void recordUnattributed(String stateKey, Evaluation e, Instant ownFrom, Instant ownTo) {
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
        firstSeen.forEach(store::markUnattributed);
    }

    private List<Finding> evaluateLogin(String key, Instant now) {
        Trail trail = new Trail();
        Neighbourhood.addCopies(trail, store.sessionEvents(List.of(key)).getOrDefault(key, List.of()));
        List<Finding> found = Detections.run(Evaluation.of(trail, policy, now), EnumSet.of(FindingType.UNEXPECTED_SUBJECT));
        return store.replaceFindings("login:" + key, Set.of(FindingType.UNEXPECTED_SUBJECT.id()), null, null, found);
    }

    private List<Finding> evaluateDenied(String scope, RoleAssumptionFailed f, Instant now) {
        String subject = f.webIdentity() == null ? "" : f.webIdentity().subject().raw();
        Trail trail = new Trail();
        for (List<TrailEvent> call : store.failedLogins(subject, f.roleArn(), start(day(f.meta().time())))) {
            trail.add(call);
        }
        List<Finding> found = Detections.run(Evaluation.of(trail, policy, now), EnumSet.of(FindingType.WEB_IDENTITY_DENIED));
        return store.replaceFindings("denied:" + scope, Set.of(FindingType.WEB_IDENTITY_DENIED.id()), null, null, found);
    }

    private List<Finding> evaluateTrust(TrustPolicyChanged change, Neighbourhood hood, Instant now) {
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
        return store.replaceFindings("call:" + callKey, Set.of(FindingType.TRUST_POLICY_WEAKENED.id()), null, null, found);
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
