package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.port.AlertSink.AlertException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * A follow-up to a page, in each sink's own wire format: Slack's Web API answers with the message's channel and ts and
 * the follow-up replies in that thread; a webhook cannot thread, so the follow-up names the finding; SNS marks it with a
 * {@code notice} attribute; the file sink writes a line that says what it is. Hostile values stay escaped.
 */
class FollowUpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "xoxb-0000000000-0000000000000-abcdefghijklmnopqrstuvwx";

    static Alert withdrawn(String threadRef) {
        Finding f = Fixtures.hostileWrite();
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("notice", "withdrawn-1");
        details.put("withdrawn", "the run held the lock when it wrote: <!channel> took it at 2026-11-17T14:05:01Z");
        Finding notice = f.with("Withdrawn: the run held the lock. It was: " + f.summary(), details);
        return new Alert(AlertDispatcher.groupKey(notice), f.type(), f.severity(), List.of(notice), Fixtures.DASHBOARD, f, threadRef);
    }

    static Alert updated(String threadRef) {
        Finding before = Fixtures.hostileWrite();
        Map<String, String> details = new TreeMap<>(before.details());
        details.put("notice", "updated-1");
        Finding after = new Finding(before.id(), before.type(), before.severity(), before.time(), before.account(),
                "repo:acme/infra:ref:refs/heads/`main`", "acme/infra", "refs/heads/`main`", before.roleArn(), before.stateKey(),
                before.accessKeyId(), "ASIAROOTSESSION00001", before.roleChain(), before.eventIds(), before.summary(), 1, details,
                null, false);
        Finding paged = new Finding(before.id(), before.type(), before.severity(), before.time(), before.account(), null, null, null,
                before.roleArn(), before.stateKey(), before.accessKeyId(), before.accessKeyId(), before.roleChain(), before.eventIds(),
                before.summary(), 1, before.details(), null, false);
        return new Alert(AlertDispatcher.groupKey(after), after.type(), after.severity(), List.of(after), null, paged, threadRef);
    }

    static String web(String channel) {
        return "{\"botToken\": \"" + TOKEN + "\", \"channel\": \"" + channel + "\"}";
    }

    @Test
    void theWebApiNamesThePageAndTheFollowUpRepliesInItsThread() throws Exception {
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "application/json; charset=utf-8",
                "{\"ok\":true,\"channel\":\"C0123ALERTS\",\"ts\":\"1763388340.00010" + n + "\",\"message\":{\"type\":\"message\"}}"))) {
            SlackAlertSink sink = new SlackAlertSink(() -> web("C0123ALERTS"), URI.create(slack.url("/api/")),
                    HttpClient.newHttpClient(), Duration.ofSeconds(5));

            String page = sink.send(Fixtures.alert(Fixtures.hostileWrite()));
            assertEquals("C0123ALERTS|1763388340.000100", page);
            String reply = sink.send(withdrawn(page));
            assertEquals("C0123ALERTS|1763388340.000101", reply);

            assertEquals(2, slack.requests.size());
            LoopbackServer.Request first = slack.requests.get(0);
            assertEquals("/api/chat.postMessage", first.path());
            assertEquals(List.of("Bearer " + TOKEN), first.headers().get("Authorization"));
            JsonNode pageBody = JSON.readTree(first.body());
            assertEquals("C0123ALERTS", pageBody.get("channel").asText());
            assertFalse(pageBody.has("thread_ts"), "a page starts its own thread");
            assertEquals(JSON.readTree(SlackAlertSinkTest.EXPECTED_SINGLE).get("blocks"), pageBody.get("blocks"), "the same blocks as by webhook");

            JsonNode followUp = JSON.readTree(slack.requests.get(1).body());
            assertEquals("1763388340.000100", followUp.get("thread_ts").asText());
            assertEquals("statetrail WITHDRAWN: state-write-unexpected-subject (was CRITICAL)", followUp.get("text").asText());
            assertEquals(":white_check_mark: WITHDRAWN: state-write-unexpected-subject (was CRITICAL)",
                    followUp.at("/blocks/0/text/text").asText());
            String details = followUp.at("/blocks/3/text/text").asText();
            assertTrue(details.contains("withdrawn: `the run held the lock when it wrote: &lt;!channel&gt; took it at 2026-11-17T14:05:01Z`"),
                    details);
            assertFalse(slack.requests.get(1).body().contains("<!channel>"), "no mention can form");
        }
    }

    @Test
    void anUpdateSaysWhatChangedSinceTheLastMessage_escaped() throws Exception {
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"))) {
            String ref = new SlackAlertSink(() -> slack.url("/hook")).send(updated(null));
            assertEquals(null, ref, "a webhook names no message");
            JsonNode msg = JSON.readTree(slack.requests.get(0).body());
            assertEquals(":arrows_counterclockwise: UPDATED: CRITICAL: state-write-unexpected-subject", msg.at("/blocks/0/text/text").asText());
            assertEquals("*What changed since the last message*\nsubject: (unknown) → `repo:acme/infra:ref:refs/heads/ˋmainˋ`"
                    + "\nrunKey: `ASIAW6NHX2PA5XM55PNX` → `ASIAROOTSESSION00001`", msg.at("/blocks/2/text/text").asText());
            String footer = msg.at("/blocks/6/elements/0/text").asText();
            assertTrue(footer.startsWith("Follows up the alert about finding `state-write-unexpected-subject-5f0c2a9d41b7e6c83a10`"), footer);
        }
    }

    @Test
    void webApiErrorsAreExplainedWithoutTheTokenAndOnlyTransientOnesAreRetried() throws Exception {
        for (String error : List.of("channel_not_found", "ratelimited")) {
            try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "application/json",
                    "{\"ok\":false,\"error\":\"" + error + "\"}"))) {
                SlackAlertSink sink = new SlackAlertSink(() -> web("C0123ALERTS"), URI.create(slack.url("/api/")),
                        HttpClient.newHttpClient(), Duration.ofSeconds(5));
                AlertException e = assertThrows(AlertException.class, () -> sink.send(Fixtures.alert(Fixtures.hostileWrite())));
                assertEquals("Slack Web API error " + error, e.getMessage());
                assertEquals(error.equals("ratelimited"), e.retryable());
                assertFalse(e.getMessage().contains(TOKEN));
            }
        }
        AlertException bad = assertThrows(AlertException.class,
                () -> new SlackAlertSink(() -> "{\"botToken\": \"" + TOKEN + "\"}").send(Fixtures.alert(Fixtures.hostileWrite())));
        assertEquals("Slack secret JSON needs botToken and channel", bad.getMessage());
        assertFalse(bad.retryable());
    }

    @Test
    void snsMarksAFollowUpWithItsNoticeAndTheBodySaysWhy() throws Exception {
        PublishRequest r = new SnsAlertSink(() -> null, "arn:aws:sns:eu-west-1:111111111111:statetrail-alerts")
                .request(withdrawn(null), withdrawn(null).first());
        assertEquals(MessageAttributeValue.builder().dataType("String").stringValue("withdrawn").build(), r.messageAttributes().get("notice"));
        assertEquals("statetrail withdrawn critical state-write-unexpected-subject", r.subject());
        JsonNode body = JSON.readTree(r.message());
        assertEquals("withdrawn", body.at("/notice/kind").asText());
        assertEquals("withdrawn-1", body.at("/notice/name").asText());
        assertEquals("the run held the lock when it wrote: <!channel> took it at 2026-11-17T14:05:01Z", body.at("/notice/reason").asText());

        JsonNode update = JSON.readTree(new SnsAlertSink(() -> null, "arn:aws:sns:eu-west-1:111111111111:statetrail-alerts")
                .request(updated(null), updated(null).first()).message());
        assertEquals("updated", update.at("/notice/kind").asText());
        assertEquals("subject", update.at("/notice/changes/0/field").asText());
        assertTrue(update.at("/notice/changes/0/before").isNull());
        assertEquals("ASIAROOTSESSION00001", update.at("/notice/changes/1/after").asText());
        assertFalse(JSON.readTree(AlertJson.messageText(Fixtures.alert(Fixtures.hostileWrite()), Fixtures.hostileWrite())).has("notice"),
                "a page has no notice block");
    }

    @Test
    void theFileSinkWritesTheFollowUpAndSaysWhatItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        new FileAlertSink(file, new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)).send(withdrawn(null));
        JsonNode line = JSON.readTree(Files.readAllLines(file).get(0));
        assertEquals("withdrawn", line.at("/notice/kind").asText());
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("WITHDRAWN critical state-write-unexpected-subject"),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
