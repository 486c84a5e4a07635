package io.statetrail.store.dynamodb;

import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockState;
import io.statetrail.store.dynamodb.Items.BulkDeleteItem;
import io.statetrail.store.dynamodb.Items.LockItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * Issue 13's bookkeeping for {@code DeleteObjects} calls, whose keys CloudTrail does not log: the calls waiting for the
 * sweeper, and the locks tracked per bucket (lock items carry their bucket in gsi2, so the state objects known in a
 * bucket are one query away, at no extra write).
 */
final class BulkDeletes {

    private final DynamoDbTable<BulkDeleteItem> items;
    private final DynamoDbTable<LockItem> locks;
    private final Duration retention;

    BulkDeletes(DynamoDbTable<BulkDeleteItem> items, DynamoDbTable<LockItem> locks, Duration retention) {
        this.items = items;
        this.locks = locks;
        this.retention = retention;
    }

    /** Written once: a redelivery or a re-evaluation of the same call reads it and changes nothing. */
    void mark(String stateKey, String callKey, Instant time) {
        Key k = Key.builder().partitionValue(Keys.BULK + callKey).sortValue(Keys.BULK_SK).build();
        if (items.getItem(r -> r.key(k).consistentRead(true)) != null) {
            return;
        }
        BulkDeleteItem i = new BulkDeleteItem();
        i.type = "bulk-delete";
        i.pk = Keys.BULK + callKey;
        i.sk = Keys.BULK_SK;
        i.stateKey = stateKey;
        i.callKey = callKey;
        i.time = Keys.time(time);
        i.gsi1pk = Keys.BULK_PENDING;
        i.gsi1sk = Keys.timeSk(time, callKey);
        i.expiresAt = time.plus(retention).getEpochSecond();
        items.putItem(i);
    }

    List<BulkDelete> before(Instant cutoff, int limit) {
        List<BulkDelete> out = new ArrayList<>();
        for (BulkDeleteItem i : DynamoAuditStore.queryIndex(items, "gsi1", Keys.BULK_PENDING, null, Keys.timeSk(cutoff, ""), true, limit)) {
            out.add(new BulkDelete(i.stateKey, i.callKey, Keys.instant(i.time)));
        }
        return out;
    }

    void judged(String callKey, Instant at) {
        Key k = Key.builder().partitionValue(Keys.BULK + callKey).sortValue(Keys.BULK_SK).build();
        BulkDeleteItem stored = items.getItem(r -> r.key(k).consistentRead(true));
        if (stored == null || stored.judgedAt != null) {
            return;
        }
        stored.judgedAt = Keys.time(at);
        stored.gsi1pk = null;
        stored.gsi1sk = null;
        items.putItem(stored);
    }

    List<LockState> locksIn(String bucket) {
        List<LockState> out = new ArrayList<>();
        for (LockItem i : DynamoAuditStore.queryIndex(locks, "gsi2", Keys.BUCKET + bucket, null, null, true, Integer.MAX_VALUE)) {
            out.add(DynamoAuditStore.lockState(i));
        }
        return out;
    }

    /** gsi2 of a lock item: its bucket (the state key up to the first slash), then state key and store. */
    static void indexByBucket(LockItem i) {
        int slash = i.stateKey == null ? -1 : i.stateKey.indexOf('/');
        i.gsi2pk = slash > 0 ? Keys.BUCKET + i.stateKey.substring(0, slash) : null;
        i.gsi2sk = slash > 0 ? i.stateKey + "#" + i.lockStore : null;
    }
}
