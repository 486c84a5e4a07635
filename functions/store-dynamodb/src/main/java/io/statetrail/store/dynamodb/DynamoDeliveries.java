package io.statetrail.store.dynamodb;

import static io.statetrail.store.dynamodb.TableAccess.*;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.Deliveries;
import io.statetrail.service.port.Findings;
import io.statetrail.service.port.Findings.StoredFinding;
import io.statetrail.service.port.Findings.Withdrawal;
import io.statetrail.store.dynamodb.Items.AlertedItem;
import io.statetrail.store.dynamodb.Items.DeliveryItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;


/**
 * {@link Deliveries} on the audit table ({@link FindingItems}): due ones in the {@code DUE} index until delivered; a
 * claim or delivery is a write conditional on the attempts read, so no destination gets a message twice.
 */
final class DynamoDeliveries implements Deliveries {

    private final DynamoDbTable<DeliveryItem> deliveries;
    private final DynamoDbTable<AlertedItem> alerted;
    private final FindingItems items;
    private final Duration retention;
    private final Clock clock;

    DynamoDeliveries(TableAccess table, FindingItems items) {
        this.deliveries = table.deliveries;
        this.alerted = table.alerted;
        this.items = items;
        this.retention = table.retention;
        this.clock = table.clock;
    }

    private Optional<StoredFinding> storedFinding(String id) {
        FindingItem i = items.item(id);
        return i == null ? Optional.empty() : Optional.of(FindingItems.stored(i));
    }

    private static final Expression NOT_EXISTS = Expression.builder()
            .expression("attribute_not_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();

    // ---- deliveries ----

    @Override
    public List<Delivery> deliveriesOf(String findingId) {
        List<Delivery> out = new ArrayList<>();
        Optional<Finding> current = null;
        for (DeliveryItem d : items.partition(findingId)) {
            if (d.json == null && current == null) {
                current = storedFinding(findingId).map(StoredFinding::finding);
            }
            Finding f = d.json != null ? FindingJson.fromLine(d.json) : current.map(c -> FindingItems.asNotice(c, d.notice)).orElse(null);
            if (f != null) {
                out.add(delivery(d, f, null, null));
            }
        }
        return out;
    }

    @Override
    public void enqueue(Collection<Delivery> queue) {
        for (Delivery d : queue) {
            DeliveryItem item = items.deliveryItem(d);
            try {
                deliveries.putItem(r -> r.item(item).conditionExpression(NOT_EXISTS));
            } catch (ConditionalCheckFailedException already) {
                // queued before: left as it is
            }
        }
    }

    @Override
    public void cancel(Delivery d) {
        Expression undelivered = Expression.builder().expression("attribute_not_exists(#d)").putExpressionName("#d", "delivered").build();
        try {
            deliveries.deleteItem(r -> r.key(FindingItems.deliveryKey(d.finding().id(), d.destination(), d.notice())).conditionExpression(undelivered));
        } catch (ConditionalCheckFailedException delivered) {
            // delivered meanwhile: it stays as the record of what was sent
        }
    }

    private static Delivery delivery(DeliveryItem d, Finding f, Finding previous, String threadRef) {
        return new Delivery(f, d.destination, d.attempts == null ? 0 : d.attempts.intValue(), Keys.instant(d.nextAttempt), d.lastError,
                Boolean.TRUE.equals(d.delivered), d.ref, previous, threadRef);
    }

    @Override
    public List<Delivery> dueDeliveries(Instant now, int limit) {
        List<Delivery> out = new ArrayList<>();
        Map<String, Optional<StoredFinding>> current = new LinkedHashMap<>();
        for (DeliveryItem d : TableAccess.queryIndex(deliveries, "gsi2", Keys.DUE, null, Keys.timeSk(now, "~"), true, limit)) {
            if (Boolean.TRUE.equals(d.delivered)) {
                continue;
            }
            Optional<StoredFinding> stored = current.computeIfAbsent(d.findingId, this::storedFinding);
            if (FindingItems.readsCurrent(d.notice)) {
                if (stored.isEmpty() || stored.get().isWithdrawn()) {
                    // Its finding expired (TTL) or was withdrawn (which cancels its pages): nothing left to send.
                    deliveries.deleteItem(TableAccess.key(d.pk, d.sk));
                    continue;
                }
            }
            Finding f = d.json != null ? FindingJson.fromLine(d.json) : FindingItems.asNotice(stored.get().finding(), d.notice);
            if (Delivery.RAISED.equals(d.notice)) {
                out.add(delivery(d, f, null, null));
                continue;
            }
            // A notice follows the page to the same destination: what it said last, and where (to reply in its thread).
            Finding previous = null;
            String thread = null;
            String lastAt = null;
            for (DeliveryItem other : items.partition(d.findingId)) {
                if (!d.destination.equals(other.destination) || !Boolean.TRUE.equals(other.delivered)) {
                    continue;
                }
                if (Delivery.RAISED.equals(other.notice)) {
                    thread = other.ref;
                }
                if (other.sent != null && (lastAt == null || (other.deliveredAt != null && other.deliveredAt.compareTo(lastAt) > 0))) {
                    previous = FindingJson.fromLine(other.sent);
                    lastAt = other.deliveredAt == null ? "" : other.deliveredAt;
                }
            }
            out.add(delivery(d, f, previous, thread));
        }
        return out;
    }

    @Override
    public boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
        Finding f = delivery.finding();
        DeliveryItem d = deliveries.getItem(r -> r.key(FindingItems.deliveryKey(f.id(), delivery.destination(), delivery.notice())).consistentRead(true));
        if (d == null || Boolean.TRUE.equals(d.delivered) || (d.attempts == null ? 0 : d.attempts) != delivery.attempts()) {
            return false;
        }
        d.attempts = (long) delivery.attempts() + 1;
        d.lastError = error;
        if (delivered) {
            d.delivered = true;
            d.deliveredAt = Keys.time(clock.instant());
            d.ref = ref;
            d.sent = FindingJson.toLine(f);
            d.gsi2pk = null;
            d.gsi2sk = null;
            d.expiresAt = clock.instant().plus(retention).getEpochSecond();
        } else if (nextAttempt != null) {
            due(d, nextAttempt);
        } else {
            d.gsi2pk = null; // given up: kept for the record, no longer due
            d.gsi2sk = null;
            d.expiresAt = clock.instant().plus(retention).getEpochSecond();
        }
        return putUnchanged(d, delivery.attempts());
    }

    @Override
    public boolean postpone(Delivery delivery, Instant until, String note) {
        Finding f = delivery.finding();
        DeliveryItem d = deliveries.getItem(r -> r.key(FindingItems.deliveryKey(f.id(), delivery.destination(), delivery.notice())).consistentRead(true));
        if (d == null || Boolean.TRUE.equals(d.delivered) || (d.attempts == null ? 0 : d.attempts) != delivery.attempts()) {
            return false;
        }
        d.lastError = note;
        due(d, until);
        return putUnchanged(d, delivery.attempts());
    }

    private static void due(DeliveryItem d, Instant at) {
        d.nextAttempt = Keys.time(at);
        d.gsi2pk = Keys.DUE;
        d.gsi2sk = Keys.timeSk(at, d.findingId + "#" + d.destination + "#" + d.notice);
    }

    /** Writes the delivery only if nobody recorded an attempt or its delivery since it was read. */
    private boolean putUnchanged(DeliveryItem d, int attempts) {
        Expression unchanged = Expression.builder()
                .expression("#a = :a AND attribute_not_exists(#d)")
                .putExpressionName("#a", "attempts").putExpressionName("#d", "delivered")
                .putExpressionValue(":a", AttributeValue.fromN(String.valueOf(attempts)))
                .build();
        try {
            deliveries.putItem(r -> r.item(d).conditionExpression(unchanged));
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    @Override
    public Optional<Instant> lastAlerted(String destination, String groupKey) {
        AlertedItem i = alerted.getItem(r -> r.key(TableAccess.key(Keys.ALERTED + destination + "#" + groupKey, "ALERTED")).consistentRead(true));
        return i == null ? Optional.empty() : Optional.of(Keys.instant(i.at));
    }

    @Override
    public void alerted(String destination, String groupKey, Instant at) {
        AlertedItem i = new AlertedItem();
        i.type = "alerted";
        i.pk = Keys.ALERTED + destination + "#" + groupKey;
        i.sk = "ALERTED";
        i.destination = destination;
        i.groupKey = groupKey;
        i.at = Keys.time(at);
        i.expiresAt = at.plus(Duration.ofDays(30)).getEpochSecond();
        Expression older = Expression.builder()
                .expression("attribute_not_exists(#pk) OR #at < :at")
                .putExpressionName("#pk", AuditTable.PK).putExpressionName("#at", "at")
                .putExpressionValue(":at", AttributeValue.fromS(i.at))
                .build();
        try {
            alerted.putItem(r -> r.item(i).conditionExpression(older));
        } catch (ConditionalCheckFailedException newer) {
            // a later alert is already recorded
        }
    }
}
