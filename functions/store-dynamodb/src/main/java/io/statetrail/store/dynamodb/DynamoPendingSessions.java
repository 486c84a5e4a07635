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

import io.statetrail.service.port.PendingSessions;

/** {@link PendingSessions} on the audit table: one pending item per session, indexed until the sweeper looked it up. */
final class DynamoPendingSessions implements PendingSessions {

    private final DynamoDbTable<PendingItem> pending;
    private final Duration retention;

    DynamoPendingSessions(TableAccess table) {
        this.pending = table.pending;
        this.retention = table.retention;
    }

    // =====================================================================================================
    // Unattributed sessions
    // =====================================================================================================

    @Override
    public void markUnattributed(String accessKey, Instant firstSeen) {
        Key k = key(Keys.PENDING + accessKey, Keys.PENDING_INDEX);
        PendingItem stored = pending.getItem(r -> r.key(k).consistentRead(true));
        if (stored != null && !Keys.instant(stored.firstSeen).isAfter(firstSeen)) {
            return;
        }
        PendingItem i = new PendingItem();
        i.type = "pending";
        i.pk = Keys.PENDING + accessKey;
        i.sk = Keys.PENDING_INDEX;
        i.accessKey = accessKey;
        i.firstSeen = Keys.time(firstSeen);
        i.lookedUpAt = stored == null ? null : stored.lookedUpAt;
        if (i.lookedUpAt == null) {
            i.gsi1pk = Keys.PENDING_INDEX;
            i.gsi1sk = Keys.timeSk(firstSeen, accessKey);
        }
        i.expiresAt = firstSeen.plus(retention).getEpochSecond();
        pending.putItem(i);
    }

    @Override
    public void clearUnattributed(String accessKey) {
        Key k = key(Keys.PENDING + accessKey, Keys.PENDING_INDEX);
        if (pending.getItem(r -> r.key(k).consistentRead(true)) != null) {
            pending.deleteItem(k);
        }
    }

    @Override
    public List<Unattributed> unattributedBefore(Instant cutoff, int limit) {
        List<Unattributed> out = new ArrayList<>();
        for (PendingItem i : queryIndex(pending, "gsi1", Keys.PENDING_INDEX, null, Keys.timeSk(cutoff, ""), true, limit)) {
            out.add(new Unattributed(i.accessKey, Keys.instant(i.firstSeen), Keys.instant(i.lookedUpAt)));
        }
        return out;
    }

    @Override
    public void markLookedUp(String accessKey, Instant at) {
        Key k = key(Keys.PENDING + accessKey, Keys.PENDING_INDEX);
        PendingItem stored = pending.getItem(r -> r.key(k).consistentRead(true));
        if (stored == null) {
            return;
        }
        stored.lookedUpAt = Keys.time(at);
        stored.gsi1pk = null;
        stored.gsi1sk = null;
        pending.putItem(stored);
    }
}
