package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.port.AlertSink.AlertException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackAlertSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postsTheExactBlockKitPayload_withHostileStringsEscaped() throws Exception {
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            SlackAlertSink sink = new SlackAlertSink(() -> slack.url("/services/T000/B000/XXXX"));

            sink.send(Fixtures.alert(Fixtures.hostileWrite()));

            assertEquals(1, slack.requests.size());
            LoopbackServer.Request r = slack.requests.get(0);
            assertEquals("POST", r.method());
            assertEquals("/services/T000/B000/XXXX", r.path());
            assertEquals(List.of("application/json; charset=utf-8"), r.headers().get("Content-type"));
            assertEquals(EXPECTED_SINGLE, r.body());
        }
    }

    // The hostile branch "<!channel> *urgent*" and holder "@here `rm -rf` _x_ ~y~ & <@U024BE7LH>" reach Slack only
    // inside code spans, with & < > as entities and the backtick replaced, so nothing pings or formats.
    static final String EXPECTED_SINGLE = """
            {"text":"statetrail CRITICAL: state-write-unexpected-subject","blocks":[\
            {"type":"header","text":{"type":"plain_text","text":":red_circle: CRITICAL: state-write-unexpected-subject","emoji":true}},\
            {"type":"section","text":{"type":"mrkdwn","text":"`subject repo:acme/infra:ref:refs/heads/&lt;!channel&gt; *urgent* wrote state acme-tfstate-prod/infra/payments/terraform.tfstate via gha-prod-apply`","verbatim":true}},\
            {"type":"section","fields":[\
            {"type":"mrkdwn","text":"*Subject*\\n`repo:acme/infra:ref:refs/heads/&lt;!channel&gt; *urgent*`","verbatim":true},\
            {"type":"mrkdwn","text":"*Repository and ref*\\n`acme/infra` `refs/heads/&lt;!channel&gt; *urgent*`","verbatim":true},\
            {"type":"mrkdwn","text":"*Account*\\n`222222222222`","verbatim":true},\
            {"type":"mrkdwn","text":"*Time*\\n2026-11-17T14:05:40Z","verbatim":true},\
            {"type":"mrkdwn","text":"*State*\\n`acme-tfstate-prod/infra/payments/terraform.tfstate`","verbatim":true},\
            {"type":"mrkdwn","text":"*Role chain*\\n`arn:aws:iam::222222222222:role/gha-prod-apply`","verbatim":true}]},\
            {"type":"section","text":{"type":"mrkdwn","text":"*Details*\\nholder: `@here ˋrm -rfˋ _x_ ~y~ &amp; &lt;@U024BE7LH&gt;`","verbatim":true}},\
            {"type":"context","elements":[{"type":"mrkdwn","text":"Evidence: `7b1e0c55-3f0a-4f7e-9d8c-2a6b4c1d9e01` `c2f4a8e6-1b3d-4c5e-8f7a-9b0c1d2e3f40` · finding `state-write-unexpected-subject-5f0c2a9d41b7e6c83a10`","verbatim":true}]},\
            {"type":"context","elements":[{"type":"mrkdwn","text":"<https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/statetrail|Open the statetrail dashboard>","verbatim":true}]}]}""";

    @Test
    void groupedAlert_saysHowManyAndListsEveryEvidenceId() throws Exception {
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            new SlackAlertSink(() -> slack.url("/hook")).send(Fixtures.alert(Fixtures.hostileWrite(), Fixtures.second()));

            JsonNode msg = JSON.readTree(slack.requests.get(0).body());
            assertEquals("statetrail CRITICAL: state-write-unexpected-subject ×3", msg.get("text").asText());
            JsonNode blocks = msg.get("blocks");
            assertEquals(":red_circle: CRITICAL: state-write-unexpected-subject ×3", blocks.get(0).get("text").get("text").asText());
            String evidence = blocks.get(4).get("elements").get(0).get("text").asText();
            assertTrue(evidence.contains("`d3e5f7a9-0b1c-4d2e-8f3a-4b5c6d7e8f90`"), evidence);
            assertEquals("3 occurrences in 2 findings grouped, 2026-11-17T14:05:40Z to 2026-11-17T14:06:10Z; details of the first above · "
                            + "<" + Fixtures.DASHBOARD + "|Open the statetrail dashboard>",
                    blocks.get(5).get("elements").get(0).get("text").asText());
        }
    }

    @Test
    void a64KilobyteSubject_isCutToSlacksLimits() throws Exception {
        Finding f = Fixtures.hostileWrite();
        String huge = "repo:acme/infra:ref:refs/heads/" + "<!here>*".repeat(8 * 1024);
        Finding big = new Finding(f.id(), f.type(), f.severity(), f.time(), f.account(), huge, f.repository(), huge.substring(20),
                f.roleArn(), f.stateKey(), f.accessKeyId(), f.runKey(), List.of(huge, huge, huge), f.eventIds(), "subject " + huge + " wrote",
                1, Map.of("holder", huge), null, false);
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            new SlackAlertSink(() -> slack.url("/hook")).send(Fixtures.alert(big));

            String body = slack.requests.get(0).body();
            assertTrue(body.length() < 20_000, "payload of " + body.length() + " characters");
            JsonNode blocks = JSON.readTree(body).get("blocks");
            for (JsonNode block : blocks) {
                if (block.has("text")) {
                    int max = block.get("type").asText().equals("header") ? SlackText.HEADER_TEXT : SlackText.SECTION_TEXT;
                    assertTrue(block.get("text").get("text").asText().length() <= max);
                }
                for (JsonNode field : block.path("fields")) {
                    assertTrue(field.get("text").asText().length() <= SlackText.FIELD_TEXT);
                }
            }
            assertFalse(body.contains("<!here>"));
            assertTrue(blocks.get(2).get("fields").get(0).get("text").asText().endsWith("*&lt;!here&gt;*&lt;!h…`"),
                    blocks.get(2).get("fields").get(0).get("text").asText());
        }
    }

    @Test
    void serverErrorAndRateLimit_areRetryable() throws Exception {
        for (int status : new int[] {500, 503, 429}) {
            try (LoopbackServer slack = new LoopbackServer(n -> new LoopbackServer.Response(status, "text/plain", "rate_limited",
                    Map.of("Retry-After", "30")))) {
                AlertException e = assertThrows(AlertException.class,
                        () -> new SlackAlertSink(() -> slack.url("/hook")).send(Fixtures.alert(Fixtures.hostileWrite())));
                assertTrue(e.retryable(), status + ": " + e.getMessage());
                assertTrue(e.getMessage().startsWith("Slack webhook answered " + status), e.getMessage());
            }
        }
    }

    @Test
    void rejectedPayloadOrRemovedWebhook_isPermanent() throws Exception {
        for (int status : new int[] {400, 403, 404, 410}) {
            try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(status, "text/plain", "no_service"))) {
                AlertException e = assertThrows(AlertException.class,
                        () -> new SlackAlertSink(() -> slack.url("/hook")).send(Fixtures.alert(Fixtures.hostileWrite())));
                assertFalse(e.retryable(), status + ": " + e.getMessage());
            }
        }
    }

    @Test
    void unreachableWebhook_isRetryable_andNeverNamesTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String secretUrl = "http://127.0.0.1:" + port + "/services/T000/B000/SECRET";
        AlertException e = assertThrows(AlertException.class,
                () -> new SlackAlertSink(() -> secretUrl).send(Fixtures.alert(Fixtures.hostileWrite())));
        assertTrue(e.retryable());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }
}
