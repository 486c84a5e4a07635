package io.statetrail.store.dynamodb;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.FindingStore;
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
 * {@link FindingStore} on the audit table: a finding item ({@code FINDING#<id>}, sort key {@code FINDING}) and its
 * deliveries in the same partition ({@code DELIVERY#<destination>#<notice>}), due ones in the {@code DUE} index.
 * Layout in {@code docs/data-model.md}.
 */
final class DynamoFindings implements FindingStore {

    private static final Expression NOT_EXISTS = Expression.builder()
            .expression("attribute_not_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<FindingItem> findings;
    private final DynamoDbTable<DeliveryItem> deliveries;
    private final DynamoDbTable<AlertedItem> alerted;
    private final RunSummaries runSummaries;
    private final Duration retention;
    private final Clock clock;

    DynamoFindings(DynamoDbEnhancedClient enhanced, String tableName, RunSummaries runSummaries, Duration retention, Clock clock) {
        this.enhanced = enhanced;
        this.findings = enhanced.table(tableName, FindingItem.SCHEMA);
        this.deliveries = enhanced.table(tableName, DeliveryItem.SCHEMA);
        this.alerted = enhanced.table(tableName, AlertedItem.SCHEMA);
        this.runSummaries = runSummaries;
        this.retention = retention;
        this.clock = clock;
    }

    // ---- findings ----

    @Override
    public List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to) {
        List<StoredFinding> out = new ArrayList<>();
        for (FindingItem i : scopeItems(scope, from, to)) {
            if (types.contains(i.findingType)) {
                out.add(stored(i));
            }
        }
        return out;
    }

    @Override
    public List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        for (FindingItem i : scopeItems(scope, from, to)) {
            if (types.contains(i.findingType) && !Boolean.TRUE.equals(i.withdrawn)) {
                out.add(Keys.instant(i.time));
            }
        }
        return out;
    }

    private List<FindingItem> scopeItems(String scope, Instant from, Instant to) {
        String lo = from == null ? null : Keys.timeSk(from, "");
        String hi = to == null ? null : Keys.timeSk(to, "");
        return DynamoAuditStore.queryIndex(findings, "gsi2", Keys.SCOPE + scope, lo, hi, true, Integer.MAX_VALUE);
    }

    @Override
    public Optional<StoredFinding> storedFinding(String id) {
        FindingItem i = item(id);
        return i == null ? Optional.empty() : Optional.of(stored(i));
    }

    private FindingItem item(String id) {
        return findings.getItem(r -> r.key(DynamoAuditStore.key(Keys.FINDING + id, Keys.FINDING_SK)).consistentRead(true));
    }

    /**
     * A finding as the query API and dashboard show it: a withdrawn one says why and since when in its details
     * ({@code withdrawn}, {@code withdrawnAt}).
     */
    static Finding shown(FindingItem i) {
        return FindingStore.shown(stored(i));
    }

    static StoredFinding stored(FindingItem i) {
        Withdrawal w = Boolean.TRUE.equals(i.withdrawn)
                ? new Withdrawal(Keys.instant(i.withdrawnAt), i.withdrawnReason == null ? "withdrawn" : i.withdrawnReason) : null;
        return new StoredFinding(FindingJson.fromLine(i.json), i.scope, i.owner, w);
    }

    @Override
    public boolean create(StoredFinding f, List<Delivery> queue) {
        FindingItem item = findingItem(f);
        TransactWriteItemsEnhancedRequest.Builder t = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(findings, TransactPutItemEnhancedRequest.builder(FindingItem.class).item(item).conditionExpression(NOT_EXISTS).build());
        for (Delivery d : queue) {
            t.addPutItem(deliveries, TransactPutItemEnhancedRequest.builder(DeliveryItem.class)
                    .item(deliveryItem(d)).conditionExpression(NOT_EXISTS).build());
        }
        try {
            if (queue.isEmpty()) {
                findings.putItem(r -> r.item(item).conditionExpression(NOT_EXISTS));
            } else {
                enhanced.transactWriteItems(t.build());
            }
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            boolean findingExists = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            boolean deliveryExists = reasons.stream().skip(1).anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
            if (findingExists) {
                return false;
            }
            if (!deliveryExists) {
                throw e; // a conflicting transaction: the caller's retry redoes it
            }
        }
        // A delivery of this finding id outlived its finding (expired, or deleted by hand): queue what is missing.
        try {
            findings.putItem(r -> r.item(item).conditionExpression(NOT_EXISTS));
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
        enqueue(queue);
        return true;
    }

    @Override
    public void put(StoredFinding f) {
        FindingItem next = findingItem(f);
        FindingItem stored = item(f.finding().id());
        // Run summaries first: a crash before the item is written is redone when the unit is judged again.
        if (stored != null && !Objects.equals(stored.runKey, next.runKey)) {
            runSummaries.finding(stored.runKey, next.findingId, false);
        }
        if (f.isWithdrawn()) {
            runSummaries.finding(next.runKey, next.findingId, false);
        }
        findings.putItem(next);
    }

    @Override
    public void delete(StoredFinding f) {
        String id = f.finding().id();
        for (DeliveryItem d : partition(id)) {
            deliveries.deleteItem(DynamoAuditStore.key(d.pk, d.sk));
        }
        // Uncounted first: a failure in between leaves the finding in place, to be withdrawn again on retry.
        FindingItem stored = item(id);
        if (stored != null) {
            runSummaries.finding(stored.runKey, id, false);
        }
        findings.deleteItem(DynamoAuditStore.key(Keys.FINDING + id, Keys.FINDING_SK));
    }

    @Override
    public void stillHeld(Collection<Finding> held) {
        // After the findings are written, so a retry after a failure in between still counts them.
        runSummaries.findingsHeld(held);
    }

    FindingItem findingItem(StoredFinding s) {
        Finding f = s.finding();
        FindingItem i = new FindingItem();
        i.type = "finding";
        i.pk = Keys.FINDING + f.id();
        i.sk = Keys.FINDING_SK;
        i.findingId = f.id();
        i.json = FindingJson.toLine(f);
        i.findingType = f.type();
        i.severity = f.severity().label();
        Instant t = f.time() == null ? Instant.EPOCH : f.time();
        i.time = Keys.time(t);
        i.scope = s.scope();
        i.owner = s.owner();
        i.runKey = f.runKey();
        i.stateKey = f.stateKey();
        i.repository = f.repository();
        i.subject = f.subject();
        if (s.isWithdrawn()) {
            i.withdrawn = true;
            i.withdrawnAt = Keys.time(s.withdrawn().at());
            i.withdrawnReason = s.withdrawn().reason();
        }
        i.gsi1pk = Keys.SEVERITY + i.severity;
        i.gsi1sk = Keys.timeSk(t, f.id());
        i.gsi2pk = Keys.SCOPE + s.scope();
        i.gsi2sk = Keys.timeSk(t, f.id());
        if (f.runKey() != null) {
            i.gsi3pk = Keys.RUN_FINDINGS + f.runKey();
            i.gsi3sk = Keys.timeSk(t, f.id());
        }
        i.expiresAt = t.plus(retention).getEpochSecond();
        return i;
    }

    // ---- deliveries ----

    @Override
    public List<Delivery> deliveriesOf(String findingId) {
        List<Delivery> out = new ArrayList<>();
        Optional<Finding> current = null;
        for (DeliveryItem d : partition(findingId)) {
            if (d.json == null && current == null) {
                current = storedFinding(findingId).map(StoredFinding::finding);
            }
            Finding f = d.json != null ? FindingJson.fromLine(d.json) : current.map(c -> asNotice(c, d.notice)).orElse(null);
            if (f != null) {
                out.add(delivery(d, f, null, null));
            }
        }
        return out;
    }

    private List<DeliveryItem> partition(String findingId) {
        String pk = Keys.FINDING + findingId;
        return DynamoAuditStore.queryBase(deliveries, pk, QueryConditional.sortBeginsWith(DynamoAuditStore.key(pk, Keys.DELIVERY_SK)), true,
                Integer.MAX_VALUE);
    }

    @Override
    public void enqueue(Collection<Delivery> queue) {
        for (Delivery d : queue) {
            DeliveryItem item = deliveryItem(d);
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
            deliveries.deleteItem(r -> r.key(deliveryKey(d.finding().id(), d.destination(), d.notice())).conditionExpression(undelivered));
        } catch (ConditionalCheckFailedException delivered) {
            // delivered meanwhile: it stays as the record of what was sent
        }
    }

    /**
     * A page or {@code updated} follow-up is stored without text (it carries the finding as it is when sent, so the
     * item does not depend on arrival order); a notice the sweeper or a withdrawal wrote carries its own.
     */
    private static boolean readsCurrent(String notice) {
        return Delivery.RAISED.equals(notice) || notice.startsWith("updated-");
    }

    private DeliveryItem deliveryItem(Delivery q) {
        Finding f = q.finding();
        String notice = q.notice();
        DeliveryItem d = new DeliveryItem();
        d.type = "delivery";
        d.pk = Keys.FINDING + f.id();
        d.sk = Keys.DELIVERY_SK + q.destination() + "#" + notice;
        d.findingId = f.id();
        d.destination = q.destination();
        d.notice = notice;
        d.json = readsCurrent(notice) ? null : FindingJson.toLine(f);
        d.attempts = 0L;
        // Due when its evidence has settled (from event times only) or at once: never the clock, so the item does not
        // depend on when or in which order events were ingested. Its TTL is set once it is delivered or given up.
        Instant due = q.nextAttempt() == null ? Instant.EPOCH : q.nextAttempt();
        d.nextAttempt = Keys.time(due);
        d.gsi2pk = Keys.DUE;
        d.gsi2sk = Keys.timeSk(due, f.id() + "#" + q.destination() + "#" + notice);
        return d;
    }

    private static Key deliveryKey(String findingId, String destination, String notice) {
        return DynamoAuditStore.key(Keys.FINDING + findingId, Keys.DELIVERY_SK + destination + "#" + notice);
    }

    private static Finding asNotice(Finding current, String notice) {
        if (Delivery.RAISED.equals(notice)) {
            return current;
        }
        Map<String, String> details = new java.util.TreeMap<>(current.details());
        details.put("notice", notice);
        return current.with(current.summary(), details);
    }

    private static Delivery delivery(DeliveryItem d, Finding f, Finding previous, String threadRef) {
        return new Delivery(f, d.destination, d.attempts == null ? 0 : d.attempts.intValue(), Keys.instant(d.nextAttempt), d.lastError,
                Boolean.TRUE.equals(d.delivered), d.ref, previous, threadRef);
    }

    @Override
    public List<Delivery> dueDeliveries(Instant now, int limit) {
        List<Delivery> out = new ArrayList<>();
        Map<String, Optional<StoredFinding>> current = new LinkedHashMap<>();
        for (DeliveryItem d : DynamoAuditStore.queryIndex(deliveries, "gsi2", Keys.DUE, null, Keys.timeSk(now, "~"), true, limit)) {
            if (Boolean.TRUE.equals(d.delivered)) {
                continue;
            }
            Optional<StoredFinding> stored = current.computeIfAbsent(d.findingId, this::storedFinding);
            if (readsCurrent(d.notice)) {
                if (stored.isEmpty() || stored.get().isWithdrawn()) {
                    // Its finding expired (TTL) or was withdrawn (which cancels its pages): nothing left to send.
                    deliveries.deleteItem(DynamoAuditStore.key(d.pk, d.sk));
                    continue;
                }
            }
            Finding f = d.json != null ? FindingJson.fromLine(d.json) : asNotice(stored.get().finding(), d.notice);
            if (Delivery.RAISED.equals(d.notice)) {
                out.add(delivery(d, f, null, null));
                continue;
            }
            // A notice follows the page to the same destination: what it said last, and where (to reply in its thread).
            Finding previous = null;
            String thread = null;
            String lastAt = null;
            for (DeliveryItem other : partition(d.findingId)) {
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
        DeliveryItem d = deliveries.getItem(r -> r.key(deliveryKey(f.id(), delivery.destination(), delivery.notice())).consistentRead(true));
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
        DeliveryItem d = deliveries.getItem(r -> r.key(deliveryKey(f.id(), delivery.destination(), delivery.notice())).consistentRead(true));
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
        AlertedItem i = alerted.getItem(r -> r.key(DynamoAuditStore.key(Keys.ALERTED + destination + "#" + groupKey, "ALERTED")).consistentRead(true));
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
