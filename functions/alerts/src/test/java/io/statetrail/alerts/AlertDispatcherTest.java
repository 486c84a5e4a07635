package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.alert.AlertDispatcher.DispatchResult;
import io.statetrail.service.port.AuditStore;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.finding.UnitFindings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** The dispatcher on the real store (DynamoDB Local), with real sinks talking HTTP to loopback servers. */
class AlertDispatcherTest {

    static final Instant T0 = Instant.parse("2026-11-17T14:05:40Z");
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger TABLES = new AtomicInteger();

    static LocalDynamo dynamo;
    static DynamoDbClient client;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.inMemory();
        client = dynamo.client();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    static AuditStore store() {
        String table = "alerts-" + TABLES.incrementAndGet();
        AuditTable.create(client, table);
        return new DynamoAuditStore(client, table, Clock.fixed(T0, ZoneOffset.UTC), Duration.ofDays(400));
    }

    static Finding finding(String id, String state, Instant time) {
        Finding f = Fixtures.hostileWrite();
        return new Finding(id, f.type(), Severity.CRITICAL, time, f.account(), f.subject(), f.repository(), f.ref(), f.roleArn(),
                state, f.accessKeyId(), f.runKey(), f.roleChain(), List.of("evt-" + id), "summary of " + id, 1, Map.of(), null, false);
    }

    static void raise(AuditStore store, List<String> destinations, Finding... findings) {
        List<Finding> list = List.of(findings);
        Instant from = list.stream().map(Finding::time).min(Instant::compareTo).orElseThrow();
        new UnitFindings(store, destinations, Settle.DEFAULT, Clock.fixed(T0, ZoneOffset.UTC))
                .replace("test:" + findings[0].id(), Set.of(findings[0].type()), from, from.plus(Duration.ofDays(1)), list, gone -> "test");
    }

    static SnsClient sns(LoopbackServer server) {
        return SnsClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(server.url("")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    /** Finding ids in the SNS requests the loopback answered with 200. */
    static List<String> published(LoopbackServer sns, Set<Integer> failed) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sns.requests.size(); i++) {
            if (failed.contains(i)) {
                continue;
            }
            String body = java.net.URLDecoder.decode(sns.requests.get(i).body(), java.nio.charset.StandardCharsets.UTF_8);
            String message = body.substring(body.indexOf("&Message=") + "&Message=".length());
            message = message.substring(0, message.indexOf("&MessageAttributes"));
            ids.add(JSON.readTree(message).get("finding").get("id").asText());
        }
        return ids;
    }

    @Test
    void findingsOfOneTypeAndStateWithinTheWindow_areOneSlackAlert_andNeverSentTwice() throws Exception {
        AuditStore store = store();
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(new SlackAlertSink(() -> slack.url("/hook"))), WINDOW, Fixtures.DASHBOARD);
            raise(store, List.of("slack"),
                    finding("f1", "acme-tfstate-prod/a/terraform.tfstate", T0),
                    finding("f2", "acme-tfstate-prod/a/terraform.tfstate", T0.plusSeconds(60)),
                    finding("f3", "acme-tfstate-prod/a/terraform.tfstate", T0.plusSeconds(120)),
                    finding("f4", "acme-tfstate-prod/b/terraform.tfstate", T0.plusSeconds(30)),
                    finding("f5", "acme-tfstate-prod/a/terraform.tfstate", T0.plus(Duration.ofMinutes(20))));

            DispatchResult r = dispatcher.dispatchDue(T0.plus(Duration.ofMinutes(21)));

            assertEquals(new DispatchResult(3, 5, 0, 0), r);
            assertEquals(3, slack.requests.size());
            List<String> titles = new ArrayList<>();
            for (LoopbackServer.Request req : slack.requests) {
                titles.add(JSON.readTree(req.body()).get("text").asText());
            }
            assertEquals(List.of("statetrail CRITICAL: state-write-unexpected-subject ×3", "statetrail CRITICAL: state-write-unexpected-subject",
                    "statetrail CRITICAL: state-write-unexpected-subject"), titles);

            assertEquals(new DispatchResult(0, 0, 0, 0), dispatcher.dispatchDue(T0.plus(Duration.ofDays(2))));
            assertEquals(3, slack.requests.size());
        }
    }

    @Test
    void aFailedPublish_isRetriedLater_withoutLossOrDuplicate() throws Exception {
        AuditStore store = store();
        Set<Integer> failed = Set.of(1);
        try (LoopbackServer server = new LoopbackServer(n -> failed.contains(n)
                ? LoopbackServer.Response.of(500, "text/xml", SnsAlertSinkTest.INTERNAL_ERROR)
                : LoopbackServer.Response.of(200, "text/xml", SnsAlertSinkTest.OK));
             SnsClient sns = sns(server)) {
            AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(new SnsAlertSink(() -> sns, SnsAlertSinkTest.TOPIC)), WINDOW, null);
            raise(store, List.of("sns"),
                    finding("g1", "acme-tfstate-prod/a/terraform.tfstate", T0),
                    finding("g2", "acme-tfstate-prod/a/terraform.tfstate", T0.plusSeconds(10)),
                    finding("g3", "acme-tfstate-prod/a/terraform.tfstate", T0.plusSeconds(20)));

            DispatchResult first = dispatcher.dispatchDue(T0.plusSeconds(30));
            assertEquals(new DispatchResult(1, 1, 2, 0), first, "g1 published, g2 failed, g3 not tried");

            assertEquals(new DispatchResult(0, 0, 0, 0), dispatcher.dispatchDue(T0.plusSeconds(40)), "backing off");

            DispatchResult retry = dispatcher.dispatchDue(T0.plus(Duration.ofHours(1)));
            assertEquals(new DispatchResult(1, 2, 0, 0), retry);
            assertEquals(new DispatchResult(0, 0, 0, 0), dispatcher.dispatchDue(T0.plus(Duration.ofDays(2))));

            List<String> ids = published(server, failed);
            assertEquals(List.of("g1", "g2", "g3"), ids, "each finding published exactly once");
        }
    }

    @Test
    void slackRateLimit_thenSuccess_deliversOnce() throws Exception {
        AuditStore store = store();
        try (LoopbackServer slack = new LoopbackServer(n -> n == 0
                ? new LoopbackServer.Response(429, "text/plain", "rate_limited", Map.of("Retry-After", "1"))
                : LoopbackServer.Response.of(200, "text/html", "ok"))) {
            AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(new SlackAlertSink(() -> slack.url("/hook"))), WINDOW, null);
            raise(store, List.of("slack"), finding("h1", "acme-tfstate-prod/a/terraform.tfstate", T0));

            assertEquals(new DispatchResult(0, 0, 1, 0), dispatcher.dispatchDue(T0));
            assertEquals(new DispatchResult(1, 1, 0, 0), dispatcher.dispatchDue(T0.plus(Duration.ofHours(1))));
            assertEquals(new DispatchResult(0, 0, 0, 0), dispatcher.dispatchDue(T0.plus(Duration.ofDays(1))));
            assertEquals(2, slack.requests.size());
            assertEquals(slack.requests.get(0).body(), slack.requests.get(1).body(), "the retry is the same message");
        }
    }

    @Test
    void eachDestinationIsTrackedOnItsOwn() throws Exception {
        AuditStore store = store();
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(503, "text/plain", "down"));
             LoopbackServer server = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/xml", SnsAlertSinkTest.OK));
             SnsClient sns = sns(server)) {
            AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(new SnsAlertSink(() -> sns, SnsAlertSinkTest.TOPIC),
                    new SlackAlertSink(() -> slack.url("/hook"))), WINDOW, null);
            raise(store, List.of("sns", "slack"), finding("k1", "acme-tfstate-prod/a/terraform.tfstate", T0));

            assertEquals(new DispatchResult(1, 1, 1, 0), dispatcher.dispatchDue(T0));
            assertEquals(new DispatchResult(0, 0, 1, 0), dispatcher.dispatchDue(T0.plus(Duration.ofHours(1))), "only Slack is retried");
            assertEquals(1, server.requests.size());
            assertEquals(2, slack.requests.size());
        }
    }

    @Test
    void twoDispatchersAtOnce_neverSendTheSameFindingTwice() throws Exception {
        AuditStore store = store();
        try (LoopbackServer slack = new LoopbackServer(n -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return LoopbackServer.Response.of(200, "text/html", "ok");
        })) {
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                findings.add(finding("c" + i, "acme-tfstate-prod/c" + i + "/terraform.tfstate", T0.plusSeconds(i)));
            }
            raise(store, List.of("slack"), findings.toArray(Finding[]::new));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Callable<DispatchResult>> jobs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jobs.add(() -> new AlertDispatcher(store, List.of(new SlackAlertSink(() -> slack.url("/hook"))), WINDOW, null)
                        .dispatchDue(T0.plusSeconds(60)));
            }
            int delivered = 0;
            for (Future<DispatchResult> f : pool.invokeAll(jobs)) {
                delivered += f.get().findingsDelivered();
            }
            pool.shutdown();
            assertEquals(10, delivered);
            Map<String, Integer> perFinding = new HashMap<>();
            for (LoopbackServer.Request r : slack.requests) {
                JsonNode ctx = JSON.readTree(r.body()).get("blocks");
                String text = ctx.toString();
                for (Finding f : findings) {
                    if (text.contains("finding `" + f.id() + "`")) {
                        perFinding.merge(f.id(), 1, Integer::sum);
                    }
                }
            }
            assertEquals(10, perFinding.size());
            assertTrue(perFinding.values().stream().allMatch(n -> n == 1), perFinding.toString());
        }
    }

    @Test
    void aLaterFindingOfAGroupThatJustAlerted_isHeldUntilTheWindowEnds_thenSentTogether() throws Exception {
        AuditStore store = store();
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            AlertDispatcher dispatcher = new AlertDispatcher(store, List.of(new SlackAlertSink(() -> slack.url("/hook"))), WINDOW, null);
            String state = "acme-tfstate-prod/held/terraform.tfstate";
            raise(store, List.of("slack"), finding("p1", state, T0));
            assertEquals(new DispatchResult(1, 1, 0, 0), dispatcher.dispatchDue(T0.plusSeconds(5)));

            raise(store, List.of("slack"), finding("p2", state, T0.plus(Duration.ofMinutes(3))));
            raise(store, List.of("slack"), finding("p3", state, T0.plus(Duration.ofMinutes(4))));
            assertEquals(new DispatchResult(0, 0, 0, 2), dispatcher.dispatchDue(T0.plus(Duration.ofMinutes(5))));
            assertEquals(1, slack.requests.size());

            assertEquals(new DispatchResult(1, 2, 0, 0), dispatcher.dispatchDue(T0.plus(Duration.ofMinutes(16))));
            assertEquals(2, slack.requests.size());
            assertEquals("statetrail CRITICAL: state-write-unexpected-subject ×2",
                    JSON.readTree(slack.requests.get(1).body()).get("text").asText());
        }
    }
}
