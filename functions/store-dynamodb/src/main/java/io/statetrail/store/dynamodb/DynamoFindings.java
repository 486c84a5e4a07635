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
 * {@link Findings} on the audit table ({@link FindingItems}): a finding is created with its pages in one transaction;
 * the runs listing counts a run's findings beside it. Layout in {@code docs/data-model.md}.
 */
final class DynamoFindings implements Findings {

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<FindingItem> findings;
    private final DynamoDbTable<DeliveryItem> deliveries;
    private final FindingItems items;
    private final DynamoDeliveries deliveriesOf;
    private final RunSummaries runSummaries;

    DynamoFindings(TableAccess table, FindingItems items, DynamoDeliveries deliveries, RunSummaries runSummaries) {
        this.enhanced = table.enhanced;
        this.findings = table.findings;
        this.deliveries = table.deliveries;
        this.items = items;
        this.deliveriesOf = deliveries;
        this.runSummaries = runSummaries;
    }

    private static final Expression NOT_EXISTS = Expression.builder()
            .expression("attribute_not_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();

    // ---- findings ----

    @Override
    public List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to) {
        List<StoredFinding> out = new ArrayList<>();
        for (FindingItem i : scopeItems(scope, from, to)) {
            if (types.contains(i.findingType)) {
                out.add(FindingItems.stored(i));
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
        return TableAccess.queryIndex(findings, "gsi2", Keys.SCOPE + scope, lo, hi, true, Integer.MAX_VALUE);
    }

    @Override
    public Optional<StoredFinding> storedFinding(String id) {
        FindingItem i = items.item(id);
        return i == null ? Optional.empty() : Optional.of(FindingItems.stored(i));
    }

    @Override
    public boolean create(StoredFinding f, List<Delivery> queue) {
        FindingItem item = items.findingItem(f);
        TransactWriteItemsEnhancedRequest.Builder t = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(findings, TransactPutItemEnhancedRequest.builder(FindingItem.class).item(item).conditionExpression(NOT_EXISTS).build());
        for (Delivery d : queue) {
            t.addPutItem(deliveries, TransactPutItemEnhancedRequest.builder(DeliveryItem.class)
                    .item(items.deliveryItem(d)).conditionExpression(NOT_EXISTS).build());
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
        deliveriesOf.enqueue(queue);
        return true;
    }

    @Override
    public void put(StoredFinding f) {
        FindingItem next = items.findingItem(f);
        FindingItem stored = items.item(f.finding().id());
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
        for (DeliveryItem d : items.partition(id)) {
            deliveries.deleteItem(TableAccess.key(d.pk, d.sk));
        }
        // Uncounted first: a failure in between leaves the finding in place, to be withdrawn again on retry.
        FindingItem stored = items.item(id);
        if (stored != null) {
            runSummaries.finding(stored.runKey, id, false);
        }
        findings.deleteItem(TableAccess.key(Keys.FINDING + id, Keys.FINDING_SK));
    }

    @Override
    public void stillHeld(Collection<Finding> held) {
        // After the findings are written, so a retry after a failure in between still counts them.
        runSummaries.findingsHeld(held);
    }
}
