package io.statetrail.store.dynamodb;

import io.statetrail.service.port.StoreCatalogue;
import io.statetrail.store.dynamodb.Items.StoreItem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link StoreCatalogue} on the audit table: one item per store known to hold state ({@link Keys#CATALOGUE}), and the
 * state keys of each bucket in one partition ({@link Keys#BUCKET_STATES}). Items carry no time and never expire: they
 * only say what was seen, so the catalogue is the same whatever order the calls arrived in.
 */
final class DynamoStoreCatalogue implements StoreCatalogue {

    private final TableAccess table;
    private final DynamoDbTable<StoreItem> items;

    DynamoStoreCatalogue(TableAccess table) {
        this.table = table;
        this.items = table.stores;
    }

    /** {@code state:<bucket>/<key>} under its bucket; every other ref on its own. */
    private static String[] key(String ref) {
        if (ref.startsWith("state:")) {
            String stateKey = ref.substring("state:".length());
            int slash = stateKey.indexOf('/');
            return new String[] {Keys.BUCKET_STATES + (slash < 0 ? stateKey : stateKey.substring(0, slash)), stateKey};
        }
        return new String[] {Keys.CATALOGUE + ref, Keys.CATALOGUE_SK};
    }

    @Override
    public Set<String> markStores(Collection<String> refs) {
        Set<String> fresh = new TreeSet<>(refs);
        fresh.removeAll(knownStores(refs));
        Set<String> out = new TreeSet<>();
        for (String ref : fresh) {
            String[] k = key(ref);
            StoreItem i = new StoreItem();
            i.type = "catalogue";
            i.pk = k[0];
            i.sk = k[1];
            i.ref = ref;
            try {
                items.putItem(r -> r.item(i).conditionExpression(TableAccess.NOT_EXISTS));
                out.add(ref);
            } catch (ConditionalCheckFailedException raced) {
                // another batch recorded it meanwhile, and judges what it affects
            }
        }
        return out;
    }

    @Override
    public Set<String> knownStores(Collection<String> refs) {
        Map<String, String> byKey = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> ask = new ArrayList<>();
        for (String ref : new TreeSet<>(refs)) {
            String[] k = key(ref);
            if (byKey.put(k[0] + "|" + k[1], ref) == null) {
                ask.add(Map.of(AuditTable.PK, AttributeValue.fromS(k[0]), AuditTable.SK, AttributeValue.fromS(k[1])));
            }
        }
        Set<String> out = new TreeSet<>();
        for (Map<String, AttributeValue> item : table.batchGet(ask, List.of(AuditTable.PK, AuditTable.SK))) {
            out.add(byKey.get(item.get(AuditTable.PK).s() + "|" + item.get(AuditTable.SK).s()));
        }
        return out;
    }

    @Override
    public Set<String> statesIn(String bucket) {
        String pk = Keys.BUCKET_STATES + bucket;
        Set<String> out = new TreeSet<>();
        for (StoreItem i : TableAccess.queryBase(items, pk, QueryConditional.keyEqualTo(k -> k.partitionValue(pk)), true, Integer.MAX_VALUE)) {
            out.add(i.sk);
        }
        return out;
    }
}
