package io.statetrail.core.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusChangeTest {

    static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void theFourStatusesReadAsTheirContractStrings() {
        assertEquals(FindingStatus.FALSE_POSITIVE, FindingStatus.parse(" False-Positive "));
        assertEquals("acknowledged", FindingStatus.ACKNOWLEDGED.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FindingStatus.parse("closed"));
        assertTrue(e.getMessage().contains("expected open, acknowledged, resolved or false-positive"), e.getMessage());
    }

    @Test
    void resolvingOrCallingItAFalsePositiveNeedsANoteAcknowledgingDoesNot() {
        assertThrows(IllegalArgumentException.class, () -> new StatusChange(FindingStatus.RESOLVED, "alice", T, " "));
        assertThrows(IllegalArgumentException.class, () -> new StatusChange(FindingStatus.FALSE_POSITIVE, "alice", T, null));
        assertNull(new StatusChange(FindingStatus.ACKNOWLEDGED, "alice", T, "").note());
        assertThrows(IllegalArgumentException.class, () -> new StatusChange(FindingStatus.ACKNOWLEDGED, "", T, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new StatusChange(FindingStatus.ACKNOWLEDGED, "alice", T, "x".repeat(StatusChange.MAX_NOTE + 1)));
    }

    @Test
    void onlyAnEventIdTheJudgementDidNotCoverReopens() {
        StatusChange acked = new StatusChange(FindingStatus.ACKNOWLEDGED, "alice", T, null, List.of("e2", "e1"));
        assertTrue(StatusChange.reopening(acked, List.of("e1", "e2", "e1"), T.plusSeconds(60)).isEmpty(), "redelivered evidence");
        assertTrue(StatusChange.reopening(null, List.of("e1", "e3"), T).isEmpty(), "never triaged: open already");
        StatusChange reopened = StatusChange.reopening(acked, List.of("e3", "e1", "e2"), T.plusSeconds(60)).orElseThrow();
        assertEquals(FindingStatus.OPEN, reopened.status());
        assertEquals(StatusChange.SERVICE, reopened.by());
        assertEquals(List.of("e1", "e2", "e3"), reopened.evidence());
        assertTrue(reopened.note().contains("e3") && reopened.note().contains("acknowledged"), reopened.note());
        for (FindingStatus judged : List.of(FindingStatus.RESOLVED, FindingStatus.FALSE_POSITIVE)) {
            StatusChange c = new StatusChange(judged, "alice", T, "fixed", List.of("e1"));
            assertTrue(StatusChange.reopening(c, List.of("e1", "e9"), T).isPresent(), judged.label());
        }
    }

    @Test
    void theFindingJsonCarriesStatusAndItsLatestChangeAndReadsThemBack() {
        Finding f = new Finding("stale-lock-0123456789abcdef", "stale-lock", Severity.HIGH, T, "111122223333", null, null, null,
                null, "b/k", null, null, List.of(), List.of("e1"), "s", 1, Map.of(), T, false);
        assertEquals("open", FindingJson.toJson(f).get("status").asText());
        assertTrue(FindingJson.toJson(f).path("statusChange").isMissingNode());
        StatusChange c = new StatusChange(FindingStatus.FALSE_POSITIVE, "arn:aws:iam::111122223333:user/<b>ann</b>", T, "<script>x</script>");
        ObjectNode o = FindingJson.toJson(f.withStatus(c));
        assertEquals("false-positive", o.get("status").asText());
        assertEquals("<script>x</script>", o.get("statusChange").get("note").asText());
        assertEquals(T.toString(), o.get("statusChange").get("at").asText());
        assertEquals(c, FindingJson.fromJson(o).statusChange());
        ObjectNode single = FindingJson.toJson(f.withStatus(c), List.of(new StatusChange(FindingStatus.ACKNOWLEDGED, "bob", T.minusSeconds(5), null), c));
        assertEquals("acknowledged", single.get("statusHistory").get(0).get("status").asText());
        assertTrue(single.get("statusHistory").get(0).get("note").isNull());
        assertEquals(2, single.get("statusHistory").size());
    }

    @Test
    void ocsfSaysInProgressForAnAcknowledgedFinding() {
        Finding f = new Finding("stale-lock-0123456789abcdef", "stale-lock", Severity.HIGH, T, "111122223333", null, null, null,
                null, "b/k", null, null, List.of(), List.of("e1"), "s", 1, Map.of(), T, false)
                .withStatus(new StatusChange(FindingStatus.ACKNOWLEDGED, "bob", T, null));
        ObjectNode o = OcsfFinding.toOcsf(f, "1.0");
        assertEquals(2, o.get("status_id").asInt());
        assertEquals("In Progress", o.get("status").asText());
    }
}
