package io.statetrail.service.backfill;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.cloudtrail.Skipped;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.service.ingest.RawRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The relevant records of one log file, as text to send on, and what the rest of the file was. The file is read by
 * {@link RecordReader#readBytes}, the replay's reader with its log-file fast path, so a record is relevant here exactly
 * when the replay would evaluate it. Only a file that holds relevant records is read a second time, split into raw
 * records ({@link RawRecords}), to pick out those records' text by {@code eventID} (the reader may take the recipient
 * account from {@code userIdentity} when a record has none, so the recipient is no part of the match).
 */
public final class RelevantRecords {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * @param records   every record read: relevant, irrelevant, skipped (digests, Insights, network activity) and malformed
     * @param relevant  the relevant records' text, in file order, each once
     * @param malformed what could not be read, with line and reason (excerpts redacted by the reader)
     */
    public record FileRecords(long records, long irrelevant, long skipped, List<String> relevant, List<Malformed> malformed) {
        public FileRecords {
            relevant = List.copyOf(relevant);
            malformed = List.copyOf(malformed);
        }
    }

    private final RecordReader reader;

    public RelevantRecords(RecordReader reader) {
        this.reader = reader;
    }

    public FileRecords read(String source, byte[] document) {
        Counting counting = new Counting();
        reader.readBytes(source, document, counting);
        List<String> texts = new ArrayList<>();
        if (!counting.keys.isEmpty()) {
            Set<String> wanted = counting.keys;
            RawRecords.readBytes(source, document, new RawRecords.Sink() {
                @Override
                public void record(String src, long line, String json) {
                    if (wanted.remove(key(json))) {
                        texts.add(json);
                    }
                }

                @Override
                public void malformed(Malformed malformed) {
                    // Counted by the reader's pass already, which is the one that decides.
                }
            });
        }
        long records = counting.relevant + counting.irrelevant + counting.skipped + counting.malformed.size();
        return new FileRecords(records, counting.irrelevant, counting.skipped, texts, counting.malformed);
    }

    /** The {@code eventID} of a raw record, read from its top-level fields; null when it has none. */
    static String key(String json) {
        String eventId = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("eventID".equals(name) && t == JsonToken.VALUE_STRING) {
                    eventId = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return eventId;
    }

    private static final class Counting implements RecordSink {
        final Set<String> keys = new HashSet<>();
        final List<Malformed> malformed = new ArrayList<>();
        long relevant;
        long irrelevant;
        long skipped;

        @Override
        public void relevant(String source, long line, List<TrailEvent> events) {
            relevant++;
            keys.add(events.get(0).meta().eventId());
        }

        @Override
        public void irrelevant() {
            irrelevant++;
        }

        @Override
        public void skipped(Skipped kind) {
            skipped++;
        }

        @Override
        public void malformed(Malformed m) {
            malformed.add(m);
        }
    }
}
