package io.statetrail.service.port;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.query.LockDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole {@link AuditStore} from one implementation of each port, every method handed to the port it belongs to
 * (defaults included, so a port that overrides one is heard). A store (DynamoDB, in memory) only builds its ports;
 * a new port method is forwarded here once.
 */
public class ComposedAuditStore implements AuditStore {

    private final Calls calls;
    private final Sessions sessions;
    private final Locks locks;
    private final PendingSessions pending;
    private final PendingBulkDeletes bulkDeletes;
    private final Findings findings;
    private final FindingStatuses statuses;
    private final Deliveries deliveries;
    private final IndexUpkeep upkeep;
    private final StoreCatalogue catalogue;
    private final StoreWatches watches;

    public ComposedAuditStore(Calls calls, Sessions sessions, Locks locks, PendingSessions pending,
            PendingBulkDeletes bulkDeletes, Findings findings, FindingStatuses statuses, Deliveries deliveries, IndexUpkeep upkeep,
            StoreCatalogue catalogue, StoreWatches watches) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.bulkDeletes = Objects.requireNonNull(bulkDeletes, "bulkDeletes");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.upkeep = Objects.requireNonNull(upkeep, "upkeep");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.watches = Objects.requireNonNull(watches, "watches");
    }

    // FindingStatuses

    @Override
    public List<io.statetrail.core.finding.StatusChange> statusHistory(String findingId) {
        return statuses.statusHistory(findingId);
    }

    @Override
    public Map<String, io.statetrail.core.finding.StatusChange> latestStatuses(Collection<String> findingIds) {
        return statuses.latestStatuses(findingIds);
    }

    @Override
    public void recordStatus(String findingId, io.statetrail.core.finding.StatusChange change) {
        statuses.recordStatus(findingId, change);
    }

    // Calls

    @Override
    public Trail.Added putCall(List<TrailEvent> events) {
        return calls.putCall(events);
    }

    @Override
    public Trail.Added putCall(List<TrailEvent> events, String record) {
        return calls.putCall(events, record);
    }

    @Override
    public Optional<io.statetrail.service.query.CallRecord> call(String eventId) {
        return calls.call(eventId);
    }

    @Override
    public List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to) {
        return calls.stateCalls(stateKey, from, to);
    }

    @Override
    public List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart) {
        return calls.failedLogins(subject, roleArn, dayStart);
    }

    @Override
    public List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to) {
        return calls.trustPolicyChanges(roleArn, from, to);
    }

    @Override
    public List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before) {
        return calls.lockCallsBefore(stateKey, before);
    }

    @Override
    public List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from) {
        return calls.lockCallAfter(stateKey, lockStore, from);
    }

    @Override
    public List<List<TrailEvent>> storeCalls(String storeRef) {
        return calls.storeCalls(storeRef);
    }

    @Override
    public List<List<TrailEvent>> lockTableCalls(String table, Instant from, Instant to) {
        return calls.lockTableCalls(table, from, to);
    }

    @Override
    public List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        return calls.callsSignedBy(accessKeys);
    }

    @Override
    public Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
        return calls.stateKeysTouchedBy(accessKeys);
    }

    // Sessions

    @Override
    public Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys) {
        return sessions.sessionEvents(accessKeys);
    }

    @Override
    public Set<String> childSessions(Collection<String> parentKeys) {
        return sessions.childSessions(parentKeys);
    }

    @Override
    public Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to) {
        return sessions.sessionsOpenedByRoleId(assumedRoleId, from, to);
    }

    @Override
    public List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to) {
        return sessions.sessionsByRoleId(assumedRoleId, from, to);
    }

    @Override
    public void putSessionRuns(Collection<SessionRun> runs) {
        sessions.putSessionRuns(runs);
    }

    @Override
    public Set<String> sessionKeysOfRun(String runKey) {
        return sessions.sessionKeysOfRun(runKey);
    }

    // Locks

    @Override
    public void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
        locks.putLockDetails(stateKey, lockStore, acquiredAt, details);
    }

    @Override
    public void putLockState(LockState state) {
        locks.putLockState(state);
    }

    @Override
    public List<WatchedLock> locksToWatch() {
        return locks.locksToWatch();
    }

    @Override
    public void putLockWatch(String stateKey, String lockStore, LockWatch watch) {
        locks.putLockWatch(stateKey, lockStore, watch);
    }

    @Override
    public List<LockState> locksInBucket(String bucket) {
        return locks.locksInBucket(bucket);
    }

    // PendingSessions

    @Override
    public void markUnattributed(String accessKey, Instant firstSeen) {
        pending.markUnattributed(accessKey, firstSeen);
    }

    @Override
    public void clearUnattributed(String accessKey) {
        pending.clearUnattributed(accessKey);
    }

    @Override
    public List<Unattributed> unattributedBefore(Instant cutoff, int limit) {
        return pending.unattributedBefore(cutoff, limit);
    }

    @Override
    public void markLookedUp(String accessKey, Instant at) {
        pending.markLookedUp(accessKey, at);
    }

    // PendingBulkDeletes

    @Override
    public void markBulkDelete(String stateKey, String callKey, Instant time) {
        bulkDeletes.markBulkDelete(stateKey, callKey, time);
    }

    @Override
    public List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit) {
        return bulkDeletes.bulkDeletesBefore(cutoff, limit);
    }

    @Override
    public void markBulkDeleteJudged(String callKey, Instant at) {
        bulkDeletes.markBulkDeleteJudged(callKey, at);
    }

    // Findings

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
    public Optional<Finding> finding(String id) {
        return findings.finding(id);
    }

    @Override
    public boolean create(StoredFinding finding, List<Delivery> queue) {
        return findings.create(finding, queue);
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
    public void stillHeld(Collection<Finding> held) {
        findings.stillHeld(held);
    }

    // Deliveries

    @Override
    public List<Delivery> deliveriesOf(String findingId) {
        return deliveries.deliveriesOf(findingId);
    }

    @Override
    public void enqueue(Collection<Delivery> queue) {
        deliveries.enqueue(queue);
    }

    @Override
    public void cancel(Delivery delivery) {
        deliveries.cancel(delivery);
    }

    @Override
    public List<Delivery> dueDeliveries(Instant now, int limit) {
        return deliveries.dueDeliveries(now, limit);
    }

    @Override
    public boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
        return deliveries.recordDelivery(delivery, delivered, error, nextAttempt, ref);
    }

    @Override
    public boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt) {
        return deliveries.recordDelivery(delivery, delivered, error, nextAttempt);
    }

    @Override
    public boolean postpone(Delivery delivery, Instant until, String note) {
        return deliveries.postpone(delivery, until, note);
    }

    @Override
    public Optional<Instant> lastAlerted(String destination, String groupKey) {
        return deliveries.lastAlerted(destination, groupKey);
    }

    @Override
    public void alerted(String destination, String groupKey, Instant at) {
        deliveries.alerted(destination, groupKey, at);
    }

    // IndexUpkeep

    @Override
    public int completeIndexes(Duration budget) {
        return upkeep.completeIndexes(budget);
    }

    // StoreCatalogue

    @Override
    public Set<String> markStores(Collection<String> refs) {
        return catalogue.markStores(refs);
    }

    @Override
    public Set<String> knownStores(Collection<String> refs) {
        return catalogue.knownStores(refs);
    }

    @Override
    public Set<String> statesIn(String bucket) {
        return catalogue.statesIn(bucket);
    }

    // StoreWatches

    @Override
    public void watchStore(StoreWatch watch) {
        watches.watchStore(watch);
    }

    @Override
    public void unwatchStore(String findingId) {
        watches.unwatchStore(findingId);
    }

    @Override
    public List<StoreWatch> storesToWatch(int limit) {
        return watches.storesToWatch(limit);
    }

    @Override
    public void storeChecked(StoreWatch checked) {
        watches.storeChecked(checked);
    }
}
