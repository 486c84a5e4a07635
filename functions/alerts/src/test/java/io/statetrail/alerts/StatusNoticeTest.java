package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.core.finding.StatusChange;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * A status change as each destination gets it: in the page's Slack thread with who and the note as text, on
 * EventBridge as the finding JSON with its status and a {@code status-N} notice, in the alerts file on one safe line.
 */
class StatusNoticeTest {

    static final String NOTE = "<!channel> <script>alert(1)</script> *bold* `x`\u202e\nline";
    static final String BY = "arn:aws:sts::111122223333:assumed-role/Analyst/<b>eve</b>";

    static Finding notice() {
        Finding f = Fixtures.hostileWrite().withStatus(new StatusChange(FindingStatus.FALSE_POSITIVE, BY,
                Instant.parse("2026-11-18T09:00:00Z"), NOTE));
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("notice", "status-2");
        return f.with(f.summary(), details);
    }

    static Alert alert() {
        Finding f = notice();
        return new Alert(AlertDispatcher.groupKey(f), f.type(), f.severity(), List.of(f), Fixtures.DASHBOARD, null, "C0123|1762250100.000100");
    }

    @Test
    void slackSaysItInThePagesThreadWithWhoAndTheNoteAsText() throws Exception {
        Alert a = alert();
        assertTrue(a.isStatusChange());
        assertFalse(a.isFollowUp(), "not a follow-up of the page's content");
        assertTrue(a.groupKey().endsWith("|finding:" + a.first().id()), "never grouped: " + a.groupKey());
        ObjectNode msg = SlackMessage.build(a);
        assertEquals("FALSE-POSITIVE: " + a.type(), msg.at("/blocks/0/text/text").asText().replaceFirst("^:memo: ", ""));
        String all = msg.toString();
        assertFalse(all.contains("<!channel>"), "no mention reaches Slack: " + all);
        assertFalse(all.contains("<script>") || all.contains("<b>"), all);
        assertTrue(all.contains("&lt;script&gt;"), all);
    }

    @Test
    void eventBridgeGetsTheFindingJsonWithItsStatusMarkedAsAStatusNotice() throws Exception {
        EventBridgeAlertSink sink = new EventBridgeAlertSink(() -> null, "statetrail-findings");
        PutEventsRequestEntry e = sink.request(List.of(notice())).entries().get(0);
        assertEquals("statetrail", e.source());
        assertEquals("statetrail finding", e.detailType());
        JsonNode detail = new ObjectMapper().readTree(e.detail());
        assertEquals("false-positive", detail.get("status").asText());
        assertEquals(BY, detail.at("/statusChange/by").asText());
        assertEquals(NOTE, detail.at("/statusChange/note").asText());
        assertEquals("2026-11-18T09:00:00Z", detail.at("/statusChange/at").asText());
        assertEquals("status-2", detail.at("/details/notice").asText());
    }

    @Test
    void theAlertsFileShowsItOnOneLineWithoutControlCharacters() {
        String line = FileAlertSink.line(alert());
        assertTrue(line.startsWith("STATUS "), line);
        assertTrue(line.contains("false-positive by " + BY), line);
        assertFalse(line.contains("\n") || line.contains("\u202e"), line);
        assertTrue(line.contains("\\u202e") && line.contains("\\u000a"), line);
    }
}
