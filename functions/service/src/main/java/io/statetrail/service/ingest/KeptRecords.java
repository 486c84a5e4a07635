package io.statetrail.service.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordRedaction;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.TrailEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CloudTrail record of each relevant call of a message, minus its secrets ({@link RecordRedaction}), kept with the
 * call for the finding page's raw record. The message is split again ({@link RawRecords}) only when it had relevant
 * calls, which most messages do not.
 */
final class KeptRecords {

    private KeptRecords() {
    }

    /** By copy id ({@code eventID@recipientAccountId}), the records of these calls found in the message. */
    static Map<String, String> of(String source, String message, List<List<TrailEvent>> relevant) {
        if (relevant.isEmpty()) {
            return Map.of();
        }
        Set<String> wanted = new HashSet<>();
        for (List<TrailEvent> events : relevant) {
            wanted.add(copyId(events.get(0).meta()));
        }
        Map<String, String> out = new HashMap<>();
        try {
            split(source, message, wanted, out);
        } catch (RuntimeException e) {
            // The calls were read; a record that cannot be kept only leaves the evidence without its raw record.
            return out;
        }
        return out;
    }

    private static void split(String source, String message, Set<String> wanted, Map<String, String> out) {
        RawRecords.readBytes(source, message.getBytes(StandardCharsets.UTF_8), new RawRecords.Sink() {
            @Override
            public void record(String from, long line, String json) {
                // read once: the copy id says whether to keep it, the same tree is redacted
                RecordRedaction.parse(json).ifPresent(r -> {
                    String id = copyIdOf(r);
                    if (id != null && wanted.contains(id) && !out.containsKey(id)) {
                        out.put(id, RecordRedaction.redactTree(r));
                    }
                });
            }

            @Override
            public void malformed(Malformed malformed) {
                // Already reported by the reader that found the calls; nothing to keep.
            }
        });
    }

    static String copyId(EventMeta meta) {
        return meta.eventId() + "@" + meta.recipientAccountId();
    }

    private static String copyIdOf(JsonNode r) {
        JsonNode id = r.get("eventID");
        if (id == null || !id.isTextual()) {
            return null;
        }
        JsonNode account = r.get("recipientAccountId");
        return id.asText() + "@" + (account == null || account.isNull() ? null : account.asText());
    }
}
