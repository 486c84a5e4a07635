package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.backfill.BackfillWorker;
import io.statetrail.service.backfill.Pacer;
import io.statetrail.service.backfill.RelevantRecords;
import io.statetrail.service.port.IngestQueue;
import io.statetrail.service.port.TrailArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code io.statetrail.lambda.BackfillHandler::handleRequest}: one batch of the backfill state machine's Distributed
 * Map. Its input is the map's batch, {@code {"BatchInput":{"bucket","from","to","rate","concurrency"},"Items":[{"Key":…},…]}}
 * (items as the map's S3 listing gives them); its output the batch's {@link BackfillWorker.BatchResult} as JSON, which
 * the summary adds up. The relevant records go to {@code STATETRAIL_INGEST_QUEUE_URL}; a worker sends at most
 * {@code rate / concurrency} records per second ({@code rate} 0: no limit). Bad input is an error the state machine
 * does not retry.
 */
public final class BackfillHandler implements RequestStreamHandler {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<RecordReader> reader;
    private final TrailArchive archive;
    private final IngestQueue queue;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;

    public BackfillHandler() {
        this(Functions.context());
    }

    public BackfillHandler(ApplicationContext context) {
        AwsClients aws = context.getBean(AwsClients.class);
        PolicyCache policy = context.getBean(PolicyCache.class);
        String queueUrl = context.getEnvironment().getProperty("statetrail.ingest-queue-url", String.class)
                .orElseThrow(() -> new IllegalStateException("STATETRAIL_INGEST_QUEUE_URL is not set"));
        this.reader = () -> new RecordReader(new RecordClassifier(new StateObjects(policy.current())));
        this.archive = new S3TrailArchive(aws.s3AnyRegion());
        this.queue = new SqsIngestQueue(aws.sqs(), queueUrl);
        this.clock = context.getBean(Clock.class);
        this.log = context.getBean(Log.class);
        this.metrics = new Metrics(System.out, clock);
    }

    /** For tests: the ports and policy given. */
    BackfillHandler(Supplier<RecordReader> reader, TrailArchive archive, IngestQueue queue, Clock clock, Log log, Metrics metrics) {
        this.reader = reader;
        this.archive = archive;
        this.queue = queue;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** What one batch asks for, checked. */
    record Batch(String bucket, LocalDate from, LocalDate to, double perWorker, List<String> keys) {
        static Batch of(JsonNode in) {
            JsonNode b = in.path("BatchInput");
            String bucket = b.path("bucket").asText("");
            if (bucket.isBlank()) {
                throw new IllegalArgumentException("BatchInput.bucket is missing");
            }
            LocalDate from = day(b, "from");
            LocalDate to = day(b, "to");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("BatchInput.to (" + to + ") is before from (" + from + ")");
            }
            double rate = b.path("rate").asDouble(0);
            int concurrency = Math.max(1, b.path("concurrency").asInt(1));
            List<String> keys = new ArrayList<>();
            for (JsonNode item : in.path("Items")) {
                String key = item.isTextual() ? item.asText() : item.path("Key").asText("");
                if (!key.isEmpty() && !key.endsWith("/")) {
                    keys.add(key);
                }
            }
            return new Batch(bucket, from, to, rate > 0 ? rate / concurrency : 0, keys);
        }

        private static LocalDate day(JsonNode b, String field) {
            String v = b.path(field).asText("");
            try {
                return LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("BatchInput." + field + " must be a day (YYYY-MM-DD), got \"" + io.statetrail.core.cloudtrail.Redaction.excerpt(v, 40) + "\"");
            }
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        BackfillWorker.BatchResult r = run(Batch.of(JSON.readTree(input)));
        JSON.writeValue(output, r);
    }

    BackfillWorker.BatchResult run(Batch batch) {
        BackfillWorker worker = new BackfillWorker(archive, queue, new RelevantRecords(reader.get()),
                new Pacer(batch.perWorker(), clock, Thread::sleep));
        BackfillWorker.BatchResult r = worker.run(batch.bucket(), batch.keys(), batch.from(), batch.to(),
                m -> log.warn("malformed record").with("source", m.source()).with("line", m.line()).with("reason", m.reason()).write());
        for (BackfillWorker.FailedFile f : r.failedFiles()) {
            log.error("log file not backfilled").with("key", f.key()).with("reason", f.reason()).write();
        }
        log.info("backfill batch done").with("files", r.files()).with("outsideRange", r.outsideRange()).with("records", r.records())
                .with("relevant", r.relevant()).with("sent", r.sent()).with("messages", r.messages()).with("malformed", r.malformed())
                .with("failedFiles", r.failedFiles().size()).write();
        metrics.count("BackfillFiles", r.files());
        metrics.count("BackfillRecords", r.records());
        metrics.count("BackfillRelevant", r.relevant());
        metrics.count("BackfillSent", r.sent());
        metrics.count("BackfillMalformed", r.malformed());
        metrics.count("BackfillFailedFiles", r.failedFiles().size());
        metrics.flush();
        return r;
    }
}
