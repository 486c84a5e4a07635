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

import io.statetrail.service.port.Locks;

/**
 * {@link Locks} on the audit table: a lock item per state key and lock store (newest call wins, the sweeper's watch
 * kept), indexed while open, while alerted, and by bucket; lock bodies beside it.
 */
final class DynamoLocks implements Locks {

    private final TableAccess table;
    private final DynamoDbTable<LockItem> locks;
    private final DynamoDbTable<LockInfoItem> lockInfos;
    private final Duration retention;

    DynamoLocks(TableAccess table) {
        this.table = table;
        this.locks = table.locks;
        this.lockInfos = table.lockInfos;
        this.retention = table.retention;
    }

    // =====================================================================================================
    // Locks
    // =====================================================================================================

    @Override
    public void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
        LockInfoItem i = new LockInfoItem();
        i.type = "lockinfo";
        i.pk = Keys.STATE + stateKey;
        i.sk = Keys.LOCKINFO_SK + lockStore + "#" + Keys.time(acquiredAt);
        i.stateKey = stateKey;
        i.lockStore = lockStore;
        i.acquiredAt = Keys.time(acquiredAt);
        i.lockId = details.id();
        i.operation = details.operation();
        i.who = details.who();
        i.version = details.version();
        i.created = details.created();
        i.path = details.path();
        i.expiresAt = acquiredAt.plus(retention).getEpochSecond();
        lockInfos.putItem(i);
    }

    @Override
    public void putLockState(LockState s) {
        Key k = key(Keys.STATE + s.stateKey(), Keys.LOCK_SK + s.lockStore());
        LockItem stored = locks.getItem(r -> r.key(k).consistentRead(true));
        if (stored != null && stored.lastOpAt != null) {
            LockState old = lockState(stored);
            if (old.compareLastOp(s) > 0) {
                return; // an older call arrived late: the stored state is newer
            }
        }
        LockItem next = new LockItem();
        next.type = "lock";
        next.pk = k.partitionKeyValue().s();
        next.sk = k.sortKeyValue().orElseThrow().s();
        next.stateKey = s.stateKey();
        next.lockStore = s.lockStore();
        next.open = s.open();
        next.lastOpAt = Keys.time(s.lastOpAt());
        next.lastOpCallKey = s.lastOpCallKey();
        next.acquiredAt = Keys.time(s.acquiredAt());
        next.acquiredCallKey = s.acquiredCallKey();
        next.acquiredEventId = s.acquiredEventId();
        next.holderKey = s.holderKey();
        next.holderRunKey = s.holderRunKey();
        next.subject = s.subject();
        next.repository = s.repository();
        next.account = s.account();
        next.region = s.region();
        next.expiresAt = s.lastOpAt().plus(retention).getEpochSecond();
        if (stored != null) {
            copyWatch(stored, next);
        }
        indexLock(next);
        if (stored == null || !sameLock(stored, next)) {
            locks.putItem(next);
        }
    }

    private static void copyWatch(LockItem from, LockItem to) {
        to.goneCallKey = from.goneCallKey;
        to.goneAt = from.goneAt;
        to.alertCallKey = from.alertCallKey;
        to.alertFindingId = from.alertFindingId;
        to.alertedAt = from.alertedAt;
        to.remindedAt = from.remindedAt;
        to.reminders = from.reminders;
        to.resolvedAt = from.resolvedAt;
    }

    private static void indexLock(LockItem i) {
        boolean open = Boolean.TRUE.equals(i.open) && !Objects.equals(i.goneCallKey, i.acquiredCallKey);
        i.gsi1pk = open ? Keys.OPEN_LOCKS : null;
        i.gsi1sk = open ? Keys.timeSk(Keys.instant(i.acquiredAt), i.stateKey + "#" + i.lockStore) : null;
        boolean alerted = i.alertFindingId != null && i.resolvedAt == null;
        i.gsi3pk = alerted ? Keys.ALERTED_LOCKS : null;
        i.gsi3sk = alerted ? i.stateKey + "#" + i.lockStore : null;
        DynamoLocks.indexByBucket(i);
    }

    private static boolean sameLock(LockItem a, LockItem b) {
        return Objects.equals(a.open, b.open) && Objects.equals(a.lastOpAt, b.lastOpAt) && Objects.equals(a.lastOpCallKey, b.lastOpCallKey)
                && Objects.equals(a.acquiredAt, b.acquiredAt) && Objects.equals(a.acquiredCallKey, b.acquiredCallKey)
                && Objects.equals(a.acquiredEventId, b.acquiredEventId) && Objects.equals(a.holderKey, b.holderKey)
                && Objects.equals(a.holderRunKey, b.holderRunKey) && Objects.equals(a.subject, b.subject)
                && Objects.equals(a.repository, b.repository) && Objects.equals(a.account, b.account) && Objects.equals(a.region, b.region)
                && Objects.equals(a.gsi1pk, b.gsi1pk) && Objects.equals(a.gsi1sk, b.gsi1sk) && Objects.equals(a.gsi3pk, b.gsi3pk)
                && Objects.equals(a.gsi2pk, b.gsi2pk) && Objects.equals(a.expiresAt, b.expiresAt);
    }

    @Override
    public List<WatchedLock> locksToWatch() {
        Map<String, LockItem> items = new LinkedHashMap<>();
        for (LockItem i : queryIndex(locks, "gsi1", Keys.OPEN_LOCKS, null, null, true, Integer.MAX_VALUE)) {
            items.put(i.pk + "\u0000" + i.sk, i);
        }
        for (LockItem i : queryIndex(locks, "gsi3", Keys.ALERTED_LOCKS, null, null, true, Integer.MAX_VALUE)) {
            items.putIfAbsent(i.pk + "\u0000" + i.sk, i);
        }
        List<WatchedLock> out = new ArrayList<>();
        for (LockItem i : items.values()) {
            out.add(new WatchedLock(lockState(i), lockWatch(i), table.lockDetails(i.stateKey, i.lockStore, Keys.instant(i.acquiredAt)).orElse(null)));
        }
        return out;
    }

    @Override
    public void putLockWatch(String stateKey, String lockStore, LockWatch w) {
        Key k = key(Keys.STATE + stateKey, Keys.LOCK_SK + lockStore);
        LockItem stored = locks.getItem(r -> r.key(k).consistentRead(true));
        if (stored == null) {
            return;
        }
        stored.goneCallKey = w.goneCallKey();
        stored.goneAt = Keys.time(w.goneAt());
        stored.alertCallKey = w.alertCallKey();
        stored.alertFindingId = w.alertFindingId();
        stored.alertedAt = Keys.time(w.alertedAt());
        stored.remindedAt = Keys.time(w.remindedAt());
        stored.reminders = w.reminders() == 0 ? null : (long) w.reminders();
        stored.resolvedAt = Keys.time(w.resolvedAt());
        indexLock(stored);
        locks.putItem(stored);
    }

    @Override
    public List<LockState> locksInBucket(String bucket) {
        List<LockState> out = new ArrayList<>();
        for (LockItem i : queryIndex(locks, "gsi2", Keys.BUCKET + bucket, null, null, true, Integer.MAX_VALUE)) {
            out.add(lockState(i));
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
