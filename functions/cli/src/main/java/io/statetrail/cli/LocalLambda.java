package io.statetrail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.statetrail.lambda.IngestHandler;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deployed ingest function, run on this machine: the same {@link IngestHandler} and Micronaut wiring as in AWS,
 * configured like a local function (DynamoDB Local endpoint, policy file, alerts to a file, no AWS lookups), fed the
 * SQS events the queue would deliver. Its JSON log lines go to {@code DIR/function.log}, not to stdout.
 */
final class LocalLambda implements AutoCloseable {

    static final String LOG_FILE = "function.log";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApplicationContext context;
    private final IngestHandler handler;
    private final PrintStream log;

    private LocalLambda(ApplicationContext context, IngestHandler handler, PrintStream log) {
        this.context = context;
        this.handler = handler;
        this.log = log;
    }

    /**
     * @param slackWebhook also alert this Slack webhook, or null
     * @param now          the arrival time of what is ingested (the function's clock), or null for the system clock
     * @param settleWindow how long provisional findings wait before they page
     */
    record Options(String slackWebhook, String now, java.time.Duration settleWindow) {
        static final Options DEFAULT = new Options(null, null, io.statetrail.service.finding.Settle.DEFAULT_WINDOW);
    }

    static LocalLambda start(LocalTrail trail, Path dataDir, Path policy) {
        return start(trail, dataDir, policy, Options.DEFAULT);
    }

    static LocalLambda start(LocalTrail trail, Path dataDir, Path policy, Options options) {
        String slackWebhook = options.slackWebhook();
        Map<String, Object> props = new HashMap<>();
        props.put("statetrail.table", DynamoAuditStore.DEFAULT_TABLE);
        props.put("statetrail.dynamodb-endpoint", trail.endpoint().toString());
        props.put("statetrail.policy", policy.toString());
        props.put("statetrail.alert-file", dataDir.resolve("alerts.jsonl").toAbsolutePath().toString());
        props.put("statetrail.account", "000000000000");
        props.put("statetrail.local", "true");
        props.put("statetrail.defer-alerts", "true");
        props.put("aws.region", "us-east-1");
        if (slackWebhook != null) {
            props.put("statetrail.slack-webhook-url", slackWebhook);
        }
        if (options.now() != null) {
            props.put("statetrail.now", options.now());
        }
        props.put("statetrail.settle-window", options.settleWindow().toString());
        PrintStream log;
        try {
            log = new PrintStream(Files.newOutputStream(dataDir.resolve(LOG_FILE), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(LOG_FILE), e);
        }
        // The function logs and emits metrics on stdout, as Lambda wants; here stdout carries findings.
        PrintStream stdout = System.out;
        System.setOut(log);
        try {
            ApplicationContext context = ApplicationContext.builder().properties(props).environments("function", "local")
                    .deduceEnvironment(false).banner(false).start();
            return new LocalLambda(context, new IngestHandler(context), log);
        } finally {
            System.setOut(stdout);
        }
    }

    /** One SQS invocation; returns the ids of the messages the function reported as failed. */
    Set<String> ingest(List<String[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(sqsEvent(messages).getBytes(StandardCharsets.UTF_8)), out, null);
            Set<String> failed = new HashSet<>();
            for (JsonNode f : JSON.readTree(out.toByteArray()).path("batchItemFailures")) {
                failed.add(f.path("itemIdentifier").asText());
            }
            return failed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the alerts of everything ingested so far, once the whole input is in. */
    void dispatchAlerts() {
        PrintStream stdout = System.out;
        System.setOut(log);
        try {
            handler.dispatchNow();
        } finally {
            System.setOut(stdout);
        }
    }

    /** A Lambda SQS event as the event source mapping delivers it. */
    static String sqsEvent(List<String[]> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (String[] m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m[0]);
            r.put("receiptHandle", "local-" + m[0]);
            r.put("body", m[1]);
            ObjectNode attrs = r.putObject("attributes");
            attrs.put("ApproximateReceiveCount", "1");
            attrs.put("SentTimestamp", String.valueOf(System.currentTimeMillis()));
            r.putObject("messageAttributes");
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:statetrail-events");
            r.put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    @Override
    public void close() {
        context.close();
        log.close();
    }
}
