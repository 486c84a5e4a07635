package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.query.LockDetails;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code io.statetrail.lambda.LockStreamHandler::handleRequest}: the DynamoDB stream (NEW_AND_OLD_IMAGES) of a
 * Terraform lock table. An {@code INSERT} of a {@code LockID} item carries the lock body in {@code Info}
 * ({@code ID, Operation, Who, Version, Created, Path}), which CloudTrail never shows; it is stored with the lock. Digest
 * items ({@code <bucket>/<key>-md5}) and removals are skipped: the release is in CloudTrail. A store failure fails the
 * batch, which the event source mapping bisects and retries.
 */
public final class LockStreamHandler implements RequestStreamHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuditStore store;
    private final Log log;

    public LockStreamHandler() {
        this(Functions.context());
    }

    public LockStreamHandler(ApplicationContext context) {
        this.store = context.getBean(AuditStore.class);
        this.log = context.getBean(Log.class);
        Priming.register(context, java.util.List.of(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class), () -> store.sessionEvents(java.util.List.of("ASIAPRIMINGPRIMING000")));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        JsonNode event = MAPPER.readTree(input);
        int stored = 0;
        int skipped = 0;
        for (JsonNode r : event.path("Records")) {
            if (record(r)) {
                stored++;
            } else {
                skipped++;
            }
        }
        log.info("lock stream batch done").with("stored", stored).with("skipped", skipped).write();
        output.write(("{\"stored\":" + stored + "}").getBytes(StandardCharsets.UTF_8));
    }

    private boolean record(JsonNode r) {
        if (!"INSERT".equals(r.path("eventName").asText()) && !"MODIFY".equals(r.path("eventName").asText())) {
            return false;
        }
        JsonNode image = r.path("dynamodb").path("NewImage");
        String lockId = image.path(StateObjects.LOCK_ID).path("S").asText(null);
        String info = image.path("Info").path("S").asText(null);
        if (lockId == null || info == null || lockId.endsWith(StateObjects.DIGEST_SUFFIX)) {
            return false;
        }
        Optional<LockDetails> details = LockInfo.parse(info);
        if (details.isEmpty()) {
            log.warn("lock item with an unreadable Info").with("eventId", r.path("eventID").asText(null))
                    .with("stateKey", lockId).raw("info", info).write();
            return false;
        }
        String table = table(r.path("eventSourceARN").asText(""));
        Instant at = Instant.ofEpochSecond(r.path("dynamodb").path("ApproximateCreationDateTime").asLong());
        store.putLockDetails(lockId, "dynamodb:" + table, at, details.get());
        log.info("lock details stored").with("eventId", r.path("eventID").asText(null)).with("stateKey", lockId)
                .with("lockStore", "dynamodb:" + table).with("lockId", details.get().id()).with("who", details.get().who())
                .with("operation", details.get().operation()).write();
        return true;
    }

    /** {@code arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks/stream/2026-…} → {@code acme-tf-locks}. */
    static String table(String streamArn) {
        int t = streamArn.indexOf(":table/");
        if (t < 0) {
            return "unknown";
        }
        String rest = streamArn.substring(t + ":table/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
