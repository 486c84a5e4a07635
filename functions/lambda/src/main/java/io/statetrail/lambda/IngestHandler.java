package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.statetrail.core.policy.Policy;
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
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code io.statetrail.lambda.IngestHandler::handleRequest}: CloudTrail events from the SQS queue that the EventBridge
 * rules feed, or an EventBridge event invoked directly.
 *
 * <p>SQS: the messages of a batch are ingested together ({@link Ingestor#ingestBatch}: every call stored, then what
 * they affect judged once); a message that cannot be read at all (poison), or whose calls could not be stored or judged,
 * is reported in {@code batchItemFailures}, so only it is retried, and after {@code maxReceiveCount} receives it ends in
 * the dead-letter queue. Lock acquisitions then have their lock body read (it exists only while the lock is held).
 * Then due alerts are sent. One JSON log line per event (eventId, sessionKey) and EMF metrics per invocation.
 */
public final class IngestHandler implements RequestStreamHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ApplicationContext context;
    private final AuditStore store;
    private final PolicyCache policies;
    private final AlertDispatcher dispatcher;
    private final LockProbe locks;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    private final boolean deferAlerts;
    private final Settle settle;
    private Policy policy;
    private Ingestor ingestor;
    private RecordReader reader;

    public IngestHandler() {
        this(Functions.context());
    }

    public IngestHandler(ApplicationContext context) {
        this.context = context;
        this.store = context.getBean(AuditStore.class);
        this.policies = context.getBean(PolicyCache.class);
        this.dispatcher = context.getBean(AlertDispatcher.class);
        this.locks = context.getBean(LockProbe.class);
        this.clock = context.getBean(Clock.class);
        this.log = context.getBean(Log.class);
        this.metrics = new Metrics(System.out, clock);
        this.deferAlerts = context.getProperty("statetrail.defer-alerts", Boolean.class).orElse(false);
        this.settle = context.getBean(Settle.class);
        Priming.register(context, AwsClients.EVENT_FUNCTION_CLIENTS, this::prime);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        byte[] raw = input.readAllBytes();
        JsonNode event;
        try {
            event = MAPPER.readTree(raw);
        } catch (IOException e) {
            event = null;
        }
        if (event != null && event.path("Records").isArray() && event.path("Records").size() > 0
                && "aws:sqs".equals(event.path("Records").get(0).path("eventSource").asText())) {
            List<Message> messages = new ArrayList<>();
            for (JsonNode r : event.path("Records")) {
                messages.add(new Message(r.path("messageId").asText(), r.path("body").asText(null)));
            }
            write(handle(messages), output);
            return;
        }
        // Direct EventBridge invocation (or any CloudTrail shape the reader accepts): one message; an unreadable one
        // is an error, so EventBridge retries it and then sends it to the rule target's dead-letter queue.
        String id = event == null ? "direct" : "eventbridge:" + event.path("id").asText("direct");
        SQSBatchResponse r = handle(List.of(new Message(id, new String(raw, StandardCharsets.UTF_8))));
        if (!r.getBatchItemFailures().isEmpty()) {
            throw new IllegalArgumentException("could not ingest " + id + " (see the log line before this one)");
        }
        output.write("{\"ingested\":true}".getBytes(StandardCharsets.UTF_8));
    }

    /** For tests and callers that hold a typed event. */
    public SQSBatchResponse handleRequest(SQSEvent event, Context lambda) {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        List<Message> messages = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            messages.add(new Message(m.getMessageId(), m.getBody()));
        }
        return handle(messages);
    }

    record Message(String id, String body) {
    }

    SQSBatchResponse handle(List<Message> messages) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try {
            Set<String> failed = ingest(messages);
            for (Message m : messages) {
                if (failed.contains(m.id())) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.id()));
                }
            }
            dispatch();
        } finally {
            metrics.flush(Metrics.EVENTS_IN, Metrics.DUPLICATES, Metrics.MALFORMED, Metrics.ALERT_FAILURES);
        }
        log.info("batch done").with("messages", messages.size()).with("failed", failures.size()).write();
        return new SQSBatchResponse(failures);
    }

    /**
     * Ingests the messages of one batch together (their calls stored, then what they affect judged once); returns the
     * ids of those that must be retried (poison, or a store failure while storing or judging them).
     */
    private Set<String> ingest(List<Message> messages) {
        Set<String> failed = new HashSet<>();
        List<Message> readable = new ArrayList<>();
        for (Message m : messages) {
            if (m.body() == null || m.body().isBlank()) {
                metrics.count(Metrics.MALFORMED, 1);
                log.error("empty message").with("messageId", m.id()).write();
                failed.add(m.id());
            } else {
                readable.add(m);
            }
        }
        if (readable.isEmpty()) {
            return failed;
        }
        refresh();
        List<IngestResult> results;
        try {
            results = ingestor.ingestBatch(readable.stream().map(m -> new Ingestor.Message(m.id(), m.body())).toList());
        } catch (RuntimeException e) {
            for (Message m : readable) {
                log.error("store failed; message will be retried").with("messageId", m.id()).raw("error", String.valueOf(e)).write();
                failed.add(m.id());
            }
            return failed;
        }
        for (int i = 0; i < readable.size(); i++) {
            if (!report(readable.get(i), results.get(i))) {
                failed.add(readable.get(i).id());
            }
        }
        return failed;
    }

    /** Logs and counts what one message did, reads the lock bodies of its acquisitions; false when it must be retried. */
    private boolean report(Message m, IngestResult result) {
        List<TrailEvent> events = new ArrayList<>();
        result.calls().forEach(events::addAll);
        if (result.failure() != null) {
            String error = String.valueOf(result.failure());
            for (TrailEvent ev : events) {
                log.error("store failed; message will be retried").with("messageId", m.id()).with("eventId", ev.meta().eventId())
                        .with("sessionKey", ev.meta().actor().accessKeyId()).raw("error", error).write();
            }
            if (events.isEmpty()) {
                log.error("store failed; message will be retried").with("messageId", m.id()).raw("error", error).write();
            }
            return false;
        }
        metrics.count(Metrics.EVENTS_IN, result.records());
        metrics.count(Metrics.DUPLICATES, result.duplicates());
        metrics.count(Metrics.MALFORMED, result.malformed().size());
        result.newFindings().forEach(f -> metrics.finding(f.type(), 1));
        for (Malformed bad : result.malformed()) {
            log.warn("malformed input").with("messageId", m.id()).with("where", bad.where()).with("reason", bad.reason())
                    .raw("excerpt", bad.excerpt()).write();
        }
        if (result.poisoned()) {
            log.error("poison message: nothing in it could be read").with("messageId", m.id()).write();
            return false;
        }
        for (TrailEvent ev : events) {
            Log.Line line = log.info("event ingested").with("messageId", m.id()).with("eventId", ev.meta().eventId())
                    .with("sessionKey", ev.meta().actor().accessKeyId()).with("eventName", ev.meta().eventName())
                    .with("kind", ev.kind()).with("account", ev.meta().account());
            if (ev instanceof StateAccess s) {
                line.with("stateKey", s.stateKey()).with("lockStore", s.lockStore());
            }
            line.write();
            if (ev instanceof StateAccess s && s.operation() == StateAccess.Operation.LOCK && !s.meta().failed()) {
                readLock(s);
            }
        }
        result.newFindings().forEach(f -> log.info("finding").with("messageId", m.id()).with("findingId", f.id())
                .with("type", f.type()).with("severity", f.severity().label()).with("sessionKey", f.accessKeyId())
                .with("eventId", f.eventIds().isEmpty() ? null : f.eventIds().get(0)).with("stateKey", f.stateKey()).write());
        return true;
    }

    /** CloudTrail never shows who holds a lock: read the lock body while it still exists. */
    private void readLock(StateAccess s) {
        try {
            LockProbe.Probe p = locks.probe(s.stateKey(), s.lockStore(), s.meta().account(), s.meta().region());
            Log.Line line = log.info("lock probed").with("eventId", s.meta().eventId()).with("sessionKey", s.meta().actor().accessKeyId())
                    .with("stateKey", s.stateKey()).with("lockStore", s.lockStore()).with("lockState", p.state().name())
                    .with("reason", p.reason());
            if (p.state() == LockProbe.State.HELD && p.details().isPresent()) {
                store.putLockDetails(s.stateKey(), s.lockStore(), s.meta().time(), p.details().get());
                line.with("lockId", p.details().get().id()).with("who", p.details().get().who())
                        .with("operation", p.details().get().operation());
            }
            line.write();
        } catch (RuntimeException e) {
            log.warn("lock details not recorded").with("eventId", s.meta().eventId()).with("sessionKey", s.meta().actor().accessKeyId())
                    .with("stateKey", s.stateKey()).raw("error", String.valueOf(e)).write();
        }
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

    private void refresh() {
        Policy current = policies.current();
        if (current != policy) {
            policy = current;
            ingestor = new Ingestor(store, current, dispatcher.destinations(), clock, settle);
            reader = new RecordReader(new RecordClassifier(new StateObjects(current)));
        }
    }

    /** Before a SnapStart snapshot: load the policy, run the reader and the store's read path once. */
    private void prime() {
        refresh();
        Priming.warmJson(reader);
        store.sessionEvents(List.of("ASIAPRIMINGPRIMING000"));
    }

    static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("batchItemFailures");
            for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
                g.writeStartObject();
                g.writeStringField("itemIdentifier", f.getItemIdentifier());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
