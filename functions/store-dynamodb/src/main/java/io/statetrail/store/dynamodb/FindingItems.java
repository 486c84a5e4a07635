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
 * Finding and delivery items: a finding ({@code FINDING#<id>}, sort key {@code FINDING}) and its deliveries in the same
 * partition ({@code DELIVERY#<destination>#<notice>}), built and read here for both {@link DynamoFindings} and
 * {@link DynamoDeliveries}.
 */
final class FindingItems {

    private final DynamoDbTable<FindingItem> findings;
    private final DynamoDbTable<DeliveryItem> deliveries;
    private final Duration retention;

    FindingItems(TableAccess table) {
        this.findings = table.findings;
        this.deliveries = table.deliveries;
        this.retention = table.retention;
    }

    FindingItem item(String id) {
        return findings.getItem(r -> r.key(TableAccess.key(Keys.FINDING + id, Keys.FINDING_SK)).consistentRead(true));
    }

    /**
     * A finding as the query API and dashboard show it: a withdrawn one says why and since when in its details
     * ({@code withdrawn}, {@code withdrawnAt}).
     */
    static Finding shown(FindingItem i) {
        return Findings.shown(stored(i));
    }

    static StoredFinding stored(FindingItem i) {
        Withdrawal w = Boolean.TRUE.equals(i.withdrawn)
                ? new Withdrawal(Keys.instant(i.withdrawnAt), i.withdrawnReason == null ? "withdrawn" : i.withdrawnReason) : null;
        return new StoredFinding(FindingJson.fromLine(i.json), i.scope, i.owner, w);
    }

    FindingItem findingItem(StoredFinding s) {
        Finding f = s.finding();
        FindingItem i = new FindingItem();
        i.type = "finding";
        i.pk = Keys.FINDING + f.id();
        i.sk = Keys.FINDING_SK;
        i.findingId = f.id();
        i.json = FindingJson.toLine(f.withStatus(null)); // the status is kept apart (FindingStatuses)
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

    /** Every delivery of a finding: its pages and follow-ups, then the notices of its status changes. */
    List<DeliveryItem> partition(String findingId) {
        List<DeliveryItem> out = new ArrayList<>();
        for (String pk : List.of(Keys.FINDING + findingId, Keys.STATUS + findingId)) {
            out.addAll(TableAccess.queryBase(deliveries, pk, QueryConditional.sortBeginsWith(TableAccess.key(pk, Keys.DELIVERY_SK)), true,
                    Integer.MAX_VALUE));
        }
        return out;
    }

    /** A status notice lives beside the status history, where an analyst may write; every other delivery beside its finding. */
    static String deliveryPartition(String findingId, String notice) {
        return (notice.startsWith(Keys.STATUS_NOTICE) ? Keys.STATUS : Keys.FINDING) + findingId;
    }

    /**
     * A page or {@code updated} follow-up is stored without text (it carries the finding as it is when sent, so the
     * item does not depend on arrival order); a notice the sweeper or a withdrawal wrote carries its own.
     */
    static boolean readsCurrent(String notice) {
        return Delivery.RAISED.equals(notice) || notice.startsWith("updated-");
    }

    DeliveryItem deliveryItem(Delivery q) {
        Finding f = q.finding();
        String notice = q.notice();
        DeliveryItem d = new DeliveryItem();
        d.type = "delivery";
        d.pk = deliveryPartition(f.id(), notice);
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

    static Key deliveryKey(String findingId, String destination, String notice) {
        return TableAccess.key(deliveryPartition(findingId, notice), Keys.DELIVERY_SK + destination + "#" + notice);
    }

    static Finding asNotice(Finding current, String notice) {
        if (Delivery.RAISED.equals(notice)) {
            return current;
        }
        Map<String, String> details = new java.util.TreeMap<>(current.details());
        details.put("notice", notice);
        return current.with(current.summary(), details);
    }
}
