package io.statetrail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.replay.Replay;
import io.statetrail.service.ingest.RawRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes how CloudTrail might deliver each bundled scenario, for {@code bench/transient-pages.sh}: per scenario and
 * delivery order, the SQS batches as JSON Lines files and a plan of when each arrives, with the deployed sweeper's
 * runs (every 5 minutes) while pages may be coming due.
 *
 * <pre>java -cp benchmarks.jar io.statetrail.bench.DeliveryPlans EVENTS_DIR OUT_DIR [SEED]</pre>
 *
 * Orders: in time order; data events first; newest first; random in batches of 1; random in batches of 10; a third of
 * the records redelivered; management and data streams each 2–15 min late; each service late by its own 2–15 min.
 * {@code OUT/<scenario>/<order>/plan.tsv}: {@code ingest<TAB>time<TAB>batch file} or {@code sweep<TAB>time}.
 */
public final class DeliveryPlans {

    static final List<String> ORDERS = List.of("in-order", "data-first", "reverse", "random-1", "random-10", "redelivered",
            "streams-late", "services-late");
    static final Duration SWEEP_EVERY = Duration.ofMinutes(5);
    /** The longest a record waits in a batch for the others: Lambda polls the queue continuously. */
    static final Duration BATCH_SPAN = Duration.ofSeconds(20);
    /** How long after a batch pages may still come due: the settle window and one sweep. */
    static final Duration WATCH = Duration.ofMinutes(15).plus(SWEEP_EVERY);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeliveryPlans() {
    }

    record Rec(String json, Instant time, String service, boolean data) {
    }

    record Arrival(Rec rec, Instant at, int tie) {
    }

    public static void main(String[] args) throws IOException {
        Path events = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        List<Path> scenarios;
        try (Stream<Path> s = Files.list(events.resolve("scenarios"))) {
            scenarios = s.filter(Files::isDirectory).sorted().toList();
        }
        int plans = 0;
        for (Path scenario : scenarios) {
            List<Rec> records = records(scenario);
            for (String order : ORDERS) {
                Random rnd = new Random(seed * 31 + (scenario.getFileName() + order).hashCode());
                write(out.resolve(scenario.getFileName().toString()).resolve(order), batches(records, order, rnd));
                plans++;
            }
        }
        System.err.printf("delivery plans: %d scenarios x %d orders = %d plans in %s%n", scenarios.size(), ORDERS.size(), plans, out);
    }

    static List<Rec> records(Path dir) {
        List<Rec> out = new ArrayList<>();
        for (Path file : Replay.files(List.of(dir))) {
            RawRecords.readFile(file, new RawRecords.Sink() {
                @Override
                public void record(String source, long line, String json) {
                    try {
                        JsonNode o = MAPPER.readTree(json);
                        String src = o.path("eventSource").asText("");
                        // A document without an eventTime (a digest file) arrives with the scenario's first record.
                        Instant t = o.hasNonNull("eventTime") ? Instant.parse(o.get("eventTime").asText()) : null;
                        out.add(new Rec(json, t, src,
                                "Data".equals(o.path("eventCategory").asText()) || src.startsWith("s3.") || src.startsWith("dynamodb.")));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void malformed(Malformed m) {
                    throw new IllegalStateException("malformed sample " + m.where() + ": " + m.reason());
                }
            });
        }
        Instant first = out.stream().map(Rec::time).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        return out.stream().map(r -> r.time() != null ? r : new Rec(r.json(), first, r.service(), r.data())).toList();
    }

    /** Arrival of every record (and redelivered copy) in this order, cut into SQS batches. */
    static List<List<Arrival>> batches(List<Rec> records, String order, Random rnd) {
        Map<String, Long> perGroup = new TreeMap<>();
        Instant last = records.stream().map(Rec::time).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Instant first = records.stream().map(Rec::time).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        List<Arrival> arrivals = new ArrayList<>();
        for (Rec r : records) {
            long delay = switch (order) {
                case "in-order", "random-1", "random-10" -> 0;
                case "data-first" -> r.data() ? 0 : Duration.between(first, last).getSeconds() + 60;
                case "reverse" -> 2 * Duration.between(r.time(), last).getSeconds();
                case "redelivered" -> rnd.nextInt(120);
                case "streams-late" -> perGroup.computeIfAbsent(r.data() ? "data" : "management", k -> 120L + rnd.nextInt(781));
                case "services-late" -> perGroup.computeIfAbsent(r.service(), k -> 120L + rnd.nextInt(781));
                default -> throw new IllegalArgumentException(order);
            };
            arrivals.add(new Arrival(r, r.time().plusSeconds(delay), rnd.nextInt()));
            if (order.equals("redelivered") && rnd.nextInt(3) == 0) {
                arrivals.add(new Arrival(r, r.time().plusSeconds(rnd.nextInt(900)), rnd.nextInt()));
            }
        }
        if (order.startsWith("random")) {
            // Any order at all: arrival times shuffled among the records, batches of a fixed size.
            List<Instant> times = new ArrayList<>(arrivals.stream().map(Arrival::at).sorted().toList());
            Collections.shuffle(arrivals, rnd);
            List<Arrival> reassigned = new ArrayList<>();
            for (int i = 0; i < arrivals.size(); i++) {
                reassigned.add(new Arrival(arrivals.get(i).rec(), times.get(i), i));
            }
            arrivals = reassigned;
        }
        arrivals.sort(Comparator.comparing(Arrival::at).thenComparing(Arrival::tie));
        int size = order.equals("random-1") ? 1 : 10;
        List<List<Arrival>> out = new ArrayList<>();
        List<Arrival> batch = new ArrayList<>();
        for (Arrival a : arrivals) {
            // A batch holds what arrived within a few seconds: SQS does not hold a record back for the next one.
            if (!batch.isEmpty() && (batch.size() == size || a.at().isAfter(batch.get(0).at().plus(BATCH_SPAN)))) {
                out.add(batch);
                batch = new ArrayList<>();
            }
            batch.add(a);
        }
        if (!batch.isEmpty()) {
            out.add(batch);
        }
        return out;
    }

    static void write(Path dir, List<List<Arrival>> batches) throws IOException {
        Files.createDirectories(dir);
        TreeMap<Instant, String> plan = new TreeMap<>();
        TreeSet<Instant> sweeps = new TreeSet<>();
        for (int i = 0; i < batches.size(); i++) {
            List<Arrival> b = batches.get(i);
            Instant at = b.get(b.size() - 1).at();
            String name = String.format("batch-%04d.jsonl", i);
            StringBuilder lines = new StringBuilder();
            b.forEach(a -> lines.append(a.rec().json().replace("\n", " ")).append('\n'));
            Files.writeString(dir.resolve(name), lines, StandardCharsets.UTF_8);
            // Distinct times: batches arriving in the same second are ingested one after the other.
            while (plan.containsKey(at)) {
                at = at.plusMillis(1);
            }
            plan.put(at, "ingest\t" + at + "\t" + name);
            // The sweeper's runs on its 5-minute grid while pages of this batch may come due.
            long grid = SWEEP_EVERY.getSeconds();
            Instant next = Instant.ofEpochSecond((at.getEpochSecond() / grid + 1) * grid);
            for (Instant t = next; !t.isAfter(at.plus(WATCH)); t = t.plus(SWEEP_EVERY)) {
                sweeps.add(t);
            }
        }
        for (Instant t : sweeps) {
            plan.putIfAbsent(t, "sweep\t" + t);
        }
        Files.write(dir.resolve("plan.tsv"), plan.values(), StandardCharsets.UTF_8);
    }
}
