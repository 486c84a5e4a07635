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

    /**
     * The daily run end to end: the deployed wiring (AwsRoleInventory over the SDK's IAM client, with the SDK's own
     * endpoint setting pointing it at a loopback IAM) pages what it finds, and a role fixed by the next day is resolved
     * with a follow-up in Slack.
     */
    @Test
    void thePostureTask_pagesWrongRoles_andResolvesOneFixedTheNextDay() throws Exception {
        Map<String, String> aws = Map.of("aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "secret",
                "aws.endpointUrlIam", "", "aws.disableEc2Metadata", "true");
        List<io.statetrail.core.iam.IamRole> roles = io.statetrail.core.fixture.Roles.SHAPES.stream()
                .map(io.statetrail.core.fixture.Roles.Shape::role).toList();
        try (LoopbackIam iam = new LoopbackIam(5).with(roles, List.of(io.statetrail.core.fixture.Roles.GITHUB));
             LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            aws.forEach((k, v) -> System.setProperty(k, k.equals("aws.endpointUrlIam") ? iam.endpoint() : v));
            try (ApplicationContext context = TestStack.context(TestStack.table(), Map.of("statetrail.account", "222222222222",
                    "statetrail.slack-webhook-url", slack.url("/hook")))) {
                SweeperHandler handler = new SweeperHandler(context);

                SweeperHandler.PostureResult day1 = handler.posture(Instant.parse("2026-12-08T06:00:00Z"));
                assertEquals(List.of(), day1.posture().failures());
                assertTrue(day1.posture().raised() > 0, day1.toString());
                assertEquals(day1.posture().raised(), slack.requests.size(), "each new finding paged once");
                assertTrue(iam.actions.contains("GetRole"), String.valueOf(iam.actions));

                // gha-open (no sub condition: too wide and unlisted) is deleted overnight.
                iam.with(roles.stream().filter(r -> !r.name().equals("gha-open")).toList(), List.of(io.statetrail.core.fixture.Roles.GITHUB));
                int before = slack.requests.size();
                SweeperHandler.PostureResult day2 = handler.posture(Instant.parse("2026-12-09T06:00:00Z"));

                assertEquals(0, day2.posture().raised(), day2.toString());
                assertEquals(day1.posture().open() - 2, day2.posture().open(), "gha-open's two findings are gone");
                List<String> followUps = slack.requests.subList(before, slack.requests.size()).stream().map(LoopbackServer.Request::body).toList();
                assertEquals(2, followUps.size(), String.valueOf(followUps));
                for (String body : followUps) {
                    assertTrue(new ObjectMapper().readTree(body).get("text").asText().startsWith("statetrail RESOLVED: oidc-"), body);
                    assertTrue(body.contains("arn:aws:iam::222222222222:role/gha-open"), body);
                }
            }
        } finally {
            aws.keySet().forEach(System::clearProperty);
        }
    }

    private static SweeperHandler.Result sweep(ApplicationContext context, Instant now) {
        try (var recording = DynamoDbOperations.as("sweeper")) {
            return new SweeperHandler(context).run(now);
        }
    }

    /**
     * Suppressions through the deployed wiring: the stale lock the policy accepts is stored marked and not paged, and the
     * daily task reports the entry that matched nothing (a log line and the SuppressionsToReview metric).
     */
    @Test
    void aSuppressedStaleLock_isStoredButNotPaged_andTheDailyTaskReportsAnEntryThatMatchedNothing(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path policy = dir.resolve("policy.yaml");
        java.nio.file.Files.writeString(policy, TestStack.read("policy.yaml") + """

                suppressions:
                  - type: stale-lock
                    state: "acme-tfstate-prod/infra/queues/*"
                    reason: the queue migration holds its lock (OPS-7)
                  - type: force-unlock
                    subject: "repo:acme/never:*"
                    reason: nothing matches this
                """);
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        // The function's log and metrics go to standard output, captured from the context's start.
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"));
             ApplicationContext context = TestStack.context(TestStack.table(), Map.of("statetrail.slack-webhook-url", slack.url("/hook"),
                     "statetrail.policy", policy.toString(), "statetrail.local", "true"))) {
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(TestStack.scenarioMessages("stale-lock")));

            SweeperHandler.Result r = sweep(context, Instant.parse("2026-11-02T11:00:14Z"));

            assertEquals(1, r.sweep().staleRaised(), r.toString());
            assertEquals(0, slack.requests.size(), "suppressed: not paged");
            io.statetrail.core.finding.Finding stale = context.getBean(io.statetrail.service.query.AuditQueries.class)
                    .findings(new io.statetrail.service.query.FindingQuery(null, null, "stale-lock", null, null, null, null, 10, null))
                    .items().get(0);
            assertTrue(stale.suppressed(), stale.toString());

            new SweeperHandler(context).posture(Instant.parse("2026-11-20T06:00:00Z"));
        } finally {
            System.setOut(stdout);
        }
        String logged = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        List<String> review = logged.lines().filter(l -> l.contains("suppression to review")).toList();
        assertEquals(1, review.size(), logged);
        assertTrue(review.get(0).contains("matched no finding in the last 30 days") && review.get(0).contains("force-unlock"), review.get(0));
        assertTrue(logged.contains("\"SuppressionsToReview\":1"), logged);
    }
}
