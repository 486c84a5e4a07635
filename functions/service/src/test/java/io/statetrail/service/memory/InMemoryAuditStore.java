package io.statetrail.service.memory;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.LockDetails;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole audit store in memory, for unit tests of the service's decisions in milliseconds: each port by its own
 * in-memory implementation ({@link InMemoryCalls}, {@link InMemorySessions}, {@link InMemoryLocks},
 * {@link InMemoryPendingSessions}, {@link InMemoryBulkDeletes}, {@link InMemoryFindings}, {@link InMemoryStores}), which answer as the DynamoDB
 * adapters do (the shared contract tests hold both to it). Every method holds the store's lock, so a call is atomic as
 * one DynamoDB request is, and steps of a batch judged side by side (issue 18) interleave between calls.
 */
public final class InMemoryAuditStore implements AuditStore {

    private final InMemoryCalls calls = new InMemoryCalls();
    private final InMemorySessions sessions = new InMemorySessions(calls);
    private final InMemoryLocks locks = new InMemoryLocks();
    private final InMemoryPendingSessions pending = new InMemoryPendingSessions();
    private final InMemoryBulkDeletes bulkDeletes = new InMemoryBulkDeletes();
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryFindings findings;

    public InMemoryAuditStore() {
        this(Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
    }

    /** @param clock when deliveries are recorded as delivered (bookkeeping only) */
    public InMemoryAuditStore(Clock clock) {
        this.findings = new InMemoryFindings(clock);
    }

    /**
     * Everything the store keeps, by a key: two stores filled with the same records in any order, any number of times,
     * have the same snapshot (the in-memory twin of comparing two DynamoDB tables item by item).
     */
    public synchronized java.util.TreeMap<String, String> snapshot() {
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
        calls.snapshot(out);
        sessions.snapshot(out);
        locks.snapshot(out);
        pending.snapshot(out);
        bulkDeletes.snapshot(out);
        findings.snapshot(out);
        return out;
    }

    public synchronized InMemoryFindings findingStore() {
        return findings;
    }

    public synchronized InMemorySessions sessions() {
        return sessions;
    }

    /** Every stored finding that holds (not withdrawn), for assertions. */
    public synchronized List<Finding> findings() {
        return findings.held();
    }

    @Override
    public synchronized Trail.Added putCall(List<TrailEvent> events) {
        return calls.putCall(events);
    }

    @Override
    public synchronized List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to) {
        return calls.stateCalls(stateKey, from, to);
    }

    @Override
    public synchronized List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart) {
        return calls.failedLogins(subject, roleArn, dayStart);
    }

    @Override
    public synchronized List<List<TrailEvent>> storeCalls(String storeRef) {
        return calls.storeCalls(storeRef);
    }

    @Override
    public synchronized List<List<TrailEvent>> lockTableCalls(String table, Instant from, Instant to) {
        return calls.lockTableCalls(table, from, to);
    }

    @Override
    public synchronized Set<String> markStores(Collection<String> refs) {
        return stores.markStores(refs);
    }

    @Override
    public synchronized Set<String> knownStores(Collection<String> refs) {
        return stores.knownStores(refs);
    }

    @Override
    public synchronized Set<String> statesIn(String bucket) {
        return stores.statesIn(bucket);
    }

    @Override
    public synchronized void watchStore(io.statetrail.service.port.StoreWatch watch) {
        stores.watchStore(watch);
    }

    @Override
    public synchronized void unwatchStore(String findingId) {
        stores.unwatchStore(findingId);
    }

    @Override
    public synchronized List<io.statetrail.service.port.StoreWatch> storesToWatch(int limit) {
        return stores.storesToWatch(limit);
    }

    @Override
    public synchronized void storeChecked(io.statetrail.service.port.StoreWatch checked) {
        stores.storeChecked(checked);
    }

    @Override
    public synchronized List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to) {
        return calls.trustPolicyChanges(roleArn, from, to);
    }

    @Override
    public synchronized List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before) {
        return calls.lockCallsBefore(stateKey, before);
    }

    @Override
    public synchronized List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from) {
        return calls.lockCallAfter(stateKey, lockStore, from);
    }

    @Override
    public synchronized List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        return calls.callsSignedBy(accessKeys);
    }

    @Override
    public synchronized Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
        return calls.stateKeysTouchedBy(accessKeys);
    }

    @Override
    public synchronized Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys) {
        return sessions.sessionEvents(accessKeys);
    }

    @Override
    public synchronized Set<String> childSessions(Collection<String> parentKeys) {
        return sessions.childSessions(parentKeys);
    }

    @Override
    public synchronized Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to) {
        return sessions.sessionsOpenedByRoleId(assumedRoleId, from, to);
    }

    @Override
    public synchronized List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to) {
        return sessions.sessionsByRoleId(assumedRoleId, from, to);
    }

    @Override
    public synchronized void putSessionRuns(Collection<SessionRun> runs) {
        sessions.putSessionRuns(runs);
    }

    @Override
    public synchronized Set<String> sessionKeysOfRun(String runKey) {
        return sessions.sessionKeysOfRun(runKey);
    }

    @Override
    public synchronized void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
        locks.putLockDetails(stateKey, lockStore, acquiredAt, details);
    }

    @Override
    public synchronized void putLockState(LockState state) {
        locks.putLockState(state);
    }

    @Override
    public synchronized List<WatchedLock> locksToWatch() {
        return locks.locksToWatch();
    }

    @Override
    public synchronized void putLockWatch(String stateKey, String lockStore, LockWatch watch) {
        locks.putLockWatch(stateKey, lockStore, watch);
    }

    @Override
    public synchronized List<LockState> locksInBucket(String bucket) {
        return locks.locksInBucket(bucket);
    }

    @Override
    public synchronized void markUnattributed(String accessKey, Instant firstSeen) {
        pending.markUnattributed(accessKey, firstSeen);
    }

    @Override
    public synchronized void clearUnattributed(String accessKey) {
        pending.clearUnattributed(accessKey);
    }

    @Override
    public synchronized List<Unattributed> unattributedBefore(Instant cutoff, int limit) {
        return pending.unattributedBefore(cutoff, limit);
    }

    @Override
    public synchronized void markLookedUp(String accessKey, Instant at) {
        pending.markLookedUp(accessKey, at);
    }

    @Override
    public synchronized void markBulkDelete(String stateKey, String callKey, Instant time) {
        bulkDeletes.markBulkDelete(stateKey, callKey, time);
    }

    @Override
    public synchronized List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit) {
        return bulkDeletes.bulkDeletesBefore(cutoff, limit);
    }

    @Override
    public synchronized void markBulkDeleteJudged(String callKey, Instant at) {
        bulkDeletes.markBulkDeleteJudged(callKey, at);
    }

    @Override
    public synchronized List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to) {
        return findings.findingsOf(scope, types, from, to);
    }

    @Override
    public synchronized List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to) {
        return findings.findingTimes(scope, types, from, to);
    }

    @Override
    public synchronized Optional<StoredFinding> storedFinding(String id) {
        return findings.storedFinding(id);
    }

    @Override
    public synchronized boolean create(StoredFinding finding, List<Delivery> deliveries) {
        return findings.create(finding, deliveries);
    }

    @Override
    public synchronized void put(StoredFinding finding) {
        findings.put(finding);
    }

    @Override
    public synchronized void delete(StoredFinding finding) {
        findings.delete(finding);
    }

    @Override
    public synchronized List<Delivery> deliveriesOf(String findingId) {
        return findings.deliveriesOf(findingId);
    }

    @Override
    public synchronized void enqueue(Collection<Delivery> deliveries) {
        findings.enqueue(deliveries);
    }

    @Override
    public synchronized void cancel(Delivery delivery) {
        findings.cancel(delivery);
    }

    @Override
    public synchronized List<Delivery> dueDeliveries(Instant now, int limit) {
        return findings.dueDeliveries(now, limit);
    }

    @Override
    public synchronized boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
        return findings.recordDelivery(delivery, delivered, error, nextAttempt, ref);
    }

    @Override
    public synchronized boolean postpone(Delivery delivery, Instant until, String note) {
        return findings.postpone(delivery, until, note);
    }

    @Override
    public synchronized void stillHeld(Collection<Finding> held) {
        findings.stillHeld(held);
    }

    @Override
    public synchronized Optional<Instant> lastAlerted(String destination, String groupKey) {
        return findings.lastAlerted(destination, groupKey);
    }

    @Override
    public synchronized void alerted(String destination, String groupKey, Instant at) {
        findings.alerted(destination, groupKey, at);
    }
}
