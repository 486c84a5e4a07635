package io.statetrail.store.dynamodb;

import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.PendingBulkDeletes;
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
 * {@link PendingBulkDeletes} on the audit table: one item per {@code DeleteObjects} call (whose keys CloudTrail does not
 * log), indexed until the sweeper judged it. The locks tracked per bucket, which tell what the bucket held, are
 * {@link DynamoLocks#locksInBucket}.
 */
final class DynamoBulkDeletes implements PendingBulkDeletes {

    private final DynamoDbTable<BulkDeleteItem> items;
    private final Duration retention;

    DynamoBulkDeletes(TableAccess table) {
        this.items = table.bulkDeletes;
        this.retention = table.retention;
    }

    /** Written once: a redelivery or a re-evaluation of the same call reads it and changes nothing. */
    @Override
    public void markBulkDelete(String stateKey, String callKey, Instant time) {
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

    @Override
    public List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit) {
        List<BulkDelete> out = new ArrayList<>();
        for (BulkDeleteItem i : TableAccess.queryIndex(items, "gsi1", Keys.BULK_PENDING, null, Keys.timeSk(cutoff, ""), true, limit)) {
            out.add(new BulkDelete(i.stateKey, i.callKey, Keys.instant(i.time)));
        }
        return out;
    }

    @Override
    public void markBulkDeleteJudged(String callKey, Instant at) {
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
}
