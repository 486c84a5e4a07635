package io.statetrail.service.memory;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.LockDetails;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The audit store in memory, for unit tests of the service's decisions in milliseconds. It answers every port method
 * as the DynamoDB store does (the shared contract tests hold both to it): one entry per call with every copy, the
 * preferred copy deciding what the call is about, the same look-up windows and bounds, newest-wins lock states.
 */
public final class InMemoryAuditStore implements AuditStore {

    /** Bounds the look-back for the latest lock call, as the DynamoDB store does. */
    static final int LOCK_LOOKBACK = 1000;
    static final Duration LOCK_BODY_SKEW = Duration.ofMinutes(5);

    /** One stored call: every copy by copy id (eventID@recipient), and the preferred one. */
    private static final class StoredCall {
        final TreeMap<String, List<TrailEvent>> copies = new TreeMap<>();
        String preferred;

        List<TrailEvent> events() {
            return copies.get(preferred);
        }

        EventMeta meta() {
            return events().get(0).meta();
        }

        List<List<TrailEvent>> allCopies() {
            return new ArrayList<>(copies.values());
        }

        List<TrailEvent> flat() {
            List<TrailEvent> out = new ArrayList<>();
            copies.values().forEach(out::addAll);
            return out;
        }
    }

    private final Map<String, StoredCall> calls = new LinkedHashMap<>();
    private final Map<String, SessionRun> runs = new TreeMap<>();
    private final Map<String, LockState> lockStates = new TreeMap<>();
    private final Map<String, LockWatch> lockWatches = new TreeMap<>();
    private final List<LockBody> lockBodies = new ArrayList<>();
    private final Map<String, Unattributed> pending = new TreeMap<>();
    private final InMemoryFindingStore findings;

    private record LockBody(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
    }

    public InMemoryAuditStore() {
        this(Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
    }

    /** @param clock when deliveries are recorded as delivered (bookkeeping only) */
    public InMemoryAuditStore(Clock clock) {
        this.findings = new InMemoryFindingStore(clock);
    }

    public InMemoryFindingStore findingStore() {
        return findings;
    }

    // ---- calls ----

    @Override
    public synchronized Trail.Added putCall(List<TrailEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events");
        }
        EventMeta meta = events.get(0).meta();
        String copyId = meta.eventId() + "@" + meta.recipientAccountId();
        StoredCall c = calls.get(meta.callKey());
        if (c == null) {
            c = new StoredCall();
            c.copies.put(copyId, List.copyOf(events));
            c.preferred = copyId;
            calls.put(meta.callKey(), c);
            return Trail.Added.NEW;
        }
        if (c.copies.containsKey(copyId)) {
            return Trail.Added.DUPLICATE;
        }
        c.copies.put(copyId, List.copyOf(events));
        String best = null;
        for (Map.Entry<String, List<TrailEvent>> e : c.copies.entrySet()) {
            if (best == null || Trail.prefer(e.getValue().get(0).meta(), c.copies.get(best).get(0).meta())) {
                best = e.getKey();
            }
        }
        c.preferred = best;
        return Trail.Added.OTHER_COPY;
    }

    private List<StoredCall> sessionsByKey(String key) {
        List<StoredCall> out = new ArrayList<>();
        for (StoredCall c : calls.values()) {
            if (c.events().get(0) instanceof RoleAssumed r && key.equals(r.issuedKey())) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys) {
        Map<String, List<TrailEvent>> out = new LinkedHashMap<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            List<TrailEvent> events = new ArrayList<>();
            sessionsByKey(key).forEach(c -> events.addAll(c.flat()));
            if (!events.isEmpty()) {
                out.put(key, events);
            }
        }
        return out;
    }

    /** The index entry the DynamoDB store lists a call under ({@code gsi1}): logins by repository, else by caller. */
    private static String by(StoredCall c) {
        TrailEvent first = c.events().get(0);
        Actor actor = c.meta().actor() == null ? Actor.UNKNOWN : c.meta().actor();
        if (first instanceof RoleAssumed r && r.webIdentity() != null) {
            return "login";
        }
        if (actor.accessKeyId() != null) {
            return "key:" + actor.accessKeyId();
        }
        if ("AWSAccount".equals(actor.type()) && actor.principalId() != null) {
            return "principal:" + actor.principalId();
        }
        return null;
    }

    @Override
    public synchronized Set<String> childSessions(Collection<String> parentKeys) {
        Set<String> out = new TreeSet<>();
        for (String parent : new LinkedHashSet<>(parentKeys)) {
            for (StoredCall c : calls.values()) {
                if (("key:" + parent).equals(by(c)) && c.events().get(0) instanceof RoleAssumed r && r.issuedKey() != null) {
                    out.add(r.issuedKey());
                }
            }
            for (StoredCall p : sessionsByKey(parent)) {
                RoleAssumed r = (RoleAssumed) p.events().get(0);
                if (r.assumedRoleId() == null) {
                    continue;
                }
                Instant from = r.meta().time();
                Instant to = r.expiration() != null ? r.expiration() : from.plus(Duration.ofHours(12));
                for (String child : sessionsOpenedByRoleId(r.assumedRoleId(), from, to)) {
                    if (!child.equals(parent)) {
                        out.add(child);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public synchronized Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to) {
        Set<String> out = new TreeSet<>();
        for (StoredCall c : calls.values()) {
            Instant t = c.meta().time();
            if (("principal:" + assumedRoleId).equals(by(c)) && !t.isBefore(from) && !t.isAfter(to)
                    && c.events().get(0) instanceof RoleAssumed r && r.issuedKey() != null) {
                out.add(r.issuedKey());
            }
        }
        return out;
    }

    @Override
    public synchronized Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
        Set<String> out = new TreeSet<>();
        for (List<TrailEvent> call : callsSignedBy(accessKeys)) {
            for (TrailEvent e : call) {
                if (e instanceof StateAccess s) {
                    out.add(s.stateKey());
                }
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            for (StoredCall c : chronological(calls.values())) {
                if (("key:" + key).equals(by(c))) {
                    out.addAll(c.allCopies());
                }
            }
        }
        return out;
    }

    @Override
    public synchronized List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to) {
        List<TrailEvent> out = new ArrayList<>();
        for (StoredCall c : chronological(calls.values())) {
            Instant t = c.meta().time();
            if (c.events().get(0) instanceof RoleAssumed r && assumedRoleId.equals(r.assumedRoleId()) && !t.isBefore(from) && !t.isAfter(to)) {
                out.addAll(c.flat());
            }
        }
        return out;
    }

    /** Calls on a state key: the ones about it first, and the ones that name it besides (CopyObject, DeleteObjects). */
    private List<StoredCall> onState(String stateKey) {
        List<StoredCall> out = new ArrayList<>();
        for (StoredCall c : calls.values()) {
            for (TrailEvent e : c.events()) {
                if (e instanceof StateAccess s && s.stateKey().equals(stateKey)) {
                    out.add(c);
                    break;
                }
            }
        }
        return chronological(out);
    }

    @Override
    public synchronized List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (StoredCall c : onState(stateKey)) {
            Instant t = c.meta().time();
            if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to))) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart) {
        List<List<TrailEvent>> out = new ArrayList<>();
        String day = dayStart.atZone(ZoneOffset.UTC).toLocalDate().toString();
        for (StoredCall c : chronological(calls.values())) {
            if (c.events().get(0) instanceof RoleAssumptionFailed f && "AssumeRoleWithWebIdentity".equals(f.method())
                    && (subject == null ? "" : subject).equals(f.webIdentity() == null ? "" : f.webIdentity().subject().raw())
                    && String.valueOf(roleArn).equals(String.valueOf(f.roleArn()))
                    && day.equals(f.meta().time().atZone(ZoneOffset.UTC).toLocalDate().toString())) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    @Override
    public synchronized List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (StoredCall c : chronological(calls.values())) {
            Instant t = c.meta().time();
            if (c.events().get(0) instanceof TrustPolicyChanged p && roleArn.equals(p.roleArn()) && !t.isBefore(from) && t.isBefore(to)) {
                out.addAll(c.allCopies());
            }
        }
        return out;
    }

    /** The lock store of a lock call on this state key; a call listed under it only because it names it too has none. */
    private static String lockStore(StoredCall c, String stateKey) {
        return c.events().get(0) instanceof StateAccess s && s.stateKey().equals(stateKey) ? s.lockStore() : null;
    }

    @Override
    public synchronized List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before) {
        List<StoredCall> on = onState(stateKey);
        Map<String, StoredCall> latest = new TreeMap<>();
        int seen = 0;
        for (int i = on.size() - 1; i >= 0 && seen < LOCK_LOOKBACK; i--) {
            StoredCall c = on.get(i);
            if (!c.meta().time().isBefore(before)) {
                continue;
            }
            seen++;
            if (lockStore(c, stateKey) != null && c.meta().errorCode() == null) {
                latest.putIfAbsent(lockStore(c, stateKey), c);
            }
        }
        List<List<TrailEvent>> out = new ArrayList<>();
        latest.values().forEach(c -> out.addAll(c.allCopies()));
        return out;
    }

    @Override
    public synchronized List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from) {
        int seen = 0;
        for (StoredCall c : onState(stateKey)) {
            if (c.meta().time().isBefore(from)) {
                continue;
            }
            if (seen++ >= LOCK_LOOKBACK) {
                break;
            }
            if (lockStore.equals(lockStore(c, stateKey)) && c.meta().errorCode() == null) {
                return c.flat();
            }
        }
        return List.of();
    }

    /** In the order the DynamoDB store's sort keys give: time, then call key. */
    private static List<StoredCall> chronological(Collection<StoredCall> cs) {
        List<StoredCall> out = new ArrayList<>(cs);
        out.sort(Comparator.comparing((StoredCall c) -> c.meta().time()).thenComparing(c -> c.meta().callKey()));
        return out;
    }

    @Override
    public synchronized void putSessionRuns(Collection<SessionRun> list) {
        list.forEach(r -> runs.put(r.sessionKey(), r));
    }

    public synchronized Optional<SessionRun> sessionRun(String key) {
        return Optional.ofNullable(runs.get(key));
    }

    // ---- locks ----

    @Override
    public synchronized void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
        lockBodies.removeIf(b -> b.stateKey.equals(stateKey) && b.lockStore.equals(lockStore) && b.acquiredAt.equals(acquiredAt));
        lockBodies.add(new LockBody(stateKey, lockStore, acquiredAt, details));
    }

    private LockDetails lockDetails(String stateKey, String lockStore, Instant acquiredAt) {
        LockBody best = null;
        long bestGap = LOCK_BODY_SKEW.toMillis() + 1;
        for (LockBody b : lockBodies) {
            if (acquiredAt == null || !b.stateKey.equals(stateKey) || !b.lockStore.equals(lockStore)) {
                continue;
            }
            long gap = Math.abs(Duration.between(acquiredAt, b.acquiredAt).toMillis());
            if (gap < bestGap) {
                best = b;
                bestGap = gap;
            }
        }
        return best == null ? null : best.details;
    }

    @Override
    public synchronized void putLockState(LockState state) {
        String k = state.stateKey() + "\u0000" + state.lockStore();
        LockState stored = lockStates.get(k);
        if (stored != null && stored.compareLastOp(state) > 0) {
            return; // an older call arrived late: the stored state is newer
        }
        lockStates.put(k, state);
    }

    @Override
    public synchronized List<WatchedLock> locksToWatch() {
        List<WatchedLock> out = new ArrayList<>();
        for (Map.Entry<String, LockState> e : lockStates.entrySet()) {
            LockState s = e.getValue();
            LockWatch w = lockWatches.getOrDefault(e.getKey(), LockWatch.NONE);
            boolean open = s.open() && !java.util.Objects.equals(w.goneCallKey(), s.acquiredCallKey());
            if (open || w.alertOpen()) {
                out.add(new WatchedLock(s, w, lockDetails(s.stateKey(), s.lockStore(), s.acquiredAt())));
            }
        }
        return out;
    }

    @Override
    public synchronized void putLockWatch(String stateKey, String lockStore, LockWatch watch) {
        String k = stateKey + "\u0000" + lockStore;
        if (lockStates.containsKey(k)) {
            lockWatches.put(k, watch);
        }
    }

    // ---- unattributed sessions ----

    @Override
    public synchronized void markUnattributed(String accessKey, Instant firstSeen) {
        Unattributed stored = pending.get(accessKey);
        if (stored != null && !stored.firstSeen().isAfter(firstSeen)) {
            return;
        }
        pending.put(accessKey, new Unattributed(accessKey, firstSeen, stored == null ? null : stored.lookedUpAt()));
    }

    @Override
    public synchronized void clearUnattributed(String accessKey) {
        pending.remove(accessKey);
    }

    @Override
    public synchronized List<Unattributed> unattributedBefore(Instant cutoff, int limit) {
        return pending.values().stream()
                .filter(u -> u.lookedUpAt() == null && u.firstSeen().isBefore(cutoff))
                .sorted(Comparator.comparing(Unattributed::firstSeen).thenComparing(Unattributed::accessKey))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void markLookedUp(String accessKey, Instant at) {
        Unattributed u = pending.get(accessKey);
        if (u != null) {
            pending.put(accessKey, new Unattributed(accessKey, u.firstSeen(), at));
        }
    }

    // ---- bulk deletes and runs' sessions ----

    private final Map<String, io.statetrail.service.port.BulkDelete> bulkDeletes = new TreeMap<>();
    private final Set<String> judgedBulkDeletes = new java.util.TreeSet<>();

    @Override
    public synchronized void markBulkDelete(String stateKey, String callKey, Instant time) {
        bulkDeletes.putIfAbsent(callKey, new io.statetrail.service.port.BulkDelete(stateKey, callKey, time));
    }

    @Override
    public synchronized List<io.statetrail.service.port.BulkDelete> bulkDeletesBefore(Instant cutoff, int limit) {
        return bulkDeletes.values().stream().filter(b -> !judgedBulkDeletes.contains(b.callKey()) && b.time().isBefore(cutoff))
                .sorted(Comparator.comparing(io.statetrail.service.port.BulkDelete::time).thenComparing(io.statetrail.service.port.BulkDelete::callKey))
                .limit(limit).toList();
    }

    @Override
    public synchronized void markBulkDeleteJudged(String callKey, Instant at) {
        judgedBulkDeletes.add(callKey);
    }

    @Override
    public synchronized List<LockState> locksInBucket(String bucket) {
        return lockStates.values().stream().filter(l -> l.stateKey().startsWith(bucket + "/")).toList();
    }

    @Override
    public synchronized Set<String> sessionKeysOfRun(String runKey) {
        Set<String> out = new TreeSet<>();
        if (!sessionsByKey(runKey).isEmpty()) {
            out.add(runKey);
        }
        runs.forEach((key, run) -> {
            if (runKey.equals(run.runKey())) {
                out.add(key);
            }
        });
        return out;
    }

    // ---- findings and deliveries: see InMemoryFindingStore ----

    @Override
    public List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to) {
        return findings.findingsOf(scope, types, from, to);
    }

    @Override
    public List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to) {
        return findings.findingTimes(scope, types, from, to);
    }

    @Override
    public Optional<StoredFinding> storedFinding(String id) {
        return findings.storedFinding(id);
    }

    @Override
    public boolean create(StoredFinding finding, List<Delivery> deliveries) {
        return findings.create(finding, deliveries);
    }

    @Override
    public void put(StoredFinding finding) {
        findings.put(finding);
    }

    @Override
    public void delete(StoredFinding finding) {
        findings.delete(finding);
    }

    @Override
    public List<Delivery> deliveriesOf(String findingId) {
        return findings.deliveriesOf(findingId);
    }

    @Override
    public void enqueue(Collection<Delivery> deliveries) {
        findings.enqueue(deliveries);
    }

    @Override
    public void cancel(Delivery delivery) {
        findings.cancel(delivery);
    }

    @Override
    public List<Delivery> dueDeliveries(Instant now, int limit) {
        return findings.dueDeliveries(now, limit);
    }

    @Override
    public boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
        return findings.recordDelivery(delivery, delivered, error, nextAttempt, ref);
    }

    @Override
    public boolean postpone(Delivery delivery, Instant until, String note) {
        return findings.postpone(delivery, until, note);
    }

    @Override
    public Optional<Instant> lastAlerted(String destination, String groupKey) {
        return findings.lastAlerted(destination, groupKey);
    }

    @Override
    public void alerted(String destination, String groupKey, Instant at) {
        findings.alerted(destination, groupKey, at);
    }

    /** Every stored finding that holds (not withdrawn), for assertions. */
    public List<Finding> findings() {
        return findings.held();
    }
}
