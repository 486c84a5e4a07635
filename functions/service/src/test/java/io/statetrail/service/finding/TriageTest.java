package io.statetrail.service.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.finding.StatusChange;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.memory.InMemoryFindingStatuses;
import io.statetrail.service.memory.InMemoryFindings;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.FindingStatuses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Triage decisions on the in-memory ports: a status change is kept with who, when and why, announced in the page's
 * thread (never to the pager); new evidence reopens a judged finding, a redelivered record does not; a restored or
 * fixed finding is resolved by statetrail.
 */
class TriageTest {

    static final Instant T = Instant.parse("2026-11-17T14:05:40Z");
    static final Set<String> TYPES = Set.of("unlocked-state-write");
    static final String SCOPE = "state:acme-tfstate-prod/app/terraform.tfstate";

    final Clock clock = Clock.fixed(T.plusSeconds(3600), ZoneOffset.UTC);
    final InMemoryFindings store = new InMemoryFindings(clock);
    final InMemoryFindingStatuses statuses = new InMemoryFindingStatuses();
    final UnitFindings unit = new UnitFindings(store, store, statuses, List.of("slack", "sns", "eventbridge"), Settle.NONE, clock);
    final Triage triage = new Triage(store, statuses, store, clock);
    final List<Alert> sent = new ArrayList<>();

    static Finding finding(String... eventIds) {
        return new Finding("unlocked-state-write-0123456789abcdef", "unlocked-state-write", Severity.HIGH, T, "222222222222",
                "repo:acme/infra:ref:refs/heads/main", "acme/infra", null, "arn:aws:iam::222222222222:role/gha-prod-apply",
                "acme-tfstate-prod/app/terraform.tfstate", "ASIAWRITER0000000001", "ASIAWRITER0000000001", List.of(),
                List.of(eventIds), "wrote state", eventIds.length, Map.of(), T, false);
    }

    void replace(Finding f) {
        unit.replace(SCOPE, TYPES, T.minusSeconds(3600), T.plusSeconds(3600), List.of(f), gone -> "gone");
    }

    void dispatch() {
        List<AlertSink> sinks = new ArrayList<>();
        for (String name : List.of("slack", "sns", "eventbridge")) {
            sinks.add(new AlertSink() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String send(Alert alert) {
                    sent.add(alert);
                    return name + "|" + sent.size();
                }
            });
        }
        new AlertDispatcher(store, sinks, Duration.ofMinutes(15), null, Settle.NONE).dispatchDue(T.plusSeconds(7200));
    }

    String id() {
        return finding().id();
    }

    @Test
    void anAcknowledgementIsKeptAndSaidInTheSlackThreadAndToEventBridgeNeverToThePager() {
        replace(finding("e1"));
        dispatch();
        String slackPage = sent.stream().filter(a -> a.notice().equals("raised")).map(a -> a.first().id()).findFirst().orElseThrow();
        assertEquals(id(), slackPage);
        sent.clear();

        Finding f = triage.change(id(), FindingStatus.ACKNOWLEDGED, "arn:aws:iam::222222222222:user/alice", "looking").orElseThrow();
        assertEquals(FindingStatus.ACKNOWLEDGED, f.status());
        assertEquals("arn:aws:iam::222222222222:user/alice", f.statusChange().by());
        assertEquals(T.plusSeconds(3600), f.statusChange().at());
        assertEquals(List.of("e1"), statuses.statusHistory(id()).get(0).evidence());
        dispatch();
        assertEquals(List.of("eventbridge", "slack"), sent.stream().map(a -> a.threadRef().split("\\|")[0]).sorted().toList(),
                "a notice to each destination the page went to but the pager, in the page's thread");
        assertTrue(sent.stream().allMatch(Alert::isStatusChange));
        assertEquals("status-1", sent.get(0).first().details().get("notice"));
        assertEquals(FindingStatus.ACKNOWLEDGED, sent.get(0).first().status());
    }

    @Test
    void unknownFindingsAndClosingWithoutANoteAreRefused() {
        assertTrue(triage.change("nope-0123456789", FindingStatus.ACKNOWLEDGED, "alice", null).isEmpty());
        replace(finding("e1"));
        assertThrows(IllegalArgumentException.class, () -> triage.change(id(), FindingStatus.FALSE_POSITIVE, "alice", null));
        assertTrue(statuses.statusHistory(id()).isEmpty(), "nothing recorded");
    }

    @Test
    void aRedeliveredRecordLeavesAJudgementAloneNewEvidenceReopensIt() {
        replace(finding("e1", "e2"));
        triage.change(id(), FindingStatus.RESOLVED, "alice", "rotated the key");
        replace(finding("e2", "e1")); // the same records judged again
        assertEquals(FindingStatus.RESOLVED, triage.withStatus(finding("e1")).status());

        replace(finding("e1", "e2", "e3"));
        List<StatusChange> h = statuses.statusHistory(id());
        assertEquals(List.of(FindingStatus.RESOLVED, FindingStatus.OPEN), h.stream().map(StatusChange::status).toList());
        assertEquals(StatusChange.SERVICE, h.get(1).by());
        assertTrue(h.get(1).note().contains("e3"), h.get(1).note());
        replace(finding("e1", "e2", "e3"));
        assertEquals(2, statuses.statusHistory(id()).size(), "reopened once");
    }

    @Test
    void aFindingFixedByAChangeIsResolvedByStatetrailUnlessAPersonClosedIt() {
        replace(finding("e1"));
        dispatch();
        triage.change(id(), FindingStatus.ACKNOWLEDGED, "alice", null);
        unit.resolve(finding("e1"), "versioning enabled again");
        StatusChange last = triage.withStatus(finding("e1")).statusChange();
        assertEquals(FindingStatus.RESOLVED, last.status());
        assertEquals(StatusChange.SERVICE, last.by());
        assertTrue(last.note().startsWith("restored at "), last.note());

        triage.change(id(), FindingStatus.FALSE_POSITIVE, "bob", "test bucket");
        unit.resolve(finding("e1"), "restored");
        assertEquals(FindingStatus.FALSE_POSITIVE, triage.withStatus(finding("e1")).status(), "a person's judgement stands");
    }
    static Finding restored(Finding f) {
        Map<String, String> details = new TreeMap<>(f.details());
        details.put(UnitFindings.RESOLVED_AT, T.plusSeconds(600).toString());
        details.put("resolution", "versioning enabled again");
        return f.with(f.summary(), details);
    }

    List<String> notices() {
        return sent.stream().map(a -> a.first().details().getOrDefault("notice", "raised")).toList();
    }

    @Test
    void aRestoredFindingsStatusLostAfterTheFindingWasWrittenIsWrittenWhenTheRecordComesAgain() {
        boolean[] throttled = {true};
        FindingStatuses flaky = new FindingStatuses() {
            @Override
            public List<StatusChange> statusHistory(String findingId) {
                return statuses.statusHistory(findingId);
            }

            @Override
            public void recordStatus(String findingId, StatusChange change) {
                if (throttled[0]) {
                    throttled[0] = false;
                    throw new IllegalStateException("ProvisionedThroughputExceededException");
                }
                statuses.recordStatus(findingId, change);
            }
        };
        UnitFindings flakyUnit = new UnitFindings(store, store, flaky, List.of("slack"), Settle.NONE, clock);
        Runnable deliver = () -> flakyUnit.replace(SCOPE, TYPES, T.minusSeconds(3600), T.plusSeconds(3600),
                List.of(restored(finding("e1"))), gone -> "gone");

        assertThrows(IllegalStateException.class, deliver::run);
        assertTrue(store.storedFinding(id()).isPresent(), "the finding was written, its status was not");
        assertTrue(statuses.statusHistory(id()).isEmpty());
        deliver.run(); // the redelivered record
        deliver.run(); // and once more
        List<StatusChange> h = statuses.statusHistory(id());
        assertEquals(1, h.size(), "resolved once: " + h);
        assertEquals(FindingStatus.RESOLVED, h.get(0).status());
        assertEquals(StatusChange.SERVICE, h.get(0).by());
    }

    @Test
    void aRestoredStoreGetsItsResolvedFollowUpAndNoStatusNoticeBesides() {
        replace(finding("e1"));
        dispatch();
        sent.clear();
        replace(restored(finding("e1")));
        dispatch();
        assertEquals(FindingStatus.RESOLVED, triage.withStatus(finding("e1")).status());
        assertTrue(notices().stream().anyMatch(n -> n.startsWith("resolved-")), notices().toString());
        assertTrue(notices().stream().noneMatch(n -> n.startsWith(Triage.NOTICE + "-")), notices().toString());
    }

    @Test
    void aFixedPostureFindingGetsItsResolvedFollowUpAndNoStatusNoticeBesides() {
        unit.replaceResolving(SCOPE, TYPES, List.of(finding("e1")), gone -> "fixed");
        dispatch();
        sent.clear();
        unit.replaceResolving(SCOPE, TYPES, List.of(), gone -> "trust policy narrowed");
        dispatch();
        assertEquals(FindingStatus.RESOLVED, triage.withStatus(finding("e1")).status());
        assertTrue(notices().stream().anyMatch(n -> n.startsWith("resolved-")), notices().toString());
        assertTrue(notices().stream().noneMatch(n -> n.startsWith(Triage.NOTICE + "-")), notices().toString());
    }
}
