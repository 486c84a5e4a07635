package io.statetrail.store.dynamodb;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrailEventJson;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import io.statetrail.store.dynamodb.Items.CallItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import io.statetrail.store.dynamodb.Items.LockInfoItem;
import io.statetrail.store.dynamodb.Items.LockItem;
import io.statetrail.store.dynamodb.Items.PendingItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;


/**
 * The audit table as every adapter reads and writes it: the client, the typed item tables, retention and clock, and
 * the access patterns several ports share (a session's item, the calls a key signed, a lock's body, index queries
 * and batch reads). Layout: {@code docs/data-model.md}. Below every adapter; it knows none of them.
 */
final class TableAccess {

    final DynamoDbClient client;
    final DynamoDbEnhancedClient enhanced;
    final String tableName;
    final Duration retention;
    final Clock clock;
    final DynamoDbTable<CallItem> calls;
    final DynamoDbTable<LockItem> locks;
    final DynamoDbTable<LockInfoItem> lockInfos;
    final DynamoDbTable<FindingItem> findings;
    final DynamoDbTable<PendingItem> pending;
    final DynamoDbTable<Items.DeliveryItem> deliveries;
    final DynamoDbTable<Items.AlertedItem> alerted;
    final DynamoDbTable<Items.BulkDeleteItem> bulkDeletes;
    final DynamoDbTable<Items.RunSummaryItem> runSummaries;
    final DynamoDbTable<Items.StoreItem> stores;
    final DynamoDbTable<Items.StatusItem> statuses;

    TableAccess(DynamoDbClient client, String tableName, Clock clock, Duration retention) {
        this.client = client;
        this.tableName = tableName;
        this.clock = clock;
        this.retention = retention;
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
        this.calls = enhanced.table(tableName, CallItem.SCHEMA);
        this.locks = enhanced.table(tableName, LockItem.SCHEMA);
        this.lockInfos = enhanced.table(tableName, LockInfoItem.SCHEMA);
        this.findings = enhanced.table(tableName, FindingItem.SCHEMA);
        this.pending = enhanced.table(tableName, PendingItem.SCHEMA);
        this.deliveries = enhanced.table(tableName, Items.DeliveryItem.SCHEMA);
        this.alerted = enhanced.table(tableName, Items.AlertedItem.SCHEMA);
        this.bulkDeletes = enhanced.table(tableName, Items.BulkDeleteItem.SCHEMA);
        this.runSummaries = enhanced.table(tableName, Items.RunSummaryItem.SCHEMA);
        this.stores = enhanced.table(tableName, Items.StoreItem.SCHEMA);
        this.statuses = enhanced.table(tableName, Items.StatusItem.SCHEMA);
    }

    /** Longest an STS session can last (a role's maximum session duration): bounds every lineage look-up. */
    static final Duration MAX_SESSION = Duration.ofHours(12);

    /** Look-back for the latest lock call before a window: enough for any real lock, bounded for hostile input. */
    static final int LOCK_LOOKBACK = 1000;

    static final Expression NOT_EXISTS = Expression.builder()
            .expression("attribute_not_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();

    static final Expression EXISTS = Expression.builder()
            .expression("attribute_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();

    static String copyId(EventMeta meta) {
        return meta.eventId() + "@" + meta.recipientAccountId();
    }

    static String denied(String subject, String roleArn, Instant time) {
        return Keys.DENIED + subject + "|" + roleArn + "|" + day(time);
    }

    static String day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** Each stored copy's events, in copy-id order. */
    static List<List<TrailEvent>> copies(CallItem i) {
        List<List<TrailEvent>> out = new ArrayList<>();
        if (i.copies != null) {
            new TreeMap<>(i.copies).values().forEach(json -> out.add(TrailEventJson.recordFromJson(json)));
        }
        return out;
    }

    /** The preferred copy's events. */
    static List<TrailEvent> preferred(CallItem i) {
        return TrailEventJson.recordFromJson(i.copies.get(i.preferred));
    }

    static List<TrailEvent> flat(List<List<TrailEvent>> copies) {
        List<TrailEvent> out = new ArrayList<>();
        copies.forEach(out::addAll);
        return out;
    }

    // =====================================================================================================
    // Query helpers
    // =====================================================================================================

    static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    /** BatchGetItem takes at most 100 keys a request. */
    private static final int BATCH = 100;

    static final List<String> SESSION_RUN_ATTRIBUTES = List.of("issuedKey", "runKey", "origin", "roleArn", "rootSubject", "rootProvider");

    /**
     * Items by full key, strongly consistent, 100 a request, unprocessed keys retried; missing items are absent.
     *
     * @param attributes the attributes to read (all when empty)
     */
    List<Map<String, AttributeValue>> batchGet(Collection<Map<String, AttributeValue>> keys, List<String> attributes) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String a : attributes) {
            names.put("#a" + names.size(), a);
        }
        List<Map<String, AttributeValue>> all = new ArrayList<>(keys);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Map<String, AttributeValue>> pending = new ArrayList<>(all.subList(from, Math.min(all.size(), from + BATCH)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                List<Map<String, AttributeValue>> ask = List.copyOf(pending);
                KeysAndAttributes.Builder request = KeysAndAttributes.builder().keys(ask).consistentRead(true);
                if (!names.isEmpty()) {
                    request.projectionExpression(String.join(", ", names.keySet())).expressionAttributeNames(names);
                }
                BatchGetItemResponse r = client.batchGetItem(b -> b.requestItems(Map.of(tableName, request.build())));
                out.addAll(r.responses().getOrDefault(tableName, List.of()));
                pending.clear();
                KeysAndAttributes unprocessed = r.unprocessedKeys().get(tableName);
                if (unprocessed != null && unprocessed.hasKeys()) {
                    if (attempt >= 10) {
                        throw new IllegalStateException("BatchGetItem kept returning unprocessed keys");
                    }
                    pending.addAll(unprocessed.keys());
                    try {
                        Thread.sleep(Math.min(1000L, 10L << attempt));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The run attributes of sessions by issued key ({@code issuedKey}, {@code runKey}, {@code origin}, {@code roleArn},
     * {@code rootSubject}, {@code rootProvider}; not the copies), one BatchGetItem per 100 keys; unknown keys are absent.
     */
    Map<String, CallItem> sessionRuns(Collection<String> keys) {
        List<Map<String, AttributeValue>> ask = new ArrayList<>();
        for (String k : new LinkedHashSet<>(keys)) {
            ask.add(Map.of(AuditTable.PK, AttributeValue.fromS(Keys.SESSION + k), AuditTable.SK, AttributeValue.fromS(Keys.SESSION_SK)));
        }
        Map<String, CallItem> out = new java.util.HashMap<>();
        for (Map<String, AttributeValue> item : batchGet(ask, SESSION_RUN_ATTRIBUTES)) {
            CallItem i = CallItem.SCHEMA.mapToItem(item);
            out.put(i.issuedKey, i);
        }
        return out;
    }

    /** Items of one base-table partition, strongly consistent. */
    static <T> List<T> queryBase(DynamoDbTable<T> table, String pk, QueryConditional condition, boolean forward, int limit) {
        List<T> out = new ArrayList<>();
        Iterator<T> it = table.query(QueryEnhancedRequest.builder().queryConditional(condition).scanIndexForward(forward)
                .consistentRead(true).build()).items().iterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    /** Items of one index partition with sort key in [lo, hi) (either bound may be null). */
    static <T> List<T> queryIndex(DynamoDbTable<T> table, String index, String pk, String lo, String hi, boolean forward, int limit) {
        List<T> out = new ArrayList<>();
        QueryConditional c = condition(pk, lo, hi);
        Iterator<software.amazon.awssdk.enhanced.dynamodb.model.Page<T>> pages = table.index(index)
                .query(QueryEnhancedRequest.builder().queryConditional(c).scanIndexForward(forward).build()).iterator();
        while (pages.hasNext() && out.size() < limit) {
            for (T item : pages.next().items()) {
                if (out.size() < limit) {
                    out.add(item);
                }
            }
        }
        return out;
    }

    /**
     * Items of one index partition, fetched lazily {@code pageSize} at a time: a caller that stops after the first
     * few (the newest runs of a month) reads one page, not the partition.
     */
    static <T> Iterator<T> streamIndex(DynamoDbTable<T> table, String index, String pk, String lo, String hi, boolean forward, int pageSize) {
        return streamIndex(table, index, pk, lo, hi, forward, pageSize, List.of());
    }

    /** The same, reading only these attributes (all when empty): a listing need not carry each call's copies. */
    static <T> Iterator<T> streamIndex(DynamoDbTable<T> table, String index, String pk, String lo, String hi, boolean forward, int pageSize,
                                       List<String> attributes) {
        QueryEnhancedRequest.Builder q = QueryEnhancedRequest.builder().queryConditional(condition(pk, lo, hi)).scanIndexForward(forward).limit(pageSize);
        if (!attributes.isEmpty()) {
            q.attributesToProject(attributes);
        }
        return table.index(index)
                .query(q.build())
                .stream()
                .flatMap(page -> page.items().stream())
                .iterator();
    }

    static QueryConditional condition(String pk, String lo, String hi) {
        if (lo == null && hi == null) {
            return QueryConditional.keyEqualTo(k -> k.partitionValue(pk));
        }
        if (lo == null) {
            return QueryConditional.sortLessThan(key(pk, hi));
        }
        if (hi == null) {
            return QueryConditional.sortGreaterThanOrEqualTo(key(pk, lo));
        }
        return QueryConditional.sortBetween(key(pk, lo), key(pk, hi));
    }

    /** The item of the session with this access key, or null. */
    CallItem sessionItem(String key) {
        return calls.getItem(r -> r.key(key(Keys.SESSION + key, Keys.SESSION_SK)).consistentRead(true));
    }

    /** The session's item as a list (empty when unknown): one item per issued key since its sort key is fixed. */
    List<CallItem> sessionItems(String key) {
        CallItem i = sessionItem(key);
        return i == null ? List.of() : List.of(i);
    }

    /** The findings of a run that are not withdrawn, oldest first. */
    List<FindingItem> heldFindingsOfRun(String runKey) {
        List<FindingItem> out = new ArrayList<>();
        for (FindingItem f : queryIndex(findings, "gsi3", Keys.RUN_FINDINGS + runKey, null, null, true, Integer.MAX_VALUE)) {
            if (!Boolean.TRUE.equals(f.withdrawn)) {
                out.add(f);
            }
        }
        return out;
    }

    List<CallItem> callItemsSignedBy(String key, Instant from, Instant to, boolean forward, int limit) {
        return queryIndex(calls, "gsi1", Keys.BY_KEY + key, from == null ? null : Keys.timeSk(from, ""),
                to == null ? null : Keys.timeSk(to, ""), forward, limit);
    }

    List<CallItem> stateItems(String stateKey, Instant from, Instant to, boolean forward, int limit) {
        String pk = Keys.STATE + stateKey;
        String lo = from == null ? Keys.CALL_SK : Keys.CALL_SK + Keys.time(from);
        String hi = to == null ? Keys.CALL_SK + "~" : Keys.CALL_SK + Keys.time(to);
        return queryBase(calls, pk, QueryConditional.sortBetween(key(pk, lo), key(pk, hi)), forward, limit);
    }

    /** How far a lock body's time (lock table stream, sweeper probe) may be from the CloudTrail acquisition. */
    static final Duration LOCK_BODY_SKEW = Duration.ofMinutes(5);

    /** The lock body stored for the acquisition at {@code acquiredAt} (stream and CloudTrail times differ a little). */
    Optional<LockDetails> lockDetails(String stateKey, String lockStore, Instant acquiredAt) {
        if (acquiredAt == null) {
            return Optional.empty();
        }
        return nearestLockDetails(lockInfos(stateKey, lockStore, acquiredAt, acquiredAt), acquiredAt);
    }

    /** Lock bodies of one lock store for acquisitions in [from, to], widened by {@link #LOCK_BODY_SKEW} each side. */
    List<LockInfoItem> lockInfos(String stateKey, String lockStore, Instant from, Instant to) {
        String pk = Keys.STATE + stateKey;
        String prefix = Keys.LOCKINFO_SK + lockStore + "#";
        return queryBase(lockInfos, pk, QueryConditional.sortBetween(key(pk, prefix + Keys.time(from.minus(LOCK_BODY_SKEW))),
                key(pk, prefix + Keys.time(to.plus(LOCK_BODY_SKEW)))), true, Integer.MAX_VALUE);
    }

    /** The body closest in time to the acquisition, within {@link #LOCK_BODY_SKEW}. */
    static Optional<LockDetails> nearestLockDetails(List<LockInfoItem> bodies, Instant acquiredAt) {
        LockInfoItem best = null;
        long bestGap = LOCK_BODY_SKEW.toMillis() + 1;
        for (LockInfoItem i : bodies) {
            long gap = Math.abs(Duration.between(acquiredAt, Keys.instant(i.acquiredAt)).toMillis());
            if (gap < bestGap) {
                best = i;
                bestGap = gap;
            }
        }
        return best == null ? Optional.empty()
                : Optional.of(new LockDetails(best.lockId, best.operation, best.who, best.version, best.created, best.path));
    }

    static LockState lockState(LockItem i) {
        return new LockState(i.stateKey, i.lockStore, Boolean.TRUE.equals(i.open), Keys.instant(i.lastOpAt), i.lastOpCallKey,
                Keys.instant(i.acquiredAt), i.acquiredCallKey, i.acquiredEventId, i.holderKey, i.holderRunKey, i.subject, i.repository,
                i.account, i.region);
    }

    static LockWatch lockWatch(LockItem i) {
        return new LockWatch(i.goneCallKey, Keys.instant(i.goneAt), i.alertCallKey, i.alertFindingId, Keys.instant(i.alertedAt),
                Keys.instant(i.remindedAt), i.reminders == null ? 0 : i.reminders.intValue(), Keys.instant(i.resolvedAt));
    }

    List<LockItem> openLockItems() {
        return queryIndex(locks, "gsi1", Keys.OPEN_LOCKS, null, null, true, Integer.MAX_VALUE);
    }
}
