package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.FileAlertSink;
import io.statetrail.alerts.LoopbackServer;
import io.statetrail.alerts.SlackAlertSink;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.AuditStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, fault injection. DynamoDB fails a seeded share of requests ({@link FaultInjector}: throttling, 500, 503,
 * before sending or with the response lost, outside the SDK's retries), the handler reports the failed messages in
 * {@code batchItemFailures} and they are delivered again, as SQS would, until none fails: the table ends exactly as
 * after a fault-free ingest (every event and every finding once). A function that dies mid-batch and gets the whole
 * batch again ends the same. Slack answering 500 and 429: every finding reaches every destination exactly once.
 */
class FaultInjectionTest {

    private static final int BATCH = 10;
    /**
     * Share of DynamoDB requests that fail. A message costs a few dozen requests (the call, its references, the reads
     * and writes of judging what it affects), so 5% of requests fails roughly a message in two on first delivery.
     */
    private static final double SHARE = 0.05;
    private static final PrintStream STDOUT = System.out;

    private static TreeMap<String, String> baseline;
    private static Set<String> poison;

    @AfterEach
    void disarm() {
        FaultInjector.disarm();
        System.setOut(STDOUT);
    }

    /** The table after a fault-free ingest of every sample record, and the messages that fail even then (poison). */
    private static synchronized TreeMap<String, String> baseline() {
        if (baseline == null) {
            String table = TestStack.table();
            try (ApplicationContext context = TestStack.context(table, Map.of())) {
                IngestHandler handler = quietHandler(context);
                Set<String> failed = new LinkedHashSet<>();
                for (List<String[]> batch : batches(SampleMessages.perRecord())) {
                    failed.addAll(failures(handler.handleRequest(sqs(batch), null)));
                }
                poison = failed;
            } finally {
                System.setOut(STDOUT);
            }
            baseline = SampleMessages.snapshot(TestStack.client(), table);
        }
        return baseline;
    }

    @Test
    void throttlingAnd5xxFromDynamoDb_redeliveredUntilNoneFails_leaveTheFaultFreeTable() {
        TreeMap<String, String> expected = baseline();
        List<String[]> messages = SampleMessages.perRecord();
        String table = TestStack.table();
        FaultInjector.Plan plan = FaultInjector.arm(20261122L, SHARE);
        Redelivery r = ingestUntilNoneFails(table, Map.of(), messages, plan);
        int rounds = r.rounds();
        int redelivered = r.redelivered();
        System.out.printf("DynamoDB faults injected: %d of %d requests %s; %d of %d messages redelivered over %d rounds%n",
                plan.faults.get(), plan.requests.get(), plan.byKind, redelivered, messages.size(), rounds);
        assertTrue(plan.faults.get() > 0, "faults were injected");
        assertTrue(redelivered > 0, "some messages failed and were redelivered");

        TreeMap<String, String> actual = SampleMessages.snapshot(TestStack.client(), table);
        assertSameTable(expected, actual);
    }

    @Test
    void aBatchCutOffMidway_andDeliveredAgainWhole_leavesTheSameTable() {
        TreeMap<String, String> expected = baseline();
        String table = TestStack.table();
        Random random = new Random(6L);
        int crashes = 0;
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            for (List<String[]> batch : batches(SampleMessages.perRecord())) {
                FaultInjector.Plan plan = FaultInjector.arm(random.nextLong(), 0.0);
                plan.crashAt = 1 + random.nextInt(40);
                try {
                    quietHandler(context).handleRequest(sqs(batch), null);
                } catch (FaultInjector.Crash e) {
                    crashes++;
                }
                FaultInjector.disarm();
                // The invocation died (or not): SQS delivers the whole batch again, to a fresh function instance.
                List<String> failed = failures(quietHandler(context).handleRequest(sqs(batch), null));
                assertTrue(poison.containsAll(failed), "only poison fails on redelivery: " + failed);
            }
        } finally {
            FaultInjector.disarm();
            System.setOut(STDOUT);
        }
        System.out.println("batches cut off mid-way (an Error out of a DynamoDB call): " + crashes);
        assertTrue(crashes > 0, "some batches were cut off");
        assertSameTable(expected, SampleMessages.snapshot(TestStack.client(), table));
    }

    @Test
    void slackAnswering500And429_everyFindingIsDeliveredOncePerDestination(@TempDir Path dir) throws Exception {
        // During ingest both destinations fail (Slack always 500, the alert file cannot be created), so every delivery
        // is queued and attempted; then a dispatcher on a flaky Slack and a working file drains them.
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "");
        String table = TestStack.table();
        Random flaky = new Random(429L);
        AtomicInteger slackFaults = new AtomicInteger();
        Map<Integer, Integer> answered = new ConcurrentHashMap<>();
        try (LoopbackServer down = new LoopbackServer(n -> LoopbackServer.Response.of(500, "text/html", "internal_error"));
             LoopbackServer slack = new LoopbackServer(n -> {
                 double r;
                 synchronized (flaky) {
                     r = flaky.nextDouble();
                 }
                 LoopbackServer.Response resp = r < 0.15 ? LoopbackServer.Response.of(500, "text/html", "internal_error")
                         : r < 0.3 ? new LoopbackServer.Response(429, "text/html", "rate_limited", Map.of("Retry-After", "1"))
                         : LoopbackServer.Response.of(200, "text/html", "ok");
                 if (resp.status() != 200) {
                     slackFaults.incrementAndGet();
                 }
                 answered.put(n, resp.status());
                 return resp;
             });
             ApplicationContext context = TestStack.context(table, Map.of("statetrail.slack-webhook-url", down.url("/hook"),
                     "statetrail.alert-file", blocker.resolve("alerts.jsonl").toString()))) {
            IngestHandler handler = quietHandler(context);
            for (List<String[]> batch : batches(SampleMessages.perRecord())) {
                handler.handleRequest(sqs(batch), null);
            }
            System.setOut(STDOUT);
            assertFalse(down.requests.isEmpty(), "the handler tried Slack while it was down");

            AuditStore store = context.getBean(AuditStore.class);
            Counting toSlack = new Counting(new SlackAlertSink(() -> slack.url("/hook")));
            Path alerts = dir.resolve("alerts.jsonl");
            Counting toFile = new Counting(new FileAlertSink(alerts, null));
            AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(toSlack, toFile), Duration.ofMinutes(15),
                    "https://statetrail.example/dashboard");
            Instant now = Instant.now().plus(Duration.ofHours(7));
            int rounds = 0;
            while (!store.dueDeliveries(Instant.now().plus(Duration.ofDays(365)), 1).isEmpty()) {
                dispatcher.dispatchDue(now);
                now = now.plus(Duration.ofHours(7));
                assertTrue(++rounds < 60, "deliveries still due after 60 dispatches");
            }
            System.out.printf("Slack faults injected: %d of %d requests (500/429); %d dispatch rounds; findings delivered: slack %d, file %d%n",
                    slackFaults.get(), slack.requests.size(), rounds, toSlack.sent.size(), toFile.sent.size());
            assertTrue(slackFaults.get() > 0, "Slack failed some requests");
            assertFalse(toSlack.sent.isEmpty(), "findings were delivered");
            assertEquals(toSlack.sent.keySet(), toFile.sent.keySet(), "both destinations got the same findings");
            for (Counting c : List.of(toSlack, toFile)) {
                c.sent.forEach((id, n) -> assertEquals(1, n.get(), c.name() + " got finding " + id + " " + n + " times"));
            }
            long ok = answered.values().stream().filter(s -> s == 200).count();
            assertEquals(toSlack.alerts.get(), ok, "every 200 from Slack is one alert the dispatcher counted as sent");
        } finally {
            System.setOut(STDOUT);
        }
    }

    /**
     * The response to the very write that creates a finding is lost: the finding exists, the message fails and comes
     * again, and its judgement now finds the finding already there. Its alert must still be queued: every finding ends
     * with one delivery per destination, as after a fault-free ingest.
     */
    @Test
    void aLostResponseToTheWriteThatCreatesAFinding_stillLeavesItsAlertQueued(@TempDir Path dir) {
        baseline(); // before arming: it also finds the poison messages
        Map<String, Object> alerts = Map.of("statetrail.alert-file", dir.resolve("alerts.jsonl").toString(), "statetrail.defer-alerts", true);
        String clean = TestStack.table();
        try (ApplicationContext context = TestStack.context(clean, alerts)) {
            IngestHandler handler = quietHandler(context);
            for (List<String[]> batch : batches(SampleMessages.perRecord())) {
                handler.handleRequest(sqs(batch), null);
            }
        } finally {
            System.setOut(STDOUT);
        }
        String table = TestStack.table();
        FaultInjector.Plan plan = FaultInjector.arm(1L, 0);
        plan.loseFindingCreations = true;
        int rounds = ingestUntilNoneFails(table, alerts, SampleMessages.perRecord(), plan).rounds();
        System.out.printf("finding creations whose response was lost: %d (%d rounds)%n", plan.faults.get(), rounds);
        assertTrue(plan.faults.get() >= 5, "responses lost: " + plan.faults.get());
        TreeMap<String, String> expected = deliveries(SampleMessages.snapshot(TestStack.client(), clean));
        assertTrue(expected.size() >= 5, "the samples raise findings: " + expected.keySet());
        assertEquals(expected.keySet(), deliveries(SampleMessages.snapshot(TestStack.client(), table)).keySet());
    }

    record Redelivery(int rounds, int redelivered) {
    }

    /**
     * Ingests the messages into a fresh context on {@code table} with the SDK's retries off and this fault plan armed,
     * and delivers the failed ones again, as SQS would, until none fails (poison messages aside).
     */
    private static Redelivery ingestUntilNoneFails(String table, Map<String, Object> settings, List<String[]> messages, FaultInjector.Plan plan) {
        Map<String, String[]> byId = new LinkedHashMap<>();
        messages.forEach(m -> byId.put(m[0], m));
        int rounds = 0;
        int redelivered = 0;
        String oldMax = System.getProperty("aws.maxAttempts");
        System.setProperty("aws.maxAttempts", "1"); // SDK retries off for the client built in this context
        FaultInjector.disarm(); // not while the context starts
        try (ApplicationContext context = TestStack.context(table, settings)) {
            IngestHandler handler = quietHandler(context);
            FaultInjector.rearm(plan);
            List<String[]> pending = messages;
            while (true) {
                Set<String> failed = new LinkedHashSet<>();
                for (List<String[]> batch : batches(pending)) {
                    failed.addAll(failures(handler.handleRequest(sqs(batch), null)));
                }
                failed.removeAll(poison);
                if (failed.isEmpty()) {
                    return new Redelivery(rounds, redelivered);
                }
                rounds++;
                redelivered += failed.size();
                assertTrue(rounds < 200, "still failing after 200 redeliveries: " + failed);
                pending = failed.stream().map(byId::get).toList();
            }
        } finally {
            FaultInjector.disarm();
            System.setOut(STDOUT);
            if (oldMax == null) {
                System.clearProperty("aws.maxAttempts");
            } else {
                System.setProperty("aws.maxAttempts", oldMax);
            }
        }
    }

    /** The delivery items of a table snapshot (key {@code FINDING#<id> DELIVERY#<destination>#<notice>}). */
    private static TreeMap<String, String> deliveries(TreeMap<String, String> snapshot) {
        TreeMap<String, String> out = new TreeMap<>();
        snapshot.forEach((k, v) -> {
            if (k.contains("DELIVERY#")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Counts, per finding, the alerts a sink sent successfully (a failed send delivers nothing). */
    static final class Counting implements AlertSink {
        final AlertSink sink;
        final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
        final AtomicInteger alerts = new AtomicInteger();

        Counting(AlertSink sink) {
            this.sink = sink;
        }

        @Override
        public String name() {
            return sink.name();
        }

        @Override
        public String send(Alert alert) throws AlertException {
            String ref = sink.send(alert);
            alerts.incrementAndGet();
            for (Finding f : alert.findings()) {
                sent.computeIfAbsent(f.id(), k -> new AtomicInteger()).incrementAndGet();
            }
            return ref;
        }
    }

    static void assertSameTable(TreeMap<String, String> expected, TreeMap<String, String> actual) {
        if (!expected.equals(actual)) {
            List<String> diff = new ArrayList<>();
            Map<String, String> all = new HashMap<>(expected);
            actual.forEach((k, v) -> {
                if (!v.equals(all.get(k))) {
                    diff.add("+ " + k + " " + v.substring(0, Math.min(400, v.length())));
                }
            });
            expected.forEach((k, v) -> {
                if (!v.equals(actual.get(k))) {
                    diff.add("- " + k + " " + v.substring(0, Math.min(400, v.length())));
                }
            });
            diff.sort(null);
            StringBuilder full = new StringBuilder();
            for (String k : new java.util.TreeSet<>(all.keySet()) {{ addAll(actual.keySet()); }}) {
                if (!java.util.Objects.equals(expected.get(k), actual.get(k))) {
                    full.append("KEY ").append(k).append("\n- ").append(expected.get(k)).append("\n+ ").append(actual.get(k)).append("\n");
                }
            }
            try {
                Path out = Path.of("target", "fault-diff-" + System.nanoTime() + ".txt");
                Files.writeString(out, full);
                System.out.println("full differences in " + out.toAbsolutePath());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError(expected.size() + " items expected, " + actual.size() + " found; differences:\n"
                    + String.join("\n", diff.subList(0, Math.min(30, diff.size()))));
        }
        long findings = actual.keySet().stream().filter(k -> k.startsWith("FINDING#") || k.contains("| FINDING#")).count();
        System.out.println("tables equal: " + actual.size() + " items (" + findings + " finding items)");
    }

    /** A handler whose logs go nowhere (the handler takes System.out when it is built). */
    static IngestHandler quietHandler(ApplicationContext context) {
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        return new IngestHandler(context);
    }

    static List<List<String[]>> batches(List<String[]> messages) {
        List<List<String[]>> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += BATCH) {
            out.add(messages.subList(i, Math.min(messages.size(), i + BATCH)));
        }
        return out;
    }

    static SQSEvent sqs(List<String[]> batch) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String[] m : batch) {
            SQSEvent.SQSMessage msg = new SQSEvent.SQSMessage();
            msg.setMessageId(m[0]);
            msg.setBody(m[1]);
            records.add(msg);
        }
        event.setRecords(records);
        return event;
    }

    static List<String> failures(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }
}
