package io.statetrail.api;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.Neighbourhood;
import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.Actor;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunQuery;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * p50/p99 of the state timeline and runs queries over a large trail in DynamoDB Local, straight on the store and over
 * HTTP through the API. Not part of the normal test run:
 *
 * <pre>mvn -o -pl functions/api test -Dtest=QueryLatencyBench -Dbench=latency [-Dbench.events=100000] [-Dbench.iterations=500]
 *     [-Dbench.only=runs]</pre>
 *
 * The trail is generated ({@link BenchTrail}) and stored in a DynamoDB Local folder under {@code target/} (see
 * {@link #load}), and kept there: a second run with the same size measures again without
 * reloading. Results go to stdout and {@code target/query-latency.md}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "latency")
class QueryLatencyBench {

    static final long SEED = 20261121L;

    /** Outside Maven (a long load should not depend on jars others may rebuild meanwhile): run from functions/api. */
    public static void main(String[] args) throws IOException {
        new QueryLatencyBench().stateTimelineAndRunsLatency();
        System.exit(0);
    }

    @Test
    void stateTimelineAndRunsLatency() throws IOException {
        int events = Integer.getInteger("bench.events", 100_000);
        int iterations = Integer.getInteger("bench.iterations", 500);
        Path dir = Path.of("target", "bench-db");
        Path marker = dir.resolve("RUNS");
        BenchTrail trail = new BenchTrail(DemoTrail.EVENTS);
        Policy policy = PolicyLoader.load(Path.of("src/test/resources/bench/policy.yaml"));
        // Stored events are the relevant records: a run's HeadObject and .tflock GetObject are not kept.
        int storedPerRun = relevantCalls(trail, policy);
        List<BenchTrail.Run> runs = trail.runs((events + storedPerRun - 1) / storedPerRun * trail.recordsPerRun(), SEED);
        Instant now = BenchTrail.START.plus(Duration.ofDays(BenchTrail.DAYS + 1));

        StringBuilder report = new StringBuilder();
        Files.createDirectories(dir);
        try (LocalDynamo dynamo = LocalDynamo.persistent(dir)) {
            var client = dynamo.client();
            AuditTable.create(client, DynamoAuditStore.DEFAULT_TABLE);
            DynamoAuditStore store = new DynamoAuditStore(client, DynamoAuditStore.DEFAULT_TABLE);
            // The same seed gives the same runs, so a bigger trail only adds the runs not stored yet.
            int loaded = Files.exists(marker) ? Integer.parseInt(Files.readString(marker).trim()) : 0;
            if (loaded < runs.size()) {
                load(store, policy, trail, runs, loaded, report);
                Files.writeString(marker, Integer.toString(runs.size()));
            }
            // A table loaded by an older version gets its subject catalogue and index completed first, as the sweeps would.
            long t0 = System.nanoTime();
            int indexed = 0;
            for (int n = store.completeIndexes(Duration.ofMinutes(30)); n > 0; n = store.completeIndexes(Duration.ofMinutes(30))) {
                indexed += n;
            }
            if (indexed > 0) {
                report.append(String.format(Locale.ROOT, "Completed the subject catalogue and index of %,d run summaries in %.0f s.%n%n",
                        indexed, (System.nanoTime() - t0) / 1e9));
            }
            report.append(String.format(Locale.ROOT, "Trail: %,d runs of %d CloudTrail records (%d stored per run: %,d stored events) "
                            + "over %d days, %d repositories, %d states; a tenth of the runs on one hot state.%n%n",
                    runs.size(), trail.recordsPerRun(), storedPerRun, (long) runs.size() * storedPerRun, BenchTrail.DAYS,
                    BenchTrail.REPOS, runs.stream().map(BenchTrail.Run::stateKey).distinct().count()));
            try (ApiServer server = ApiServer.start(store, 0, now.toString())) {
                measure(store, new Http(server.uri()), runs, storedPerRun - 1, iterations, now, report);
            }
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "query-latency.md"), report.toString());
    }

    private static int relevantCalls(BenchTrail trail, Policy policy) {
        RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
        int[] n = {0};
        BenchTrail.Run sample = trail.runs(trail.recordsPerRun(), SEED).get(0);
        for (var record : trail.records(sample, new SplittableRandom(SEED))) {
            reader.readString("sample", record.toString(), new RecordSink() {
                @Override
                public void relevant(String source, long line, List<TrailEvent> events) {
                    n[0]++;
                }

                @Override
                public void irrelevant() {
                }

                @Override
                public void malformed(Malformed malformed) {
                    throw new IllegalStateException(malformed.reason());
                }
            });
        }
        return n[0];
    }

    /**
     * Pull-request runs (1%) go through the {@link Ingestor}, which judges them and stores their findings. The others are
     * stored with the store calls the Ingestor makes for them ({@code putCall} for each record, {@code putSessionRuns}
     * with the run resolved by the core lineage) without the re-evaluation, which runs at about 20 records/s on
     * DynamoDB Local on a 2-core machine: the table holds the same items, loaded in minutes instead of hours.
     */
    private static void load(DynamoAuditStore store, Policy policy, BenchTrail trail, List<BenchTrail.Run> runs, int from,
                             StringBuilder report) {
        Instant now = BenchTrail.START.plus(Duration.ofDays(BenchTrail.DAYS + 1));
        Ingestor ingestor = new Ingestor(store, policy, List.of(), Clock.fixed(now, ZoneOffset.UTC));
        ThreadLocal<RecordReader> readers = ThreadLocal.withInitial(() -> new RecordReader(new RecordClassifier(new StateObjects(policy))));
        long t0 = System.nanoTime();
        AtomicLong records = new AtomicLong();
        AtomicLong findings = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> pending = new ArrayList<>();
        for (int n = from; n < runs.size(); n++) {
            BenchTrail.Run run = runs.get(n);
            long seed = SEED ^ (n * 0x9E3779B97F4A7C15L);
            if (run.subject().endsWith(":pull_request")) {
                IngestResult r = ingestor.ingest(run.key(), BenchTrail.logFile(trail.records(run, new SplittableRandom(seed))));
                records.addAndGet(r.relevant());
                findings.addAndGet(r.newFindings().size());
                continue;
            }
            pending.add(pool.submit(() -> {
                Trail lineage = new Trail();
                for (var record : trail.records(run, new SplittableRandom(seed))) {
                    List<List<TrailEvent>> calls = new ArrayList<>();
                    readers.get().readString(run.key(), record.toString(), new RecordSink() {
                        @Override
                        public void relevant(String source, long line, List<TrailEvent> e) {
                            calls.add(e);
                        }

                        @Override
                        public void irrelevant() {
                        }

                        @Override
                        public void malformed(Malformed malformed) {
                            throw new IllegalStateException("generated a malformed record: " + malformed.reason());
                        }
                    });
                    for (List<TrailEvent> call : calls) {
                        store.putCall(call);
                        lineage.add(call);
                        records.incrementAndGet();
                    }
                }
                Chain chain = Evaluation.of(lineage, policy, now).lineage().chainOfKey(run.key(), Actor.UNKNOWN);
                store.putSessionRuns(List.of(Neighbourhood.run(run.key(), chain)));
            }));
            if (pending.size() >= 200) {
                drain(pending);
                double secs = (System.nanoTime() - t0) / 1e9;
                System.err.printf("bench: %d/%d runs, %,d records, %.0f records/s%n", n + 1, runs.size(), records.get(), records.get() / secs);
            }
        }
        drain(pending);
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        report.append(String.format(Locale.ROOT, "Stored %,d events of runs %,d to %,d in %.0f s (%.0f events/s; %,d findings).%n",
                records.get(), from + 1, runs.size(), secs, records.get() / secs, findings.get()));
    }

    private static void drain(List<Future<?>> pending) {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        pending.clear();
    }

    /** @param stateCallsPerRun stored calls of one run on its state (all but the login) */
    private static void measure(DynamoAuditStore store, Http http, List<BenchTrail.Run> runs, int stateCallsPerRun, int iterations, Instant now,
                                StringBuilder report) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> states = runs.stream().map(BenchTrail.Run::stateKey).distinct().sorted().toList();
        List<String> repos = runs.stream().map(BenchTrail.Run::repository).distinct().sorted().toList();
        Instant end = BenchTrail.START.plus(Duration.ofDays(BenchTrail.DAYS));
        long hot = runs.stream().filter(r -> r.stateKey().equals(BenchTrail.HOT_STATE)).count();

        Map<String, IntSupplier> queries = new LinkedHashMap<>();
        List<String> visited = new ArrayList<>();
        String hotStateQuery = "stateTimeline, hot state (~" + hot * stateCallsPerRun + " events), 50 newest";
        queries.put(hotStateQuery, () ->
                store.stateTimeline(BenchTrail.HOT_STATE, Instant.EPOCH, now, 50, null).items().size());
        queries.put("stateTimeline, hot state, one day", () -> {
            Instant from = BenchTrail.START.plus(Duration.ofDays(random.nextInt(BenchTrail.DAYS)));
            return store.stateTimeline(BenchTrail.HOT_STATE, from, from.plus(Duration.ofDays(1)), 50, null).items().size();
        });
        queries.put("stateTimeline, hot state, page 2", () -> {
            Page<?> first = store.stateTimeline(BenchTrail.HOT_STATE, Instant.EPOCH, now, 50, null);
            long t = System.nanoTime();
            int n = store.stateTimeline(BenchTrail.HOT_STATE, Instant.EPOCH, now, 50, first.next()).items().size();
            lastOwnNanos = System.nanoTime() - t;
            return n;
        });
        // After the hot state's queries, so that the JIT is as warm as a long-running server's: what is left of a first
        // read's extra cost is DynamoDB Local reading that partition for the first time.
        queries.put("stateTimeline, a state (~" + (runs.size() - hot) * stateCallsPerRun / Math.max(1, states.size() - 1) + " events), 50 newest", () -> {
            String key = states.get(random.nextInt(states.size()));
            visited.add(key);
            return store.stateTimeline(key, Instant.EPOCH, now, 50, null).items().size();
        });
        // The same states again: DynamoDB Local (SQLite) reads a partition slowly the first time after it starts.
        queries.put("stateTimeline, a state read before, 50 newest", () -> {
            String key = visited.get(random.nextInt(visited.size()));
            return store.stateTimeline(key, Instant.EPOCH, now, 50, null).items().size();
        });
        queries.put("runs, all, 50 newest", () -> store.runs(new RunQuery(null, null, null, null, null, null, 50, null)).items().size());
        queries.put("runs, one repository, 50 newest", () -> {
            String repo = repos.get(random.nextInt(repos.size()));
            return store.runs(new RunQuery(repo, null, null, null, null, null, 50, null)).items().size();
        });
        queries.put("runs, one repository, one day", () -> {
            String repo = repos.get(random.nextInt(repos.size()));
            Instant from = BenchTrail.START.plus(Duration.ofDays(random.nextInt(BenchTrail.DAYS)));
            return store.runs(new RunQuery(repo, null, null, null, from, from.plus(Duration.ofDays(1)), 50, null)).items().size();
        });
        queries.put("runs, all, one day", () -> {
            Instant from = BenchTrail.START.plus(Duration.ofDays(random.nextInt(BenchTrail.DAYS)));
            return store.runs(new RunQuery(null, null, null, null, from, from.plus(Duration.ofDays(1)), 50, null)).items().size();
        });
        // Filters without a repository read the subject index (SubjectIndex): pull requests are 1% of the runs.
        queries.put("runs, subject glob repo:acme/repo-1*:pull_request", () ->
                store.runs(new RunQuery(null, "repo:acme/repo-1*:pull_request", null, null, null, end, 50, null)).items().size());
        queries.put("runs, subject glob repo:*:pull_request", () ->
                store.runs(new RunQuery(null, "repo:*:pull_request", null, null, null, end, 50, null)).items().size());
        queries.put("runs, ref pull_request", () -> store.runs(new RunQuery(null, null, "pull_request", null, null, end, 50, null)).items().size());
        queries.put("runs, ref main", () -> store.runs(new RunQuery(null, null, "main", null, null, end, 50, null)).items().size());
        queries.put("runs, environment production (none)", () ->
                store.runs(new RunQuery(null, null, null, "production", null, end, 50, null)).items().size());
        // A pattern with neither a literal repository nor a literal end: no index partition is complete for it; the subject
        // catalogue chooses the partitions (before it, every run was read).
        queries.put("runs, subject glob repo:acme/repo-1*:pull_req* (subject catalogue)", () ->
                store.runs(new RunQuery(null, "repo:acme/repo-1*:pull_req*", null, null, null, end, 50, null)).items().size());
        queries.put("HTTP GET /api/state/timeline?key=…", () -> {
            String key = states.get(random.nextInt(states.size()));
            return status(http.get("/api/state/timeline?key=" + Http.q(key)));
        });
        queries.put("HTTP GET /api/state/timeline?key=<hot>", () ->
                status(http.get("/api/state/timeline?key=" + Http.q(BenchTrail.HOT_STATE))));
        queries.put("HTTP GET /api/runs?repository=…", () -> {
            String repo = repos.get(random.nextInt(repos.size()));
            return status(http.get("/api/runs?repository=" + Http.q(repo)));
        });
        queries.put("HTTP GET /api/runs", () -> status(http.get("/api/runs")));
        queries.put("HTTP GET /api/runs?subject=repo:*:pull_request", () -> status(http.get("/api/runs?subject=" + Http.q("repo:*:pull_request"))));

        warmUp(List.of(queries.get(hotStateQuery), () -> store.runs(new RunQuery(null, null, null, null, null, null, 50, null)).items().size(),
                () -> status(http.get("/api/runs"))), report);
        report.append("| query | n | rows | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        String only = System.getProperty("bench.only");
        for (Map.Entry<String, IntSupplier> q : queries.entrySet()) {
            if (only != null && !q.getKey().contains(only)) {
                continue;
            }
            // Warm-up as a long-running server would have had (JIT of our code and of DynamoDB Local): 100 runs or 10 s.
            long warm = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int i = 0; i < Math.min(100, iterations) && (i < 2 || System.nanoTime() < warm); i++) {
                q.getValue().getAsInt();
            }
            // Up to `iterations` runs, or fewer (never under 10) when a query is slow: each query gets about a minute.
            long[] nanos = new long[iterations];
            long rows = 0;
            long budget = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int n = 0;
            while (n < iterations && (n < Math.min(10, iterations) || System.nanoTime() < budget)) {
                lastOwnNanos = -1;
                long t = System.nanoTime();
                rows += q.getValue().getAsInt();
                nanos[n++] = lastOwnNanos >= 0 ? lastOwnNanos : System.nanoTime() - t;
            }
            nanos = Arrays.copyOf(nanos, n);
            Arrays.sort(nanos);
            String row = String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f |%n", q.getKey(), n,
                    (double) rows / n, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
            System.err.print(row);
            report.append(row);
        }
    }

    /**
     * Runs {@code work} until the JIT has been quiet (under 250 ms of compilation in 5 s), as in a server that has run for
     * a while; at most two minutes. Until then the C2 compiler takes a core of this 2-core machine in bursts, which
     * stalls queries by about 100 ms each for a second or so. The work reads only the hot state and the run listings,
     * so no other state's partition has been read when its first read is measured.
     */
    private static void warmUp(List<IntSupplier> work, StringBuilder report) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(2).toNanos();
        long windowStart = start;
        long compiledBefore = jit.getTotalCompilationTime();
        long compiledInWindow;
        while (true) {
            for (IntSupplier w : work) {
                w.getAsInt();
            }
            long now = System.nanoTime();
            if (now - windowStart >= Duration.ofSeconds(5).toNanos()) {
                compiledInWindow = jit.getTotalCompilationTime() - compiledBefore;
                if (compiledInWindow < 250 || now > deadline) {
                    break;
                }
                windowStart = now;
                compiledBefore = jit.getTotalCompilationTime();
            }
        }
        String line = String.format(Locale.ROOT, "Warm-up: %.0f s on the hot state and the run listings, until the JIT compiled for "
                + "%d ms in the last 5 s.%n%n", (System.nanoTime() - start) / 1e9, compiledInWindow);
        System.err.print(line);
        report.append(line);
    }

    /** A query that times only part of its work (page 2 after page 1) records that part here. */
    private static long lastOwnNanos = -1;

    private static int status(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new AssertionError(r.statusCode() + " " + r.body());
        }
        return 1;
    }

    private static double ms(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

}
