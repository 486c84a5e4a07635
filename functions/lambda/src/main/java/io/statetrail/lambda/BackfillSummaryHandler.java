package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.statetrail.service.backfill.BackfillSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * {@code io.statetrail.lambda.BackfillSummaryHandler::handleRequest}: the last state of a backfill. Its input is the
 * Distributed Map's output, {@code {"MapRunArn":…,"ResultWriterDetails":{"Bucket":…,"Key":"…/manifest.json"}}}; its
 * output, which becomes the execution's, the totals ({@link BackfillSummary}): files, records, relevant, sent,
 * malformed, and every file that was not backfilled, with why.
 */
public final class BackfillSummaryHandler implements RequestStreamHandler {

    private final BiFunction<String, String, String> read;
    private final Log log;

    public BackfillSummaryHandler() {
        this(Functions.context());
    }

    public BackfillSummaryHandler(ApplicationContext context) {
        AwsClients aws = context.getBean(AwsClients.class);
        this.read = (bucket, key) -> aws.s3(aws.home()).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        this.log = context.getBean(Log.class);
    }

    /** For tests: objects read by (bucket, key). */
    BackfillSummaryHandler(BiFunction<String, String, String> read, Log log) {
        this.read = read;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        JsonNode in = BackfillHandler.JSON.readTree(input);
        JsonNode where = in.path("ResultWriterDetails");
        String bucket = where.path("Bucket").asText("");
        String manifest = where.path("Key").asText("");
        if (bucket.isEmpty() || manifest.isEmpty()) {
            throw new IllegalArgumentException("ResultWriterDetails.Bucket and .Key (the Map Run's manifest) are missing");
        }
        ObjectNode total = BackfillSummary.of(key -> read.apply(bucket, key), manifest);
        total.put("mapRunArn", in.path("MapRunArn").asText(""));
        log.info("backfill done").with("files", total.path("files").asLong()).with("records", total.path("records").asLong())
                .with("relevant", total.path("relevant").asLong()).with("sent", total.path("sent").asLong())
                .with("malformed", total.path("malformed").asLong()).with("failedFiles", total.path("failedFiles").size())
                .with("failedBatches", total.path("failedBatches").asLong()).write();
        BackfillHandler.JSON.writeValue(output, total);
    }
}
