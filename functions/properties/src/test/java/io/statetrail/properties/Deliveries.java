package io.statetrail.properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * How CloudTrail might deliver a set of records: each arrives some time after its event (per record, per service, or
 * per stream of management and data events), a third of them twice, records arriving in the same second in any order,
 * and the function invoked on batches of 1 to 10 of whatever has arrived.
 */
public final class Deliveries {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The longest a record waits in a batch for the others: Lambda polls the queue continuously. */
    static final Duration BATCH_SPAN = Duration.ofSeconds(20);

    /** One record as CloudTrail wrote it. */
    public record Record(String json, Instant time, String service, boolean data) {
        /** A record; one without an {@code eventTime} (a digest file, say) is given {@code fallback}. */
        public static Record of(String json, Instant fallback) {
            try {
                JsonNode o = MAPPER.readTree(json);
                String source = o.path("eventSource").asText("");
                Instant time = o.hasNonNull("eventTime") ? Instant.parse(o.get("eventTime").asText()) : fallback;
                return new Record(json, time, source,
                        "Data".equals(o.path("eventCategory").asText()) || source.startsWith("s3.") || source.startsWith("dynamodb."));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Record of(String json) {
            return of(json, Instant.EPOCH);
        }
    }

    /** One invocation: the records of a batch and when it ran (when its last record arrived). */
    public record Batch(Instant at, List<Record> records) {
    }

    /** How late records arrive. */
    public enum Lateness {
        /** In event time order, none late (ties within a second in any order). */
        IN_ORDER,
        /** Each record late by its own random delay. */
        PER_RECORD,
        /** Each service (STS, S3, DynamoDB, IAM) late by its own delay. */
        PER_SERVICE,
        /** Management and data events each late by their own delay. */
        PER_STREAM,
        /** Data events arrive before management events. */
        DATA_FIRST,
        /** The newest records first: every record late by (last event time - its time), capped at the window. */
        REVERSE
    }

    /**
     * @param max the longest delay: every record arrives within {@code max} of its event
     */
    public static List<Batch> plan(List<Record> records, Lateness lateness, Duration max, long seed) {
        Random rnd = new Random(seed);
        long maxSeconds = max.getSeconds();
        Map<String, Long> perGroup = new TreeMap<>();
        Instant last = records.stream().map(Record::time).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        record Arrival(Record record, Instant at, int tie) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (Record r : records) {
            int copies = rnd.nextInt(3) == 0 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                long delay = switch (lateness) {
                    case IN_ORDER -> 0;
                    case PER_RECORD -> bounded(rnd, maxSeconds);
                    case PER_SERVICE -> perGroup.computeIfAbsent(r.service(), k -> bounded(rnd, maxSeconds));
                    case PER_STREAM -> perGroup.computeIfAbsent(r.data() ? "data" : "management", k -> bounded(rnd, maxSeconds));
                    case DATA_FIRST -> r.data() ? 0 : maxSeconds;
                    case REVERSE -> Math.min(maxSeconds, Duration.between(r.time(), last).getSeconds());
                };
                if (c > 0) {
                    delay = bounded(rnd, maxSeconds); // a redelivery, at its own time
                }
                arrivals.add(new Arrival(r, r.time().plusSeconds(delay), rnd.nextInt()));
            }
        }
        arrivals.sort(Comparator.comparing(Arrival::at).thenComparing(Arrival::tie));
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); ) {
            // Up to 10 of what arrived within a few seconds: SQS does not hold a record back for the next one.
            int n = 1 + rnd.nextInt(10);
            int end = i + 1;
            while (end < arrivals.size() && end - i < n && !arrivals.get(end).at().isAfter(arrivals.get(i).at().plus(BATCH_SPAN))) {
                end++;
            }
            List<Arrival> chunk = arrivals.subList(i, end);
            List<Record> batch = new ArrayList<>();
            chunk.forEach(a -> batch.add(a.record()));
            Collections.shuffle(batch, rnd); // SQS does not keep order within a batch
            out.add(new Batch(chunk.get(chunk.size() - 1).at(), batch));
            i = end;
        }
        return out;
    }

    /** A delay in [0, max] seconds, often 0 or max (the edges are where bugs are). */
    private static long bounded(Random rnd, long max) {
        int pick = rnd.nextInt(6);
        if (pick == 0) {
            return 0;
        }
        if (pick == 1) {
            return max;
        }
        return max == 0 ? 0 : (long) (rnd.nextDouble() * (max + 1));
    }
}
