package io.statetrail.store.dynamodb;

import static io.statetrail.store.dynamodb.TableAccess.*;

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

import io.statetrail.service.port.Calls;
import io.statetrail.service.query.CallRecord;

/** {@link Calls} on the audit table: one call item per call, with every copy; listed under each state key it names. */
final class DynamoCalls implements Calls {

    private final TableAccess table;
    private final DynamoDbTable<CallItem> calls;
    private final CallItems items;
    private final RunSummaries runSummaries;

    DynamoCalls(TableAccess table, CallItems items, RunSummaries runSummaries) {
        this.table = table;
        this.calls = table.calls;
        this.items = items;
        this.runSummaries = runSummaries;
    }

    // =====================================================================================================
    // Calls
    // =====================================================================================================

    @Override
    public Trail.Added putCall(List<TrailEvent> events, String record) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events");
        }
        EventMeta meta = events.get(0).meta();
        String copyId = copyId(meta);
        String json = TrailEventJson.recordToJson(events);
        CallItem fresh = items.callItem(Map.of(copyId, json), CallRecords.with(null, copyId, record), null);
        try {
            calls.putItem(r -> r.item(fresh).conditionExpression(NOT_EXISTS));
            putRefs(fresh);
            runSummaries.callStored(fresh);
            return Trail.Added.NEW;
        } catch (ConditionalCheckFailedException exists) {
            // another delivery of this call, or another account's copy of it
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            CallItem stored = calls.getItem(r -> r.key(key(fresh.pk, fresh.sk)).consistentRead(true));
            if (stored == null) {
                try {
                    calls.putItem(r -> r.item(fresh).conditionExpression(NOT_EXISTS));
                    putRefs(fresh);
                    runSummaries.callStored(fresh);
                    return Trail.Added.NEW;
                } catch (ConditionalCheckFailedException raced) {
                    continue;
                }
            }
            if (stored.copies != null && stored.copies.containsKey(copyId)) {
                repairRefs(stored);
                // A redelivery may follow a crash between storing the call and summarising it: summarise again (no
                // write when nothing changes).
                runSummaries.callStored(stored);
                return Trail.Added.DUPLICATE;
            }
            Map<String, String> merged = new TreeMap<>(stored.copies == null ? Map.of() : stored.copies);
            merged.put(copyId, json);
            CallItem next = items.callItem(merged, CallRecords.with(stored.records, copyId, record), stored);
            // Optimistic: only if no other copy was added meanwhile, else merge again.
            Expression unchanged = Expression.builder()
                    .expression("attribute_exists(#pk) AND size(#copies) = :n")
                    .putExpressionName("#pk", AuditTable.PK).putExpressionName("#copies", "copies")
                    .putExpressionValue(":n", AttributeValue.fromN(String.valueOf(merged.size() - 1)))
                    .build();
            try {
                calls.putItem(r -> r.item(next).conditionExpression(unchanged));
                putRefs(next);
                runSummaries.callStored(next);
                return Trail.Added.OTHER_COPY;
            } catch (ConditionalCheckFailedException raced) {
                // retry with the new stored copies
            }
        }
        throw new IllegalStateException("could not store call " + meta.callKey() + ": too much contention");
    }

    /** A call on several state keys (CopyObject between states, DeleteObjects) is also listed under the others. */
    private void putRefs(CallItem primary) {
        for (CallItem ref : items.refs(primary)) {
            calls.putItem(ref);
        }
    }

    private void repairRefs(CallItem stored) {
        for (CallItem ref : items.refs(stored)) {
            CallItem existing = calls.getItem(r -> r.key(key(ref.pk, ref.sk)).consistentRead(true));
            if (existing == null || !Objects.equals(existing.copies, ref.copies)) {
                calls.putItem(ref);
            }
        }
    }

    @Override
    public Optional<CallRecord> call(String eventId) {
        return CallRecords.byEventId(table, eventId);
    }

    @Override
    public Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
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
    public List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            for (CallItem i : queryIndex(calls, "gsi1", Keys.BY_KEY + key, null, null, true, Integer.MAX_VALUE)) {
                out.addAll(copies(i));
            }
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (CallItem i : table.stateItems(stateKey, from, to, true, Integer.MAX_VALUE)) {
            out.addAll(copies(i));
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> storeCalls(String storeRef) {
        return partitionCalls(Keys.STORE + storeRef);
    }

    @Override
    public List<List<TrailEvent>> lockTableCalls(String table, Instant from, Instant to) {
        return partitionCalls(Keys.LOCK_TABLE + table, from, to);
    }

    @Override
    public List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart) {
        return partitionCalls(denied(subject == null ? "" : subject, String.valueOf(roleArn), dayStart));
    }

    @Override
    public List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to) {
        return partitionCalls(Keys.ROLE + roleArn, from, to);
    }

    /** Every call in one partition, oldest first, each stored copy's events. */
    private List<List<TrailEvent>> partitionCalls(String pk) {
        return copiesOf(queryBase(calls, pk, QueryConditional.keyEqualTo(k -> k.partitionValue(pk)), true, Integer.MAX_VALUE));
    }

    /** The calls in one partition with eventTime in [from, to), oldest first, each stored copy's events. */
    private List<List<TrailEvent>> partitionCalls(String pk, Instant from, Instant to) {
        return copiesOf(queryBase(calls, pk, QueryConditional.sortBetween(key(pk, Keys.CALL_SK + Keys.time(from)),
                key(pk, Keys.CALL_SK + Keys.time(to))), true, Integer.MAX_VALUE));
    }

    private List<List<TrailEvent>> copiesOf(List<CallItem> items) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (CallItem i : items) {
            out.addAll(copies(i));
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before) {
        String pk = Keys.STATE + stateKey;
        Map<String, CallItem> latest = new TreeMap<>();
        int seen = 0;
        Iterator<CallItem> it = calls.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(key(pk, Keys.CALL_SK), key(pk, Keys.CALL_SK + Keys.time(before))))
                .scanIndexForward(false).consistentRead(true).limit(100).build()).items().iterator();
        while (it.hasNext() && seen++ < LOCK_LOOKBACK) {
            CallItem i = it.next();
            if (i.lockStore != null && i.errorCode == null) {
                latest.putIfAbsent(i.lockStore, i);
            }
        }
        List<List<TrailEvent>> out = new ArrayList<>();
        latest.values().forEach(i -> out.addAll(copies(i)));
        return out;
    }

    @Override
    public List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from) {
        String pk = Keys.STATE + stateKey;
        int seen = 0;
        Iterator<CallItem> it = calls.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(key(pk, Keys.CALL_SK + Keys.time(from)), key(pk, Keys.CALL_SK + "~")))
                .scanIndexForward(true).consistentRead(true).limit(100).build()).items().iterator();
        while (it.hasNext() && seen++ < LOCK_LOOKBACK) {
            CallItem i = it.next();
            if (lockStore.equals(i.lockStore) && i.errorCode == null) {
                return flat(copies(i));
            }
        }
        return List.of();
    }
}
