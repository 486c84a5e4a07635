package io.statetrail.lambda;

import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.replay.Replay;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.store.dynamodb.AuditTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The samples under {@code events/} as SQS messages, the session tokens they hold, and a canonical table snapshot. */
final class SampleMessages {

    private SampleMessages() {
    }

    /** One EventBridge event per record of every sample file (scenarios and malformed), as {messageId, body}. */
    static List<String[]> perRecord() {
        List<String[]> out = new ArrayList<>();
        for (Path file : Replay.files(List.of(TestStack.EVENTS))) {
            RawRecords.readFile(file, new RawRecords.Sink() {
                @Override
                public void record(String source, long line, String json) {
                    out.add(new String[] {"rec-" + out.size(), RawRecords.asEventBridge(json)});
                }

                @Override
                public void malformed(Malformed m) {
                }
            });
        }
        return out;
    }

    /** Every sample file's text (gz inflated) as one message each: log files, JSON lines, truncated and malformed. */
    static List<String[]> perFile() {
        List<String[]> out = new ArrayList<>();
        for (Path file : Replay.files(List.of(TestStack.EVENTS))) {
            out.add(new String[] {"file-" + out.size(), read(file)});
        }
        return out;
    }

    /** Every {@code sessionToken} value in the raw sample files (plain, gzipped, or escaped inside strings). */
    static TreeSet<String> sessionTokens() {
        Pattern token = Pattern.compile("\\\\?\"sessionToken\\\\?\"\\s*:\\s*\\\\?\"([^\"\\\\]+)");
        TreeSet<String> out = new TreeSet<>();
        for (Path f : Replay.files(List.of(TestStack.EVENTS))) {
            Matcher m = token.matcher(read(f));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static String read(Path f) {
        try (InputStream in = io.statetrail.core.cloudtrail.RecordReader.open(f)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every item of the table, canonical ({@code pk | sk} → attributes sorted by name), without the clock-made TTL. */
    static TreeMap<String, String> snapshot(DynamoDbClient client, String table) {
        TreeMap<String, String> out = new TreeMap<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            TreeMap<String, AttributeValue> sorted = new TreeMap<>(item);
            sorted.remove(AuditTable.TTL_ATTRIBUTE);
            out.put(item.get("pk").s() + " | " + item.get("sk").s(), canonical(AttributeValue.fromM(sorted)));
        });
        return out;
    }

    static String canonical(AttributeValue v) {
        if (v.s() != null) {
            return "S:" + v.s();
        }
        if (v.n() != null) {
            return "N:" + v.n();
        }
        if (v.bool() != null) {
            return "B:" + v.bool();
        }
        if (v.hasM()) {
            StringBuilder b = new StringBuilder("{");
            new TreeMap<>(v.m()).forEach((k, x) -> b.append(k).append('=').append(canonical(x)).append(';'));
            return b.append('}').toString();
        }
        if (v.hasL()) {
            StringBuilder b = new StringBuilder("[");
            v.l().forEach(x -> b.append(canonical(x)).append(','));
            return b.append(']').toString();
        }
        if (v.hasSs()) {
            return "SS:" + new TreeSet<>(v.ss());
        }
        if (v.nul() != null) {
            return "NULL";
        }
        if (v.b() != null) {
            // A kept record (gzipped): its text, so that a token in it would be seen.
            byte[] bytes = v.b().asByteArray();
            if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                    return "GZ:" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return v.toString();
    }
}
