package io.statetrail.bench;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.sweep.Sweeper;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the live path sends on the way ({@code docs/performance.md}, "Pages on the way"): every delivery plan that
 * {@link DeliveryPlans} wrote, played through the ingest function's code (ingest, then dispatch, at each batch's arrival
 * time) and the sweeper's (every 5 minutes while pages may come due) against DynamoDB Local, once per settle window; what
 * was paged is compared with the findings that hold once every record is in.
 *
 * <pre>java -cp benchmarks.jar io.statetrail.bench.PagesOnTheWay PLANS_DIR POLICY [WINDOW…]</pre>
 *
 * Window {@code PT0S} pages at once, as the service did before the settle window.
 */
public final class PagesOnTheWay {

    /** The ingestor's findings; the sweeper's are judged by time, not by what arrived. */
    static final Set<String> INGESTED = Set.of("unexpected-subject", "web-identity-denied", "state-write-unexpected-subject",
            "state-read-unexpected-subject", "non-federated-state-write", "unlocked-state-write", "force-unlock", "state-deleted",
            "trust-policy-weakened");

    private PagesOnTheWay() {
    }

    record Sent(String notice, Finding finding, Instant at) {
    }

    /** What one delivery plan sent, and what holds at its end. */
    record Outcome(String plan, int pages, int transient_, int finals, int neverPaged, int pagedTwice, int followUps, List<Long> delays) {
    }

    public static void main(String[] args) throws IOException {
        Path plans = Path.of(args[0]);
        Policy policy = PolicyLoader.load(Path.of(args[1]));
        List<Duration> windows = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            windows.add(Duration.parse(args[i]));
        }
        if (windows.isEmpty()) {
            windows = List.of(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15));
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(plans)) {
            files = s.filter(p -> p.getFileName().toString().equals("plan.tsv")).sorted().toList();
        }
        try (LocalDynamo dynamo = LocalDynamo.inMemory()) {
            int table = 0;
            for (Duration window : windows) {
                List<Outcome> outcomes = new ArrayList<>();
                long started = System.nanoTime();
                for (Path plan : files) {
                    String name = plans.relativize(plan.getParent()).toString();
                    outcomes.add(play(dynamo, "pages-" + table++, policy, plan, new Settle(window), name));
                }
                report(window, outcomes, Duration.ofNanos(System.nanoTime() - started));
            }
        }
        System.out.flush();
        System.exit(0); // DynamoDB Local leaves non-daemon threads behind
    }

    static Outcome play(LocalDynamo dynamo, String table, Policy policy, Path plan, Settle settle, String name) throws IOException {
        TestClock clock = new TestClock(Instant.EPOCH);
        AuditTable.create(dynamo.client(), table);
        DynamoAuditStore store = new DynamoAuditStore(dynamo.client(), table, clock, DynamoAuditStore.DEFAULT_RETENTION);
        List<Sent> sent = new ArrayList<>();
        AlertSink pager = new AlertSink() {
            @Override
            public String name() {
                return "pager";
            }

            @Override
            public String send(Alert alert) {
                alert.findings().forEach(f -> sent.add(new Sent(alert.notice(), f, clock.instant())));
                return "C0PAGES|" + sent.size();
            }
        };
        List<String> destinations = List.of(pager.name());
        Ingestor ingestor = new Ingestor(store, policy, destinations, clock, settle);
        AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(pager), AlertDispatcher.DEFAULT_GROUP_WINDOW, null, settle);
        Sweeper sweeper = new Sweeper(store, policy, (s, l, a, r) -> LockProbe.Probe.unknown("benchmark"), (k, f, t) -> List.of(),
                destinations, Duration.ofHours(1), Duration.ofMinutes(15), settle);
        Instant last = Instant.EPOCH;
        for (String line : Files.readAllLines(plan, StandardCharsets.UTF_8)) {
            String[] step = line.split("\t");
            clock.set(Instant.parse(step[1]));
            last = clock.instant();
            if (step[0].equals("ingest")) {
                List<Ingestor.Message> messages = new ArrayList<>();
                for (String json : Files.readAllLines(plan.resolveSibling(step[2]), StandardCharsets.UTF_8)) {
                    if (!json.isBlank()) {
                        messages.add(new Ingestor.Message(step[2] + ":" + messages.size(), RawRecords.asEventBridge(json)));
                    }
                }
                ingestor.ingestBatch(messages);
            } else {
                sweeper.sweep(clock.instant());
            }
            dispatcher.dispatchDue(clock.instant());
        }
        clock.set(last.plus(settle.window()).plus(Duration.ofHours(1)));
        dispatcher.dispatchDue(clock.instant());

        Map<String, Finding> finals = new LinkedHashMap<>();
        for (Finding f : store.findings(new FindingQuery(null, null, null, null, null, null, null, 500, null)).items()) {
            if (INGESTED.contains(f.type())) {
                finals.put(f.id(), f);
            }
        }
        Map<String, Integer> pagesOf = new TreeMap<>();
        int pages = 0;
        int transient_ = 0;
        int followUps = 0;
        List<Long> delays = new ArrayList<>();
        for (Sent s : sent) {
            if (!INGESTED.contains(s.finding().type())) {
                continue;
            }
            if (s.notice().equals("raised")) {
                pages++;
                pagesOf.merge(s.finding().id(), 1, Integer::sum);
                if (!finals.containsKey(s.finding().id())) {
                    transient_++;
                } else {
                    delays.add(Duration.between(s.finding().lastSeen(), s.at()).getSeconds());
                }
            } else if (s.notice().equals("withdrawn") || s.notice().equals("updated")) {
                followUps++;
            }
        }
        int never = (int) finals.keySet().stream().filter(id -> !pagesOf.containsKey(id)).count();
        int twice = (int) pagesOf.entrySet().stream().filter(e -> finals.containsKey(e.getKey()) && e.getValue() > 1).count();
        return new Outcome(name, pages, transient_, finals.size(), never, twice, followUps, delays);
    }

    static void report(Duration window, List<Outcome> outcomes, Duration took) {
        int pages = outcomes.stream().mapToInt(Outcome::pages).sum();
        int transients = outcomes.stream().mapToInt(Outcome::transient_).sum();
        List<Long> delays = outcomes.stream().flatMap(o -> o.delays().stream()).sorted().toList();
        Map<String, int[]> byOrder = new TreeMap<>();
        Map<String, List<Long>> delaysByOrder = new TreeMap<>();
        for (Outcome o : outcomes) {
            String order = o.plan().substring(o.plan().indexOf('/') + 1);
            int[] c = byOrder.computeIfAbsent(order, k -> new int[3]);
            c[0] += o.pages();
            c[1] += o.transient_();
            c[2] += o.transient_() > 0 ? 1 : 0;
            delaysByOrder.computeIfAbsent(order, k -> new ArrayList<>()).addAll(o.delays());
        }
        System.out.printf("settle window %s: %d deliveries, %d pages, %d transient (%.1f%%) in %d deliveries; findings that hold %d, never paged %d,"
                        + " paged more than once %d; follow-ups %d; time to page after the latest evidence: median %s s, max %s s (%d s to run)%n",
                window, outcomes.size(), pages, transients, pages == 0 ? 0.0 : 100.0 * transients / pages,
                outcomes.stream().filter(o -> o.transient_() > 0).count(), outcomes.stream().mapToInt(Outcome::finals).sum(),
                outcomes.stream().mapToInt(Outcome::neverPaged).sum(), outcomes.stream().mapToInt(Outcome::pagedTwice).sum(),
                outcomes.stream().mapToInt(Outcome::followUps).sum(), delays.isEmpty() ? "-" : delays.get(delays.size() / 2),
                delays.isEmpty() ? "-" : delays.get(delays.size() - 1), took.getSeconds());
        byOrder.forEach((order, c) -> {
            List<Long> d = delaysByOrder.get(order).stream().sorted().toList();
            System.out.printf("  %-14s pages %3d, transient %3d (in %d scenarios); time to page median %s s, max %s s%n", order, c[0], c[1],
                    c[2], d.isEmpty() ? "-" : d.get(d.size() / 2), d.isEmpty() ? "-" : d.get(d.size() - 1));
        });
        outcomes.stream().filter(o -> o.transient_() > 0).forEach(o -> System.out.printf("    transient in %s: %d%n", o.plan(), o.transient_()));
    }
}
