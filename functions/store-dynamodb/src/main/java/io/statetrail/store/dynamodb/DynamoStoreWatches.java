package io.statetrail.store.dynamodb;

import io.statetrail.service.port.StoreWatch;
import io.statetrail.service.port.StoreWatches;
import io.statetrail.store.dynamodb.Items.StoreItem;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * {@link StoreWatches} on the audit table: one item per weakened store's finding ({@link Keys#STORE_WATCH}), indexed
 * in gsi1 under {@link Keys#OPEN_STORES} until resolved, never-checked ones first, then by when last checked.
 */
final class DynamoStoreWatches implements StoreWatches {

    private final TableAccess table;
    private final DynamoDbTable<StoreItem> items;

    DynamoStoreWatches(TableAccess table) {
        this.table = table;
        this.items = table.stores;
    }

    private static Key key(String findingId) {
        return Key.builder().partitionValue(Keys.STORE_WATCH + findingId).sortValue(Keys.STORE_WATCH_SK).build();
    }

    @Override
    public void watchStore(StoreWatch watch) {
        StoreItem stored = items.getItem(r -> r.key(key(watch.findingId())).consistentRead(true));
        StoreWatch w = stored == null ? watch
                : watch.checked(Keys.instant(stored.checkedAt), stored.stillWeak, stored.verification, Keys.instant(stored.resolvedAt));
        StoreItem next = item(w);
        if (stored == null || !same(stored, next)) {
            items.putItem(next);
        }
    }

    @Override
    public void unwatchStore(String findingId) {
        // Every judgement of a store unwatches what no longer holds: a read spares the write when nothing is watched.
        if (items.getItem(r -> r.key(key(findingId)).consistentRead(true)) != null) {
            items.deleteItem(r -> r.key(key(findingId)));
        }
    }

    @Override
    public List<StoreWatch> storesToWatch(int limit) {
        List<StoreWatch> out = new ArrayList<>();
        for (StoreItem i : TableAccess.queryIndex(items, "gsi1", Keys.OPEN_STORES, null, null, true, limit)) {
            out.add(watch(i));
        }
        return out;
    }

    @Override
    public void storeChecked(StoreWatch checked) {
        if (items.getItem(r -> r.key(key(checked.findingId())).consistentRead(true)) != null) {
            items.putItem(item(checked));
        }
    }

    private StoreItem item(StoreWatch w) {
        StoreItem i = new StoreItem();
        i.type = "storewatch";
        i.pk = Keys.STORE_WATCH + w.findingId();
        i.sk = Keys.STORE_WATCH_SK;
        i.findingId = w.findingId();
        i.store = w.store();
        i.name = w.name();
        i.setting = w.setting();
        i.account = w.account();
        i.region = w.region();
        i.raisedAt = Keys.time(w.raisedAt());
        i.checkedAt = Keys.time(w.checkedAt());
        i.stillWeak = w.stillWeak();
        i.verification = w.verification();
        i.resolvedAt = Keys.time(w.resolvedAt());
        if (w.resolvedAt() == null) {
            i.gsi1pk = Keys.OPEN_STORES;
            i.gsi1sk = (w.checkedAt() == null ? "0#" : "1#" + Keys.time(w.checkedAt()) + "#") + w.findingId();
        }
        i.expiresAt = w.raisedAt() == null ? null : w.raisedAt().plus(table.retention).getEpochSecond();
        return i;
    }

    private static StoreWatch watch(StoreItem i) {
        return new StoreWatch(i.findingId, i.store, i.name, i.setting, i.account, i.region, Keys.instant(i.raisedAt),
                Keys.instant(i.checkedAt), i.stillWeak, i.verification, Keys.instant(i.resolvedAt));
    }

    private static boolean same(StoreItem a, StoreItem b) {
        return watch(a).equals(watch(b)) && java.util.Objects.equals(a.gsi1sk, b.gsi1sk);
    }
}
