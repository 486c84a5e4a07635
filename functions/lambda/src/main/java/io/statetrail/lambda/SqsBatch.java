package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.service.ingest.Ingestor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest function's envelope: the messages of an SQS event in, the partial batch response out
 * ({@code {"batchItemFailures":[{"itemIdentifier":…}]}}), so that SQS redelivers only the messages that failed.
 * Anything else that invokes the function (an EventBridge rule targeting it directly, any CloudTrail shape the reader
 * accepts) is one message, its id {@code eventbridge:<id>}; it has no batch to answer, so a failure is an error, which
 * EventBridge retries and then sends to the rule target's dead-letter queue.
 *
 * @param messages the messages, in the order they came
 * @param sqs      whether they came in an SQS event
 */
record SqsBatch(List<Ingestor.Message> messages, boolean sqs) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads what the function was invoked with. */
    static SqsBatch read(byte[] raw) {
        JsonNode event;
        try {
            event = MAPPER.readTree(raw);
        } catch (IOException e) {
            event = null;
        }
        JsonNode records = event == null ? null : event.path("Records");
        if (records != null && records.isArray() && records.size() > 0 && "aws:sqs".equals(records.get(0).path("eventSource").asText())) {
            List<Ingestor.Message> messages = new ArrayList<>();
            for (JsonNode r : records) {
                messages.add(new Ingestor.Message(r.path("messageId").asText(), r.path("body").asText(null)));
            }
            return new SqsBatch(messages, true);
        }
        String id = event == null ? "direct" : "eventbridge:" + event.path("id").asText("direct");
        return new SqsBatch(List.of(new Ingestor.Message(id, new String(raw, StandardCharsets.UTF_8))), false);
    }

    /** The messages of a typed SQS event. */
    static SqsBatch of(SQSEvent event) {
        List<Ingestor.Message> messages = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            messages.add(new Ingestor.Message(m.getMessageId(), m.getBody()));
        }
        return new SqsBatch(messages, true);
    }

    /** The batch response that has SQS redeliver these messages (ids in the order given). */
    static SQSBatchResponse response(List<String> failedIds) {
        return new SQSBatchResponse(failedIds.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }

    /**
     * Answers the invocation: the batch response for an SQS event; for a direct invocation {@code {"ingested":true}}, or
     * an exception when its one message failed.
     */
    void answer(SQSBatchResponse response, OutputStream out) throws IOException {
        if (sqs) {
            write(response, out);
            return;
        }
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalArgumentException("could not ingest " + messages.get(0).source() + " (see the log line before this one)");
        }
        out.write("{\"ingested\":true}".getBytes(StandardCharsets.UTF_8));
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
