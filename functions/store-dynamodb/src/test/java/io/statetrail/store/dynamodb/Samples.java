package io.statetrail.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.replay.Replay;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The sample runs under {@code events/} as raw records, and helpers to ingest them and compare tables. */
final class Samples {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private Samples() {
    }

    static Policy policy() {
        return PolicyLoader.load(EVENTS.resolve("policy.yaml"));
    }

    /** One raw record with where it came from. */
    record Raw(String source, long line, String json, Instant time) {
        String where() {
            return source + ":" + line;
        }

        String eventId() {
            return field("eventID");
        }

        String eventName() {
            return field("eventName");
        }

        String field(String name) {
            try {
                JsonNode v = MAPPER.readTree(json).get(name);
                return v == null || v.isNull() ? null : v.asText();
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Every record of every sample file (scenarios and malformed), in file and line order. */
    static List<Raw> records(Path dir) {
        List<Raw> out = new ArrayList<>();
        List<Malformed> syntax = new ArrayList<>();
        for (Path file : Replay.files(List.of(dir))) {
            RawRecords.readFile(file, new RawRecords.Sink() {
                @Override
                public void record(String source, long line, String json) {
                    out.add(new Raw(EVENTS.relativize(Path.of(source)).toString(), line, json, time(json)));
                }

                @Override
                public void malformed(Malformed m) {
                    syntax.add(m);
                }
            });
        }
        return out;
    }

    static List<Raw> all() {
        return records(EVENTS);
    }

    static Instant time(String json) {
        try {
            JsonNode t = MAPPER.readTree(json).get("eventTime");
            return t != null && t.isTextual() ? Instant.parse(t.asText()) : Instant.EPOCH;
        } catch (Exception e) {
            return Instant.EPOCH;
        }
    }

    static List<Raw> chronological(List<Raw> records) {
        List<Raw> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(Raw::time).thenComparing(Raw::source).thenComparing(Raw::line));
        return sorted;
    }

    /** One EventBridge event per record, as the live service receives them. */
    static List<IngestResult> ingestEach(Ingestor ingestor, List<Raw> records) {
        List<IngestResult> out = new ArrayList<>();
        for (Raw r : records) {
            out.add(ingestor.ingest(r.where(), RawRecords.asEventBridge(r.json())));
        }
        return out;
    }

    /** One EventBridge event per record, in SQS batches of {@code size} messages ({@link Ingestor#ingestBatch}). */
    static List<IngestResult> ingestBatches(Ingestor ingestor, List<Raw> records, int size) {
        List<IngestResult> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i += size) {
            out.addAll(ingestBatch(ingestor, records.subList(i, Math.min(records.size(), i + size))));
        }
        return out;
    }

    /** One SQS batch: one EventBridge event per record; every message must succeed. */
    static List<IngestResult> ingestBatch(Ingestor ingestor, List<Raw> records) {
        List<Ingestor.Message> batch = records.stream().map(r -> new Ingestor.Message(r.where(), RawRecords.asEventBridge(r.json()))).toList();
        List<IngestResult> out = ingestor.ingestBatch(batch);
        for (IngestResult r : out) {
            if (r.failure() != null) {
                throw r.failure();
            }
        }
        return out;
    }

    /** Several records in one message, as a log file. */
    static IngestResult ingestChunk(Ingestor ingestor, List<Raw> chunk) {
        StringBuilder b = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < chunk.size(); i++) {
            b.append(i == 0 ? "" : ",").append(chunk.get(i).json());
        }
        return ingestor.ingest("chunk", b.append("]}").toString());
    }

    /** A fresh table in the running DynamoDB Local. */
    static DynamoAuditStore store(DynamoDbClient client) {
        return store(client, CLOCK);
    }

    /** A fresh table whose store keeps time by this clock (when deliveries are recorded). */
    static DynamoAuditStore store(DynamoDbClient client, Clock clock) {
        String name = "audit-" + TABLES.incrementAndGet();
        AuditTable.create(client, name);
        return new DynamoAuditStore(client, name, clock, DynamoAuditStore.DEFAULT_RETENTION);
    }

    /** Every run the query lists, following its cursor. */
    static List<RunSummary> listing(DynamoAuditStore on, RunQuery q) {
        List<RunSummary> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<RunSummary> page = on.runs(new RunQuery(q.repository(), q.subjectPattern(), q.ref(), q.environment(), q.from(), q.to(), q.limit(), cursor));
            out.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return out;
    }

    static String tableName(DynamoAuditStore store) {
        return store.tableName();
    }

    /** Every item of the table, canonical: {@code pk | sk} → attributes sorted by name. */
    static TreeMap<String, String> snapshot(DynamoDbClient client, DynamoAuditStore store) {
        TreeMap<String, String> out = new TreeMap<>();
        client.scanPaginator(b -> b.tableName(tableName(store))).items().forEach(item ->
                out.put(item.get("pk").s() + " | " + item.get("sk").s(), canonical(AttributeValue.fromM(item))));
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
        return v.toString();
    }

    /** Every {@code sessionToken} value in the sample files (plain, gzipped, or escaped inside strings). */
    static TreeSet<String> sessionTokens() {
        Pattern token = Pattern.compile("\\\\?\"sessionToken\\\\?\"\\s*:\\s*\\\\?\"([^\"\\\\]+)");
        TreeSet<String> out = new TreeSet<>();
        for (Path f : Replay.files(List.of(EVENTS))) {
            String text = read(f);
            Matcher m = token.matcher(text);
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

    /** Counts DynamoDB write requests (each item of a batch or transaction counts as one). */
    static final class WriteCounter implements ExecutionInterceptor {
        final AtomicInteger writes = new AtomicInteger();
        final Map<String, AtomicInteger> byOperation = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            Object r = context.request();
            int n = 0;
            if (r instanceof PutItemRequest || r instanceof UpdateItemRequest || r instanceof DeleteItemRequest) {
                n = 1;
            } else if (r instanceof BatchWriteItemRequest b) {
                n = b.requestItems().values().stream().mapToInt(List::size).sum();
            } else if (r instanceof TransactWriteItemsRequest t) {
                n = t.transactItems().size();
            }
            if (n > 0) {
                writes.addAndGet(n);
                byOperation.computeIfAbsent(r.getClass().getSimpleName(), k -> new AtomicInteger()).addAndGet(n);
            }
        }

        void reset() {
            writes.set(0);
            byOperation.clear();
        }
    }
}
