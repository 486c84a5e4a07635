package io.statetrail.store.dynamodb;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.ComposedAuditStore;
import io.statetrail.service.port.IndexUpkeep;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.CallRecord;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The audit trail on one DynamoDB table, assembled: an adapter per port over the shared {@link TableAccess}
 * ({@link DynamoCalls}, {@link DynamoSessions}, {@link DynamoLocks}, {@link DynamoPendingSessions},
 * {@link DynamoBulkDeletes}, {@link DynamoFindings}, {@link DynamoDeliveries}, {@link DynamoFindingStatuses}, {@link DynamoStoreCatalogue},
 * {@link DynamoStoreWatches}) and the queries ({@link DynamoQueries}),
 * presented as the whole {@link AuditStore} (each method forwarded by {@link ComposedAuditStore}) and
 * {@link AuditQueries} for wiring. Nothing in this package depends on this class. Layout, access patterns, idempotency and write cost: {@code docs/data-model.md}.
 *
 * <p>Nothing stored depends on when it was ingested: every time attribute and every TTL comes from CloudTrail's
 * {@code eventTime} (or the finding's time), never from the clock, so ingesting the same events in any order gives the
 * same items. Only the sweeper's and the dispatcher's bookkeeping carries their own {@code now}.
 */
public final class DynamoAuditStore extends ComposedAuditStore implements AuditQueries {

    public static final String DEFAULT_TABLE = "statetrail-audit";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);

    private final TableAccess table;
    final SubjectCatalogue subjects;
    final RunSummaries runSummaries;
    private final DynamoQueries queries;

    public DynamoAuditStore(DynamoDbClient client, String tableName) {
        this(client, tableName, Clock.systemUTC(), DEFAULT_RETENTION);
    }

    /** @param retention how long items live after their event (TTL on {@code expiresAt}); 400 days by default */
    public DynamoAuditStore(DynamoDbClient client, String tableName, Clock clock, Duration retention) {
        this(Adapters.on(client, tableName, clock == null ? Clock.systemUTC() : clock, retention == null ? DEFAULT_RETENTION : retention));
    }

    private DynamoAuditStore(Adapters a) {
        super(a.calls, a.sessions, a.locks, a.pending, a.bulkDeletes, a.findings, a.statuses, a.deliveries, a.upkeep, a.catalogue, a.watches);
        this.table = a.table;
        this.subjects = a.subjects;
        this.runSummaries = a.runSummaries;
        this.queries = a.queries;
    }

    /** Every adapter over one table, built in the order they depend on each other. */
    private record Adapters(TableAccess table, SubjectCatalogue subjects, RunSummaries runSummaries, DynamoCalls calls,
            DynamoSessions sessions, DynamoLocks locks, DynamoPendingSessions pending, DynamoBulkDeletes bulkDeletes,
            DynamoFindings findings, DynamoFindingStatuses statuses, DynamoDeliveries deliveries, IndexUpkeep upkeep, DynamoStoreCatalogue catalogue,
            DynamoStoreWatches watches, DynamoQueries queries) {

        static Adapters on(DynamoDbClient client, String tableName, Clock clock, Duration retention) {
            TableAccess table = new TableAccess(client, tableName, clock, retention);
            SubjectCatalogue subjects = new SubjectCatalogue(client, tableName);
            RunSummaries runSummaries = new RunSummaries(table, subjects);
            CallItems items = new CallItems(table.retention);
            FindingItems findingItems = new FindingItems(table);
            DynamoDeliveries deliveries = new DynamoDeliveries(table, findingItems);
            IndexUpkeep upkeep = new IndexUpkeep() {
                @Override
                public int completeIndexes(Duration budget) {
                    return runSummaries.completeIndexes(budget, 1_000);
                }
            };
            DynamoFindingStatuses statuses = new DynamoFindingStatuses(table);
            return new Adapters(table, subjects, runSummaries, new DynamoCalls(table, items, runSummaries),
                    new DynamoSessions(table, items, runSummaries), new DynamoLocks(table), new DynamoPendingSessions(table),
                    new DynamoBulkDeletes(table), new DynamoFindings(table, findingItems, deliveries, runSummaries), statuses,
                    deliveries, upkeep, new DynamoStoreCatalogue(table), new DynamoStoreWatches(table),
                    new DynamoQueries(table, runSummaries, subjects, statuses));
        }
    }

    /** The table this store keeps its items in. */
    public String tableName() {
        return table.tableName;
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
