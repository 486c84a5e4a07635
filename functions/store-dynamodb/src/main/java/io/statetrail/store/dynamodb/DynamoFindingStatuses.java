package io.statetrail.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.StatusChange;
import io.statetrail.service.port.FindingStatuses;
import io.statetrail.store.dynamodb.Items.StatusItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link FindingStatuses} on the audit table: one item per triaged finding ({@link Keys#STATUS}), its whole history
 * in one attribute, written conditionally on how many changes it held when read.
 */
final class DynamoFindingStatuses implements FindingStatuses {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two analysts changing one finding at the same moment: re-read and append again, a few times. */
    private static final int ATTEMPTS = 5;

    private final TableAccess table;
    private final DynamoDbTable<StatusItem> items;

    DynamoFindingStatuses(TableAccess table) {
        this.table = table;
        this.items = table.statuses;
    }

    static Key key(String findingId) {
        return TableAccess.key(Keys.STATUS + findingId, Keys.STATUS_SK);
    }

    @Override
    public List<StatusChange> statusHistory(String findingId) {
        return history(items.getItem(r -> r.key(key(findingId)).consistentRead(true)));
    }

    @Override
    public Map<String, StatusChange> latestStatuses(Collection<String> findingIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : new java.util.TreeSet<>(findingIds)) {
            keys.add(Map.of(AuditTable.PK, AttributeValue.fromS(Keys.STATUS + id), AuditTable.SK, AttributeValue.fromS(Keys.STATUS_SK)));
        }
        Map<String, StatusChange> out = new HashMap<>();
        for (Map<String, AttributeValue> raw : table.batchGet(keys, List.of())) {
            StatusItem i = StatusItem.SCHEMA.mapToItem(raw);
            List<StatusChange> h = history(i);
            if (!h.isEmpty()) {
                out.put(i.findingId, h.get(h.size() - 1));
            }
        }
        return out;
    }

    @Override
    public void recordStatus(String findingId, StatusChange change) {
        for (int attempt = 1; ; attempt++) {
            StatusItem stored = items.getItem(r -> r.key(key(findingId)).consistentRead(true));
            List<StatusChange> h = new ArrayList<>(history(stored));
            if (h.contains(change)) {
                return; // a retried request: recorded already
            }
            h.add(change);
            StatusItem next = new StatusItem();
            next.type = "status";
            next.pk = Keys.STATUS + findingId;
            next.sk = Keys.STATUS_SK;
            next.findingId = findingId;
            next.status = change.status().label();
            next.history = write(h);
            next.changes = (long) h.size();
            next.expiresAt = change.at().plus(table.retention).getEpochSecond();
            Expression unchanged = stored == null ? TableAccess.NOT_EXISTS
                    : Expression.builder().expression("#c = :c").putExpressionName("#c", "changes")
                    .putExpressionValue(":c", AttributeValue.fromN(String.valueOf(stored.changes == null ? 0 : stored.changes))).build();
            try {
                items.putItem(r -> r.item(next).conditionExpression(unchanged));
                return;
            } catch (ConditionalCheckFailedException raced) {
                if (attempt >= ATTEMPTS) {
                    throw new IllegalStateException("the status of " + findingId + " kept changing; try again", raced);
                }
            }
        }
    }

    private static List<StatusChange> history(StatusItem i) {
        if (i == null || i.history == null) {
            return List.of();
        }
        try {
            List<StatusChange> out = new ArrayList<>();
            for (JsonNode n : JSON.readTree(i.history)) {
                StatusChange c = FindingJson.changeFromJson(n);
                List<String> evidence = new ArrayList<>();
                n.path("evidence").forEach(e -> evidence.add(e.asText()));
                out.add(new StatusChange(c.status(), c.by(), c.at(), c.note(), evidence));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(List<StatusChange> h) {
        ArrayNode a = JSON.createArrayNode();
        for (StatusChange c : h) {
            ObjectNode o = FindingJson.change(a.addObject(), c);
            ArrayNode evidence = o.putArray("evidence");
            c.evidence().forEach(evidence::add);
        }
        return a.toString();
    }
}
