package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.LoopbackServer;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.OpenLock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class IngestHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE = "acme-tfstate-tooling/bootstrap/org/terraform.tfstate";

    @Test
    void aPoisonMessage_isTheOnlyFailure_andTheOtherMessagesAreStored() throws Exception {
        String table = TestStack.table();
        List<String[]> messages = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(TestStack.EVENTS.resolve("scenarios/bootstrap-dynamodb-lock"))) {
            files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> {
                try {
                    messages.add(new String[] {"msg-" + p.getFileName().toString().substring(0, 2), Files.readString(p)});
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        messages.add(4, new String[] {"msg-poison", "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":{\"eventTime\":"});
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            IngestHandler handler = new IngestHandler(context);

            JsonNode response = invoke(handler, TestStack.sqsEvent(messages));

            assertEquals(JSON.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\"msg-poison\"}]}"), response);
            AuditStore store = context.getBean(AuditStore.class);
            assertFalse(store.sessionEvents(List.of("ASIARZ4TQ7KXNX7P5H7O")).isEmpty(), "the login was stored");
            List<List<io.statetrail.core.event.TrailEvent>> calls = store.stateCalls(STATE, Instant.parse("2026-11-03T00:00:00Z"),
                    Instant.parse("2026-11-04T00:00:00Z"));
            assertEquals(4, calls.size(), "lock, GetObject, PutObject, unlock (digests and GetItem are not state calls): " + calls);
        }
    }

    @Test
    void aStoreFailure_failsTheMessageSoSqsRetriesIt() throws Exception {
        try (ApplicationContext context = TestStack.context("no-such-table", Map.of())) {
            JsonNode response = invoke(new IngestHandler(context), TestStack.sqsEvent(List.<String[]>of(
                    new String[] {"m1", TestStack.read("scenarios/bootstrap-dynamodb-lock/02-dynamodb-putitem-lock.json")})));
            assertEquals(JSON.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}"), response);
        }
    }

    @Test
    void typedSqsEvent_givesTheSameBatchResponse() {
        String table = TestStack.table();
        SQSEvent event = new SQSEvent();
        SQSEvent.SQSMessage ok = new SQSEvent.SQSMessage();
        ok.setMessageId("ok");
        ok.setBody(TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json"));
        SQSEvent.SQSMessage bad = new SQSEvent.SQSMessage();
        bad.setMessageId("bad");
        bad.setBody("not json at all");
        event.setRecords(List.of(ok, bad));
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            SQSBatchResponse r = new IngestHandler(context).handleRequest(event, null);
            assertEquals(List.of("bad"), r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        }
    }

    @Test
    void directEventBridgeInvocation_isIngested_andAnUnreadableOneThrows() throws Exception {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            IngestHandler handler = new IngestHandler(context);
            JsonNode out = invoke(handler, TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json"));
            assertEquals(JSON.readTree("{\"ingested\":true}"), out);
            assertFalse(context.getBean(AuditStore.class).sessionEvents(List.of("ASIARZ4TQ7KXNX7P5H7O")).isEmpty());

            assertThrows(IllegalArgumentException.class, () -> invoke(handler, "{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":"));
        }
    }

    @Test
    void aLockAcquisition_readsTheLockBodyWhileItExists() throws Exception {
        String table = TestStack.table();
        TestStack.client().putItem(b -> b.tableName(TestStack.LOCK_TABLE).item(Map.of(
                "LockID", AttributeValue.fromS(STATE),
                "Info", AttributeValue.fromS("{\"ID\":\"6f1a0b2e-2c4d-4e6f-8a9b-0c1d2e3f4a5b\",\"Operation\":\"OperationTypeApply\","
                        + "\"Info\":\"\",\"Who\":\"runner@fv-az1234-567\",\"Version\":\"1.11.4\",\"Created\":\"2026-11-03T09:00:16.123Z\","
                        + "\"Path\":\"" + STATE + "\"}"))));
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            JsonNode response = invoke(new IngestHandler(context), TestStack.sqsEvent(List.<String[]>of(
                    new String[] {"login", TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json")},
                    new String[] {"lock", TestStack.read("scenarios/bootstrap-dynamodb-lock/02-dynamodb-putitem-lock.json")})));
            assertEquals(0, response.get("batchItemFailures").size());

            List<OpenLock> open = context.getBean(AuditQueries.class).openLocks();
            assertEquals(1, open.size(), open.toString());
            assertEquals("runner@fv-az1234-567", open.get(0).details().who());
            assertEquals("6f1a0b2e-2c4d-4e6f-8a9b-0c1d2e3f4a5b", open.get(0).details().id());
            assertEquals("OperationTypeApply", open.get(0).details().operation());
        } finally {
            TestStack.client().deleteItem(b -> b.tableName(TestStack.LOCK_TABLE).key(Map.of("LockID", AttributeValue.fromS(STATE))));
        }
    }

    @Test
    void hostileBranchFindings_reachSlackEscaped() throws Exception {
        String table = TestStack.table();
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"));
             ApplicationContext context = TestStack.context(table, Map.of("statetrail.slack-webhook-url", slack.url("/hook")))) {
            JsonNode response = invoke(new IngestHandler(context), TestStack.sqsEvent(List.<String[]>of(
                    new String[] {"hostile", TestStack.read("scenarios/hostile-branch-name/records.json")})));
            assertEquals(0, response.get("batchItemFailures").size());

            assertFalse(slack.requests.isEmpty(), "an alert reached Slack");
            for (LoopbackServer.Request r : slack.requests) {
                assertFalse(r.body().contains("<!channel>"), r.body());
                assertFalse(r.body().contains("<img"), r.body());
            }
            assertTrue(slack.requests.stream().anyMatch(r -> r.body().contains("`refs/heads/&lt;!channel&gt; *urgent*`")),
                    slack.requests.toString());
        }
    }

    /**
     * With {@code STATETRAIL_EVENT_BUS} set, each finding goes to EventBridge too, signed by the function's credentials,
     * to the endpoint the SDK's standard setting names (here a loopback server answering as PutEvents does). The
     * request is recorded for the IAM check (the ingest role must allow events:PutEvents).
     */
    @Test
    void findingsArePublishedToTheConfiguredEventBus() throws Exception {
        String table = TestStack.table();
        String bus = "arn:aws:events:eu-west-1:111111111111:event-bus/security";
        Map<String, String> before = new java.util.HashMap<>();
        try (LoopbackServer events = new LoopbackServer(n -> LoopbackServer.Response.of(200, "application/x-amz-json-1.1",
                "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11710aed-b79e-4468-a20b-bb3c0c3b4860\"}]}"))) {
            for (var p : Map.of("aws.endpointUrlEventBridge", events.url(""), "aws.accessKeyId", "AKIDEXAMPLE",
                    "aws.secretAccessKey", "secret").entrySet()) {
                before.put(p.getKey(), System.setProperty(p.getKey(), p.getValue()));
            }
            try (ApplicationContext context = TestStack.context(table, Map.of("statetrail.event-bus", bus))) {
                JsonNode response = invoke(new IngestHandler(context), TestStack.sqsEvent(List.<String[]>of(
                        new String[] {"hostile", TestStack.read("scenarios/hostile-branch-name/records.json")})));
                assertEquals(0, response.get("batchItemFailures").size());
            }
            assertFalse(events.requests.isEmpty(), "findings reached EventBridge");
            for (LoopbackServer.Request r : events.requests) {
                assertEquals("AWSEvents.PutEvents", r.headers().get("X-amz-target").get(0));
                JsonNode entry = JSON.readTree(r.body()).at("/Entries/0");
                assertEquals(bus, entry.get("EventBusName").asText());
                assertEquals("statetrail", entry.get("Source").asText());
                assertEquals("statetrail finding", entry.get("DetailType").asText());
                assertTrue(JSON.readTree(entry.get("Detail").asText()).has("type"), entry.toString());
            }
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    static JsonNode invoke(IngestHandler handler, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var recording = DynamoDbOperations.as("ingest")) {
            handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        }
        return JSON.readTree(out.toByteArray());
    }
}
