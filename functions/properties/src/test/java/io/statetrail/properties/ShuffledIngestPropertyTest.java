package io.statetrail.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.service.memory.InMemoryAuditStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's half of the held order and duplication property ({@code LiveIngestTest} in store-dynamodb is
 * the DynamoDB half, comparing tables item by item): every bundled sample, delivered twice, shuffled and cut into
 * messages of any size, leaves the same store contents and findings as one ordered ingest.
 */
class ShuffledIngestPropertyTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC);
    static final Policy POLICY = PolicyLoader.load(PagingPropertyTest.EVENTS.resolve("policy.yaml"));

    record Raw(String where, String json) {
    }

    static List<Raw> samples() {
        List<Raw> out = new ArrayList<>();
        for (var file : Replay.files(List.of(PagingPropertyTest.EVENTS))) {
            RawRecords.readFile(file, new RawRecords.Sink() {
                @Override
                public void record(String source, long line, String json) {
                    out.add(new Raw(source + ":" + line, json));
                }

                @Override
                public void malformed(Malformed m) {
                    // A file that is no JSON at all: the ingest's bad-input path is tested elsewhere.
                }
            });
        }
        return out;
    }

    static final List<Raw> SAMPLES = samples();

    static List<Raw> chronological() {
        List<Raw> sorted = new ArrayList<>(SAMPLES);
        sorted.sort(java.util.Comparator.comparing((Raw r) -> time(r.json())).thenComparing(Raw::where));
        return sorted;
    }

    /** The record's eventTime; a malformed sample's (unreadable, or no time at all) sorts first. */
    static Instant time(String json) {
        try {
            return Deliveries.Record.of(json).time();
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    static void ingestEach(Ingestor ingestor, List<Raw> records) {
        for (Raw r : records) {
            assertNull(ingestor.ingest(r.where(), RawRecords.asEventBridge(r.json())).failure(), r.where());
        }
    }

    static void ingestBatch(Ingestor ingestor, List<Raw> records) {
        List<Ingestor.Message> batch = records.stream().map(r -> new Ingestor.Message(r.where(), RawRecords.asEventBridge(r.json()))).toList();
        for (IngestResult r : ingestor.ingestBatch(batch)) {
            assertNull(r.failure());
        }
    }

    /** Several records in one message, as a log file. */
    static void ingestChunk(Ingestor ingestor, List<Raw> chunk) {
        StringBuilder b = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < chunk.size(); i++) {
            b.append(i == 0 ? "" : ",").append(chunk.get(i).json());
        }
        assertNull(ingestor.ingest("chunk", b.append("]}").toString()).failure());
    }

    /** Every sample twice, each time shuffled and cut into pieces of 1 to {@code max} records. */
    static void shuffledTwice(Random random, int max, Consumer<List<Raw>> ingest) {
        for (int pass = 0; pass < 2; pass++) {
            List<Raw> order = new ArrayList<>(SAMPLES);
            Collections.shuffle(order, random);
            for (int i = 0; i < order.size(); ) {
                int n = 1 + random.nextInt(max);
                ingest.accept(order.subList(i, Math.min(order.size(), i + n)));
                i += n;
            }
        }
    }

    static InMemoryAuditStore ordered() {
        InMemoryAuditStore store = new InMemoryAuditStore(CLOCK);
        ingestEach(new Ingestor(store, POLICY, List.of("file"), CLOCK), chronological());
        assertFalse(store.findings().isEmpty());
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        store.snapshot().keySet().forEach(k -> kinds.add(k.substring(0, k.indexOf('|'))));
        assertEquals(java.util.Set.of("bulk", "call", "delivery", "finding", "lock", "run", "unattributed"), kinds,
                "the comparison covers everything the ingest keeps (lock bodies and watches are the sweeper's)");
        return store;
    }

    @Test
    void shuffledChunkedRepeatedIngestLeavesTheSameStoreAndFindingsAsOneOrderedIngest() {
        InMemoryAuditStore ordered = ordered();
        for (long seed = 1; seed <= 4; seed++) {
            InMemoryAuditStore shuffled = new InMemoryAuditStore(CLOCK);
            Ingestor ingestor = new Ingestor(shuffled, POLICY, List.of("file"), CLOCK);
            shuffledTwice(new Random(seed), 7, chunk -> {
                if (chunk.size() == 1) {
                    ingestEach(ingestor, chunk);
                } else {
                    ingestChunk(ingestor, chunk);
                }
            });
            assertSameStoreAndFindings(ordered, shuffled, seed);
        }
    }

    @Test
    void shuffledRecordsInSqsBatchesLeaveTheSameStoreAndFindingsAsOneOrderedIngest() {
        InMemoryAuditStore ordered = ordered();
        for (long seed = 1; seed <= 4; seed++) {
            InMemoryAuditStore batched = new InMemoryAuditStore(CLOCK);
            // Issue 18: each batch's units judged on four lanes, as a warm Lambda instance judges them.
            Ingestor ingestor = new Ingestor(batched, POLICY, List.of("file"), CLOCK, Settle.DEFAULT, PagingRun.LANES);
            shuffledTwice(new Random(seed), 10, batch -> ingestBatch(ingestor, batch));
            assertSameStoreAndFindings(ordered, batched, seed);
        }
    }

    static void assertSameStoreAndFindings(InMemoryAuditStore expected, InMemoryAuditStore actual, long seed) {
        TreeMap<String, String> want = expected.snapshot();
        TreeMap<String, String> got = actual.snapshot();
        assertEquals(want.keySet(), got.keySet(), "kept, seed " + seed);
        for (String key : want.keySet()) {
            assertEquals(want.get(key), got.get(key), key + ", seed " + seed);
        }
        assertEquals(lines(expected), lines(actual), "findings, seed " + seed);
    }

    static List<String> lines(InMemoryAuditStore store) {
        return store.findings().stream().map(Finding::toString).sorted().toList();
    }
}
