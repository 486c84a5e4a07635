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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The relevant records of one log file, as text to send on, and what the rest of the file was. The file is read by
 * {@link RecordReader#readBytes}, the replay's reader with its log-file fast path, so a record is relevant here exactly
 * when the replay would evaluate it. Only a file that holds relevant records is read a second time, to pick out those
 * records' text by {@code eventID} (the reader may take the recipient account from {@code userIdentity} when a record
 * has none, so the recipient is no part of the match): a log file ({@code {"Records":[…]}}) by a streaming pass that
 * copies each wanted record's bytes as written, anything else split into raw records by {@link RawRecords}.
 *
 * <p>A gzipped file is inflated once for both passes; one that cannot be inflated whole is read as it is, so the reader
 * reports what it could read and where it broke, as the replay does.
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

    public FileRecords read(String source, byte[] stored) {
        byte[] document = inflated(stored);
        Counting counting = new Counting();
        reader.readBytes(source, document, counting);
        List<String> texts = new ArrayList<>();
        Set<String> wanted = counting.keys;
        if (!wanted.isEmpty() && !logFileRecords(document, new HashSet<>(wanted), texts)) {
            texts.clear();
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

    /** The document inflated when it is gzip and inflates whole; else as stored. */
    private static byte[] inflated(byte[] stored) {
        if (stored.length < 2 || (stored[0] & 0xff) != 0x1f || (stored[1] & 0xff) != 0x8b) {
            return stored;
        }
        try (InputStream in = RecordReader.open(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return stored;
        }
    }

    /**
     * The wanted records of a log file, their bytes as written, in file order, each once: false when the document is
     * not one plain {@code {"Records":[{…},…]}} log file (or breaks), which is then left to {@link RawRecords}.
     */
    private static boolean logFileRecords(byte[] document, Set<String> wanted, List<String> out) {
        try (JsonParser p = JSON.createParser(document)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean records = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"Records".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY || records) {
                    return false;
                }
                records = true;
                JsonToken e;
                while ((e = p.nextToken()) == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    String eventId = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("eventID".equals(name) && v == JsonToken.VALUE_STRING) {
                            eventId = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                    int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                    if (eventId != null && wanted.remove(eventId)) {
                        out.add(new String(document, start, end - start, StandardCharsets.UTF_8));
                    }
                }
                if (e != JsonToken.END_ARRAY) {
                    return false;
                }
            }
            return records && p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
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
