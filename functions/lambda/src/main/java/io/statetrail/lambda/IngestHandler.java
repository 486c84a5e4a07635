package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.Parallel;
import io.statetrail.service.ingest.LiveIngest;
import io.statetrail.service.ingest.LockBodies;
import io.statetrail.service.policy.PolicyBound;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code io.statetrail.lambda.IngestHandler::handleRequest}: CloudTrail events from the SQS queue that the EventBridge
 * rules feed, or an EventBridge event invoked directly.
 *
 * <p>An adapter: {@link SqsBatch} reads the envelope and answers it; {@link LiveIngest} decides what becomes of each
 * message (ingested with the others of its batch, lock bodies read; or retried: empty, poison, store failure), with the
 * {@link Ingestor} of the current policy ({@link PolicyBound}). Then due alerts are sent. What is left here is what an
 * operator sees: one JSON log line per event (eventId, sessionKey) and EMF metrics per invocation.
 */
public final class IngestHandler implements RequestStreamHandler {

    private final AuditStore store;
    private final PolicyCache policies;
    private final AlertDispatcher dispatcher;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    private final boolean deferAlerts;
    private final PolicyBound<Ingestor> ingestors;
    private final LiveIngest live;

    public IngestHandler() {
        this(Functions.context());
    }

    public IngestHandler(ApplicationContext context) {
        this.store = context.getBean(AuditStore.class);
        this.policies = context.getBean(PolicyCache.class);
        this.dispatcher = context.getBean(AlertDispatcher.class);
        this.clock = context.getBean(Clock.class);
        this.log = context.getBean(Log.class);
        this.metrics = new Metrics(System.out, clock);
        this.deferAlerts = context.getProperty("statetrail.defer-alerts", Boolean.class).orElse(false);
        Settle settle = context.getBean(Settle.class);
        Parallel lanes = context.getBean(Parallel.class);
        this.ingestors = new PolicyBound<>(policies::current, p -> new Ingestor(store, p, dispatcher.destinations(), clock, settle, lanes));
        this.live = new LiveIngest(ingestors::get, new LockBodies(store, context.getBean(LockProbe.class)));
        Priming.register(context, AwsClients.EVENT_FUNCTION_CLIENTS, this::prime);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        SqsBatch batch = SqsBatch.read(input.readAllBytes());
        batch.answer(handle(batch.messages()), output);
    }

    /** For tests and callers that hold a typed event. */
    public SQSBatchResponse handleRequest(SQSEvent event, Context lambda) {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        return handle(SqsBatch.of(event).messages());
    }

    SQSBatchResponse handle(List<Ingestor.Message> messages) {
        List<String> failed = new ArrayList<>();
        try {
            for (LiveIngest.Outcome o : live.ingest(messages)) {
                report(o);
                if (o.retry()) {
                    failed.add(o.message().source());
                }
            }
            dispatch();
        } finally {
            metrics.flush(Metrics.EVENTS_IN, Metrics.DUPLICATES, Metrics.MALFORMED, Metrics.ALERT_FAILURES);
        }
        log.info("batch done").with("messages", messages.size()).with("failed", failed.size()).write();
        return SqsBatch.response(failed);
    }

    /** Logs and counts what became of one message. */
    private void report(LiveIngest.Outcome o) {
        String id = o.message().source();
        IngestResult result = o.result();
        if (o.kind() == LiveIngest.Kind.EMPTY) {
            metrics.count(Metrics.MALFORMED, 1);
            log.error("empty message").with("messageId", id).write();
            return;
        }
        List<TrailEvent> events = new ArrayList<>();
        if (result != null) {
            result.calls().forEach(events::addAll);
        }
        if (o.kind() == LiveIngest.Kind.STORE_FAILED) {
            String error = String.valueOf(o.failure());
            for (TrailEvent ev : events) {
                log.error("store failed; message will be retried").with("messageId", id).with("eventId", ev.meta().eventId())
                        .with("sessionKey", ev.meta().actor().accessKeyId()).raw("error", error).write();
            }
            if (events.isEmpty()) {
                log.error("store failed; message will be retried").with("messageId", id).raw("error", error).write();
            }
            return;
        }
        metrics.count(Metrics.EVENTS_IN, result.records());
        metrics.count(Metrics.DUPLICATES, result.duplicates());
        metrics.count(Metrics.MALFORMED, result.malformed().size());
        result.newFindings().forEach(f -> metrics.finding(f.type(), 1));
        for (Malformed bad : result.malformed()) {
            log.warn("malformed input").with("messageId", id).with("where", bad.where()).with("reason", bad.reason())
                    .raw("excerpt", bad.excerpt()).write();
        }
        if (o.kind() == LiveIngest.Kind.POISON) {
            log.error("poison message: nothing in it could be read").with("messageId", id).write();
            return;
        }
        for (TrailEvent ev : events) {
            Log.Line line = log.info("event ingested").with("messageId", id).with("eventId", ev.meta().eventId())
                    .with("sessionKey", ev.meta().actor().accessKeyId()).with("eventName", ev.meta().eventName())
                    .with("kind", ev.kind()).with("account", ev.meta().account());
            if (ev instanceof StateAccess s) {
                line.with("stateKey", s.stateKey()).with("lockStore", s.lockStore());
            }
            line.write();
        }
        o.lockReads().forEach(this::report);
        result.newFindings().forEach(f -> log.info("finding").with("messageId", id).with("findingId", f.id())
                .with("type", f.type()).with("severity", f.severity().label()).with("sessionKey", f.accessKeyId())
                .with("eventId", f.eventIds().isEmpty() ? null : f.eventIds().get(0)).with("stateKey", f.stateKey()).write());
    }

    /** What reading a lock body found (CloudTrail never shows who holds a lock). */
    private void report(LockBodies.Read read) {
        StateAccess s = read.acquisition();
        if (read.error() != null) {
            log.warn("lock details not recorded").with("eventId", s.meta().eventId()).with("sessionKey", s.meta().actor().accessKeyId())
                    .with("stateKey", s.stateKey()).raw("error", String.valueOf(read.error())).write();
            return;
        }
        LockProbe.Probe p = read.probe();
        Log.Line line = log.info("lock probed").with("eventId", s.meta().eventId()).with("sessionKey", s.meta().actor().accessKeyId())
                .with("stateKey", s.stateKey()).with("lockStore", s.lockStore()).with("lockState", p.state().name())
                .with("reason", p.reason());
        if (read.stored()) {
            line.with("lockId", p.details().get().id()).with("who", p.details().get().who())
                    .with("operation", p.details().get().operation());
        }
        line.write();
    }

    private void dispatch() {
        if (deferAlerts) {
            return;
        }
        dispatchNow();
    }

    /**
     * Sends due alerts now. A local bulk ingest calls this once at the end instead of after every batch: history
     * replayed out of order would otherwise alert on findings that a later record withdraws (a write whose lock
     * acquisition comes in the next file).
     */
    public void dispatchNow() {
        try {
            AlertDispatcher.DispatchResult d = dispatcher.dispatchDue(clock.instant());
            metrics.count(Metrics.ALERT_FAILURES, d.failures());
            if (d.alertsSent() + d.failures() + d.held() > 0) {
                log.info("alerts dispatched").with("alerts", d.alertsSent()).with("delivered", d.findingsDelivered())
                        .with("failures", d.failures()).with("held", d.held()).write();
            }
        } catch (RuntimeException e) {
            // Findings and their deliveries are stored: the sweeper sends them on its next run.
            metrics.count(Metrics.ALERT_FAILURES, 1);
            log.error("alert dispatch failed; the sweeper retries").raw("error", String.valueOf(e)).write();
        }
    }

    /** Before a SnapStart snapshot: load the policy, build the ingestor, run the reader and the store's read path once. */
    private void prime() {
        ingestors.get();
        Priming.warmJson(new RecordReader(new RecordClassifier(new StateObjects(policies.current()))));
        store.sessionEvents(List.of("ASIAPRIMINGPRIMING000"));
    }
}
