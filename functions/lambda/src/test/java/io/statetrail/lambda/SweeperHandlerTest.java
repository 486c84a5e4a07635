package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.LoopbackServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SweeperHandlerTest {

    @Test
    void aStaleLock_isRaisedBySweeping_andItsAlertGoesOut() throws Exception {
        String table = TestStack.table();
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"));
             ApplicationContext context = TestStack.context(table, Map.of("statetrail.slack-webhook-url", slack.url("/hook")))) {
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(TestStack.scenarioMessages("stale-lock")));
            assertEquals(0, slack.requests.size(), "nothing is stale yet");

            SweeperHandler.Result r = sweep(context, Instant.parse("2026-11-02T11:00:14Z"));

            assertEquals(1, r.sweep().staleRaised(), r.toString());
            assertEquals(1, r.dispatch().alertsSent(), r.toString());
            assertEquals(1, slack.requests.size());
            String text = new ObjectMapper().readTree(slack.requests.get(0).body()).get("text").asText();
            assertTrue(text.startsWith("statetrail MEDIUM: stale-lock"), text);
        }
    }

    @Test
    void aTableAnOlderVersionWrote_hasItsRunIndexesCompletedBySweeping() throws Exception {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(List.<String[]>of(
                    new String[] {"m1", TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json")},
                    new String[] {"m2", TestStack.read("scenarios/bootstrap-dynamodb-lock/06-s3-putobject-state.json")})));
            // As an older version left it: no marker saying the run summaries are catalogued and indexed.
            TestStack.client().deleteItem(b -> b.tableName(table).key(Map.of(
                    "pk", AttributeValue.fromS("SUBJECTS"), "sk", AttributeValue.fromS("#complete"))));

            SweeperHandler.Result first = sweep(context, Instant.parse("2026-11-04T10:00:00Z"));
            SweeperHandler.Result second = sweep(context, Instant.parse("2026-11-04T10:05:00Z"));

            assertEquals(1, first.sweep().summariesIndexed(), first.toString());
            assertEquals(0, second.sweep().summariesIndexed(), "complete after the first: " + second);
            assertTrue(TestStack.client().getItem(b -> b.tableName(table).key(Map.of(
                    "pk", AttributeValue.fromS("SUBJECTS"), "sk", AttributeValue.fromS("#complete")))).hasItem());
        }
    }

    @Test
    void thePostureTask_inALocalRun_readsNoAccountAndChangesNothing() throws Exception {
        try (ApplicationContext context = TestStack.context(TestStack.table(), Map.of("statetrail.local", "true"))) {
            assertEquals("posture", SweeperHandler.task("{\"task\":\"posture\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(null, SweeperHandler.task("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "the scheduler's sweep");
            assertEquals(null, SweeperHandler.task("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

            SweeperHandler.PostureResult r = new SweeperHandler(context).posture(Instant.parse("2026-12-08T06:00:00Z"));

            assertEquals(1, r.posture().failures().size(), r.toString());
            assertTrue(r.posture().failures().get(0).contains("local run: IAM is not read"), r.toString());
            assertEquals(0, r.posture().raised());
        }
    }

    private static SweeperHandler.Result sweep(ApplicationContext context, Instant now) {
        try (var recording = DynamoDbOperations.as("sweeper")) {
            return new SweeperHandler(context).run(now);
        }
    }
}
