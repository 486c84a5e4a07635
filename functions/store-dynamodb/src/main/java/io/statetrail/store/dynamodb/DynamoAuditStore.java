package io.statetrail.store.dynamodb;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.StoreWatch;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.CallRecord;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The audit trail on one DynamoDB table, assembled: an adapter per port over the shared {@link TableAccess}
 * ({@link DynamoCalls}, {@link DynamoSessions}, {@link DynamoLocks}, {@link DynamoPendingSessions},
 * {@link DynamoBulkDeletes}, {@link DynamoFindings}, {@link DynamoDeliveries}, {@link DynamoStoreCatalogue},
 * {@link DynamoStoreWatches}) and the queries ({@link DynamoQueries}),
 * presented as the whole {@link AuditStore} and {@link AuditQueries} for wiring. Nothing in this package depends on
 * this class. Layout, access patterns, idempotency and write cost: {@code docs/data-model.md}.
 *
 * <p>Nothing stored depends on when it was ingested: every time attribute and every TTL comes from CloudTrail's
 * {@code eventTime} (or the finding's time), never from the clock, so ingesting the same events in any order gives the
 * same items. Only the sweeper's and the dispatcher's bookkeeping carries their own {@code now}.
 */
public final class DynamoAuditStore implements AuditStore, AuditQueries {

    public static final String DEFAULT_TABLE = "statetrail-audit";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);

    private final TableAccess table;
    final SubjectCatalogue subjects;
    final RunSummaries runSummaries;
    private final DynamoCalls calls;
    private final DynamoSessions sessions;
    private final DynamoLocks locks;
    private final DynamoPendingSessions pending;
    private final DynamoBulkDeletes bulkDeletes;
    private final DynamoDeliveries deliveries;
    private final DynamoFindings findings;
    private final DynamoStoreCatalogue catalogue;
    private final DynamoStoreWatches watches;
    private final DynamoQueries queries;

    public DynamoAuditStore(DynamoDbClient client, String tableName) {
        this(client, tableName, Clock.systemUTC(), DEFAULT_RETENTION);
    }

    /** @param retention how long items live after their event (TTL on {@code expiresAt}); 400 days by default */
    public DynamoAuditStore(DynamoDbClient client, String tableName, Clock clock, Duration retention) {
        this.table = new TableAccess(client, tableName, clock == null ? Clock.systemUTC() : clock, retention == null ? DEFAULT_RETENTION : retention);
        this.subjects = new SubjectCatalogue(client, tableName);
        this.runSummaries = new RunSummaries(table, subjects);
        CallItems items = new CallItems(table.retention);
        this.calls = new DynamoCalls(table, items, runSummaries);
        this.sessions = new DynamoSessions(table, items, runSummaries);
        this.locks = new DynamoLocks(table);
        this.pending = new DynamoPendingSessions(table);
        this.bulkDeletes = new DynamoBulkDeletes(table);
        FindingItems findingItems = new FindingItems(table);
        this.deliveries = new DynamoDeliveries(table, findingItems);
        this.findings = new DynamoFindings(table, findingItems, deliveries, runSummaries);
        this.catalogue = new DynamoStoreCatalogue(table);
        this.watches = new DynamoStoreWatches(table);
        this.queries = new DynamoQueries(table, runSummaries, subjects);
    }

    /** The table this store keeps its items in. */
    public String tableName() {
        return table.tableName;
    }

    @Override
    public int completeIndexes(Duration budget) {
        return runSummaries.completeIndexes(budget, 1_000);
    }

    @Override
    public Trail.Added putCall(List<TrailEvent> events, String record) {
        return calls.putCall(events, record);
    }

    @Override
    public Optional<CallRecord> call(String eventId) {
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
    public List<List<TrailEvent>> storeCalls(String storeRef) {
        return calls.storeCalls(storeRef);
    }

    @Override
    public List<List<TrailEvent>> lockTableCalls(String tableName, Instant from, Instant to) {
        return calls.lockTableCalls(tableName, from, to);
    }

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
    public List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        return calls.callsSignedBy(accessKeys);
    }

    @Override
    public Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
        return calls.stateKeysTouchedBy(accessKeys);
    }

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
    public void stillHeld(Collection<Finding> held) {
        findings.stillHeld(held);
    }

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

    @Override
    public Optional<RunDetail> lineage(String accessKeyId) {
        return queries.lineage(accessKeyId);
    }

    @Override
    public Page<RunSummary> runs(RunQuery query) {
        return queries.runs(query);
    }

    @Override
    public Optional<RunDetail> run(String runKey) {
        return queries.run(runKey);
    }

    @Override
    public Page<Activity> stateTimeline(String stateKey, Instant from, Instant to, int limit, String cursor) {
        return queries.stateTimeline(stateKey, from, to, limit, cursor);
    }

    @Override
    public Page<Activity> activity(String repositoryOrSubjectPattern, Instant from, Instant to, int limit, String cursor) {
        return queries.activity(repositoryOrSubjectPattern, from, to, limit, cursor);
    }

    @Override
    public List<OpenLock> openLocks() {
        return queries.openLocks();
    }

    @Override
    public Page<Finding> findings(FindingQuery query) {
        return queries.findings(query);
    }

    @Override
    public Optional<Finding> finding(String id) {
        return queries.finding(id);
    }
}
