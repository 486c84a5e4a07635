package io.statetrail.lambda;

import io.statetrail.service.port.IngestQueue;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The ingest queue through {@code SendMessageBatch}: entry ids are the messages' positions, so the entries SQS
 * refuses ({@code Failed}) map back to their messages.
 */
public final class SqsIngestQueue implements IngestQueue {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsIngestQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<Rejected> send(List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
        }
        SendMessageBatchResponse answer = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        List<Rejected> rejected = new ArrayList<>();
        for (BatchResultErrorEntry f : answer.failed()) {
            rejected.add(new Rejected(Integer.parseInt(f.id()), f.code() + ": " + f.message(), Boolean.TRUE.equals(f.senderFault())));
        }
        return rejected;
    }
}
