package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 6, load: N events (default 100,000) through the local pipeline — DynamoDB Local, {@link IngestHandler} in SQS
 * batches of 10 on several threads, each thread its own function instance (own application context) — with failed
 * messages delivered again until none fails; then the number of stored calls equals the number of relevant events
 * sent. Generated runs: a GitHub Actions login, then a locked state write (6 records, all relevant), each run on its
 * own state key and session.
 *
 * <p>Not part of {@code mvn verify}: on DynamoDB Local with 2 cores, 100,000 events (99,996: 16,666 runs) on 3 threads
 * in batches of 10 took 364 s (275 events/s, 2026-11-22, after the batch ingest), and 676 s (148 events/s) once the
 * store kept run summaries, so 6 to 11 minutes. Run it with
 * {@code mvn -B -o -pl functions/lambda -am test -Dtest=LoadTest -Dsurefire.failIfNoSpecifiedTests=false -Dload=true}
 * and optionally {@code -Dload.events=20000 -Dload.threads=3 -Dload.batch=100} (SQS batch size; 10 by default) and
 * {@code -Dload.lanes=8} (steps of a batch judged at once per instance, issue 18; the setting's default when unset). With
 * one thread it is the warm-ingest benchmark of docs/performance.md.
 */
@EnabledIfSystemProperty(named = "load", matches = "true")
class LoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KEYS = Pattern.compile("ASIA[A-Z0-9]{16}");

    @Test
    void everyRelevantEventSent_isStoredOnce() throws Exception {
        int events = Integer.getInteger("load.events", 100_000);
        int threads = Integer.getInteger("load.threads", 3);
        int batchSize = Integer.getInteger("load.batch", 10);
        // Issue 18: steps of a batch each instance judges at once (STATETRAIL_INGEST_CONCURRENCY); unset, the default.
        String lanes = System.getProperty("load.lanes");
        Map<String, Object> settings = lanes == null ? Map.of() : Map.of("statetrail.ingest-concurrency", lanes);
        List<JsonNode> template = HostileInputTest.template();
        int runs = Math.max(1, events / template.size());

        // Calls one run stores, measured on a table of its own.
        String reference = TestStack.table();
        try (ApplicationContext context = TestStack.context(reference, Map.of())) {
            IngestHandler h = FaultInjectionTest.quietHandler(context);
            h.handleRequest(FaultInjectionTest.sqs(messages(template, 0)), null);
        } finally {
            System.setOut(STDOUT);
        }
        long perRun = calls(reference);
        assertTrue(perRun > 0);

        String table = TestStack.table();
        ConcurrentLinkedQueue<List<String[]>> queue = new ConcurrentLinkedQueue<>();
        List<String[]> pending = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            pending.addAll(messages(template, run));
            while (pending.size() >= batchSize) {
                queue.add(new ArrayList<>(pending.subList(0, batchSize)));
                pending.subList(0, batchSize).clear();
            }
        }
        if (!pending.isEmpty()) {
            queue.add(pending);
        }
        int sent = runs * template.size();
        AtomicInteger redelivered = new AtomicInteger();
        AtomicLong batches = new AtomicLong();
        AtomicLong handlerCpu = new AtomicLong();
        // Counts DynamoDB requests by operation (an armed plan that injects nothing).
        FaultInjector.Plan requests = FaultInjector.arm(0L, 0.0);
        // -Dload.latency=4: milliseconds added before each request, as a remote DynamoDB's round trip would.
        requests.latencyMillis = Long.getLong("load.latency", 0L);
        // CPU time of this JVM (the handler and DynamoDB Local, which runs in it): on a shared machine the events per
        // second vary with other builds, the CPU per event much less.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    try (ApplicationContext context = TestStack.context(table, settings)) {
                        IngestHandler handler = new IngestHandler(context);
                        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                        long ownStart = mx.getCurrentThreadCpuTime();
                        List<String[]> batch;
                        while ((batch = queue.poll()) != null) {
                            List<String> failed = FaultInjectionTest.failures(handler.handleRequest(FaultInjectionTest.sqs(batch), null));
                            batches.incrementAndGet();
                            if (!failed.isEmpty()) {
                                redelivered.addAndGet(failed.size());
                                queue.add(batch.stream().filter(m -> failed.contains(m[0])).toList());
                            }
                        }
                        // The function's own CPU (this thread and its ingest lanes), without DynamoDB Local's: what an
                        // instance spends per event when DynamoDB is a remote service.
                        long own = mx.getCurrentThreadCpuTime() - ownStart;
                        for (Thread lane : Thread.getAllStackTraces().keySet()) {
                            if (lane.getName().startsWith("ingest-")) {
                                own += mx.getThreadCpuTime(lane.getId());
                            }
                        }
                        handlerCpu.addAndGet(own);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
            FaultInjector.disarm();
            System.setOut(STDOUT);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        System.out.printf("load: CPU %.1f s of the test JVM (handler and DynamoDB Local) = %.2f ms per event, %.2f cores busy%n",
                cpu, cpu * 1000 / (runs * template.size()), cpu / seconds);
        System.out.printf("load: CPU of the ingest function alone (handler thread and ingest lanes) %.1f s = %.2f ms per event%n",
                handlerCpu.get() / 1e9, handlerCpu.get() / 1e6 / (runs * template.size()));
        long stored = calls(table);
        System.out.printf("load: latency %d ms; %d events (%d runs) on %d threads, batches of %d, in %.1f s = %.0f events/s; %d batches, "
                + "%d messages redelivered; %d calls stored, %d expected%n", requests.latencyMillis, sent, runs, threads, batchSize, seconds, sent / seconds,
                batches.get(), redelivered.get(), stored, perRun * runs);
        long writes = requests.byOperation.entrySet().stream().filter(e -> e.getKey().matches("PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems"))
                .mapToLong(e -> e.getValue().get()).sum();
        System.out.printf("load: lanes %s; %d DynamoDB requests = %.2f per event, %d single-item writes = %.2f per event; by operation %s%n",
                lanes == null ? "default" : lanes, requests.requests.get(), requests.requests.get() / (double) sent, writes,
                writes / (double) sent, new java.util.TreeMap<>(requests.byOperation));
        assertEquals(perRun * runs, stored, "every relevant event stored once");
    }

    private static final PrintStream STDOUT = System.out;

    /** Items that are stored calls ({@code sk} T#time#callKey; a session's item: SESSION). */
    static long calls(String table) {
        return TestStack.client().scanPaginator(b -> b.tableName(table).projectionExpression("sk")).items().stream()
                .filter(i -> i.get("sk").s().startsWith("T#") || i.get("sk").s().equals("SESSION")).count();
    }

    /** Run {@code n} of the template: its own session keys, event ids and state key. */
    static List<String[]> messages(List<JsonNode> template, int n) throws Exception {
        List<String[]> out = new ArrayList<>();
        // Fixed width, so that no two runs share an access key (a variable-width number followed by the template key's
        // own characters made run 1 + "X…" equal run 1X + "…").
        String base36 = String.format("%6s", Long.toString(n, 36).toUpperCase()).replace(' ', '0');
        for (JsonNode r : template) {
            String text = JSON.writeValueAsString(r);
            text = HostileInputTest.replaceAll(UUIDS, text, m -> UUID.nameUUIDFromBytes((n + ":" + m).getBytes(StandardCharsets.UTF_8)).toString());
            text = HostileInputTest.replaceAll(KEYS, text, m -> {
                String tail = m.substring(4, 8) + "L" + base36;
                return "ASIA" + tail + m.substring(4 + Math.min(16, tail.length())).substring(0, 16 - Math.min(16, tail.length()));
            });
            JsonNode copy = HostileInputTest.substitute(JSON.readTree(text), HostileInputTest.KEY, "infra/load-" + n + "/terraform.tfstate");
            copy = HostileInputTest.substitute(copy, HostileInputTest.CHANNEL_BRANCH, "refs/heads/main");
            out.add(new String[] {"load-" + n + "-" + out.size(), HostileInputTest.eventBridge(copy)});
        }
        return out;
    }
}
