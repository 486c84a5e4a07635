package io.statetrail.properties;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.AuditStore;
import java.util.function.Supplier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live path as deployed, in memory: each batch ingested when its last record arrived, then every due alert
 * dispatched at that time; at the end, alerts dispatched once everything has settled. What the people on call were
 * sent is recorded message by message.
 */
public final class PagingRun {

    /** One message about one finding: a page ({@code raised}) or a follow-up, as it was sent. */
    public record Sent(String notice, Finding finding, Instant at, String threadRef) {
    }

    /** Records what was sent; names each message so follow-ups can say which thread they reply in. */
    static final class Pager implements AlertSink {
        final List<Sent> sent = new ArrayList<>();
        final TestClock clock;

        Pager(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public String name() {
            return "pager";
        }

        @Override
        public String send(Alert alert) {
            for (Finding f : alert.findings()) {
                sent.add(new Sent(alert.notice(), f, clock.instant(), alert.threadRef()));
            }
            return "C0PAGER|" + sent.size();
        }
    }

    final AuditStore store;
    final Pager pager;
    final Supplier<List<Finding>> held;
    final List<String> failures = new ArrayList<>();
    static final io.statetrail.service.ingest.Parallel LANES = io.statetrail.service.ingest.Parallel.of(4);

    private PagingRun(AuditStore store, Pager pager, Supplier<List<Finding>> held) {
        this.store = store;
        this.pager = pager;
        this.held = held;
    }

    static PagingRun deliver(Policy policy, List<Deliveries.Batch> batches, Settle settle) {
        TestClock clock = new TestClock(Instant.EPOCH);
        InMemoryAuditStore store = new InMemoryAuditStore(clock);
        return deliver(policy, batches, settle, store, clock, store::findings);
    }

    /**
     * The same on any store (the DynamoDB adapter's contract test), whose clock is {@code clock}.
     *
     * @param held the findings that hold in that store
     */
    public static PagingRun deliver(Policy policy, List<Deliveries.Batch> batches, Settle settle, AuditStore store, TestClock clock,
                                    Supplier<List<Finding>> held) {
        Pager pager = new Pager(clock);
        PagingRun run = new PagingRun(store, pager, held);
        // Issue 18: the batches' units judged side by side, as a warm Lambda instance judges them.
        Ingestor ingestor = new Ingestor(store, policy, List.of(pager.name()), clock, settle, LANES);
        AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(pager), AlertDispatcher.DEFAULT_GROUP_WINDOW, null, settle);
        Instant last = Instant.EPOCH;
        int n = 0;
        for (Deliveries.Batch b : batches) {
            clock.set(b.at());
            List<Ingestor.Message> messages = new ArrayList<>();
            for (Deliveries.Record r : b.records()) {
                messages.add(new Ingestor.Message("batch-" + n + ":" + messages.size(), RawRecords.asEventBridge(r.json())));
            }
            for (IngestResult result : ingestor.ingestBatch(messages)) {
                if (result.failure() != null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    result.failure().printStackTrace(new java.io.PrintWriter(trace));
                    run.failures.add(trace.toString().lines().limit(8).collect(java.util.stream.Collectors.joining("\n")));
                }
            }
            dispatcher.dispatchDue(b.at());
            last = b.at();
            n++;
        }
        // Long after: every page has settled and every group window has closed.
        for (int i = 1; i <= 3; i++) {
            clock.set(last.plus(settle.window()).plus(AlertDispatcher.DEFAULT_GROUP_WINDOW.multipliedBy(i)).plus(Duration.ofMinutes(1)));
            dispatcher.dispatchDue(clock.instant());
        }
        return run;
    }

    /** Findings that hold once every record is in, by id. */
    Map<String, Finding> finals() {
        Map<String, Finding> out = new LinkedHashMap<>();
        held.get().forEach(f -> out.put(f.id(), f));
        return out;
    }

    List<Sent> about(String id) {
        return pager.sent.stream().filter(s -> s.finding().id().equals(id)).toList();
    }

    public List<Sent> pages() {
        return pager.sent.stream().filter(s -> "raised".equals(s.notice())).toList();
    }
}
