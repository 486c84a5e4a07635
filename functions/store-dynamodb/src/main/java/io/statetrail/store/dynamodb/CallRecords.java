package io.statetrail.store.dynamodb;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.service.query.CallRecord;
import io.statetrail.store.dynamodb.Items.CallItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;

/**
 * The raw records kept on a call item (issue 15): each copy's CloudTrail record minus secrets, gzipped, in the
 * {@code records} map of the primary item, written with the item (no extra write request); and the look-up of a call
 * by eventID through the keys-only index {@code gsi4}.
 */
final class CallRecords {

    /**
     * Largest gzipped record kept: an item holds at most 400 KB, and a call item also holds each copy's events. A
     * CloudTrail record is a few KB (a CreateRole with a long policy tens of KB); one larger is not kept, and says so.
     */
    static final int MAX_KEPT_BYTES = 64 * 1024;

    private CallRecords() {
    }

    /** The records to store with a call item: those already stored plus this copy's, if given and small enough. */
    static Map<String, SdkBytes> with(Map<String, SdkBytes> stored, String copyId, String record) {
        Map<String, SdkBytes> out = new TreeMap<>(stored == null ? Map.of() : stored);
        if (record != null) {
            byte[] gz = gzip(record);
            if (gz.length <= MAX_KEPT_BYTES) {
                out.put(copyId, SdkBytes.fromByteArrayUnsafe(gz));
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The stored call whose kept copy has this eventID: one keys-only index read, then the item. */
    static Optional<CallRecord> byEventId(TableAccess table, String eventId) {
        for (var page : table.calls.index(AuditTable.EVENT_INDEX).query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.BY_EVENT + eventId).build()))
                .limit(5).build())) {
            for (CallItem keys : page.items()) {
                CallItem item = table.calls.getItem(r -> r.key(TableAccess.key(keys.pk, keys.sk)));
                if (item != null && item.copies != null && item.preferred != null) {
                    return Optional.of(of(item));
                }
            }
            break;
        }
        return Optional.empty();
    }

    static CallRecord of(CallItem item) {
        TreeSet<String> ids = new TreeSet<>();
        for (List<TrailEvent> copy : TableAccess.copies(item)) {
            ids.add(copy.get(0).meta().eventId());
        }
        SdkBytes record = item.records == null ? null : item.records.get(item.preferred);
        return new CallRecord(item.callKey, List.copyOf(ids), TableAccess.preferred(item), record == null ? null : gunzip(record.asByteArray()));
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
