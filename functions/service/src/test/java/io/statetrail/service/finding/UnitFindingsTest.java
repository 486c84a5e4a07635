package io.statetrail.service.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.memory.InMemoryFindings;
import io.statetrail.service.port.AlertSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a unit's new judgement sends, on the in-memory store: pages wait for provisional evidence to settle; a finding
 * withdrawn before its page leaves no trace, one withdrawn after it is followed up; a change of who or how bad is
 * followed up once; more evidence of the same is not.
 */
class UnitFindingsTest {

    static final Instant T = Instant.parse("2026-11-17T14:05:40Z");
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Set<String> TYPES = Set.of("unlocked-state-write", "state-deleted");
    static final String SCOPE = "state:acme-tfstate-prod/app/terraform.tfstate";

    /** When the dispatcher runs: deliveries are recorded at that time. */
    Instant now = T;
    final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final InMemoryFindings store = new InMemoryFindings(clock);
    final UnitFindings unit = new UnitFindings(store, List.of("slack", "sns"), new Settle(WINDOW), Clock.fixed(T, ZoneOffset.UTC));
    final List<Alert> sent = new ArrayList<>();
    final List<String> failing = new ArrayList<>();

    static Finding finding(String id, String type, boolean provisional, String subject, String runKey, int count) {
        return new Finding(id, type, Severity.HIGH, T, "222222222222", subject, subject == null ? null : "acme/infra", null,
                "arn:aws:iam::222222222222:role/gha-prod-apply", "acme-tfstate-prod/app/terraform.tfstate", "ASIAWRITER0000000001",
                runKey, List.of(), List.of("evt-1"), "wrote state", count, Map.of(), T.plusSeconds(30), provisional);
    }

    /** The same finding with a second write ten minutes later: more evidence, nothing else changed. */
    static Finding moreEvidence(Finding f) {
        return new Finding(f.id(), f.type(), f.severity(), f.time(), f.account(), f.subject(), f.repository(), f.ref(), f.roleArn(),
                f.stateKey(), f.accessKeyId(), f.runKey(), f.roleChain(), List.of("evt-1", "evt-2"), f.summary(), 2, f.details(),
                T.plusSeconds(600), f.provisional());
    }

    List<Finding> replace(Finding... produced) {
        return unit.replace(SCOPE, TYPES, T.minusSeconds(3600), T.plusSeconds(3600), List.of(produced), gone -> "the run held the lock");
    }

    AlertDispatcher.DispatchResult dispatchAt(Instant at) {
        now = at;
        return dispatcher().dispatchDue(at);
    }

    AlertDispatcher dispatcher() {
        List<AlertSink> sinks = new ArrayList<>();
        for (String name : List.of("slack", "sns")) {
            sinks.add(new AlertSink() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String send(Alert alert) throws AlertException {
                    if (failing.contains(name)) {
                        throw new AlertException(name + " is down", true, null);
                    }
                    sent.add(alert);
                    return name + "|" + sent.size();
                }
            });
        }
        return new AlertDispatcher(store, sinks, Duration.ofMinutes(15), null, new Settle(WINDOW));
    }

    @Test
    void aProvisionalFindingIsDueWhenItsEvidenceHasSettledAndAFinalOneAtOnce() {
        replace(finding("u1", "unlocked-state-write", true, null, "ASIAWRITER0000000001", 1),
                finding("d1", "state-deleted", false, null, "ASIAWRITER0000000001", 1));
        Map<String, Instant> due = new java.util.TreeMap<>();
        for (String id : List.of("u1", "d1")) {
            for (Delivery d : store.deliveriesOf(id)) {
                due.put(id + "/" + d.destination(), d.nextAttempt());
            }
        }
        Instant settled = T.plusSeconds(30).plus(WINDOW);
        assertEquals(Map.of("u1/slack", settled, "u1/sns", settled, "d1/slack", Instant.EPOCH, "d1/sns", Instant.EPOCH), due);

        AlertDispatcher.DispatchResult early = dispatchAt(T.plusSeconds(60));
        assertEquals(List.of("d1"), sent.stream().map(a -> a.first().id()).distinct().toList(), "only the final finding pages at once");
        assertEquals(0, early.settling(), "the provisional pages are not even due yet");
        dispatchAt(settled);
        assertEquals(4, sent.size());
    }

    @Test
    void moreEvidenceMovesTheDueTimeAndTheDispatcherWaitsForIt() {
        replace(finding("u1", "unlocked-state-write", true, null, "R1", 1));
        Instant firstDue = T.plusSeconds(30).plus(WINDOW);
        failing.add("sns");
        dispatchAt(firstDue); // Slack gets it; SNS fails and is retried a minute later
        failing.clear();
        replace(moreEvidence(finding("u1", "unlocked-state-write", true, null, "R1", 1)));
        AlertDispatcher.DispatchResult r = dispatchAt(firstDue.plusSeconds(120));
        assertEquals(1, r.settling(), "the retry finds the finding's evidence now ends 10 minutes later");
        assertEquals(1, sent.size());
        Delivery sns = store.deliveriesOf("u1").stream().filter(d -> d.destination().equals("sns")).findFirst().orElseThrow();
        assertEquals(T.plusSeconds(600).plus(WINDOW), sns.nextAttempt());
        dispatchAt(T.plusSeconds(600).plus(WINDOW));
        assertEquals(List.of("raised:null", "raised:null"), sent.stream().map(a -> a.notice() + ":" + a.threadRef()).toList());
    }

    @Test
    void aPageNotYetTriedFollowsItsFindingsDueTime() {
        replace(finding("u1", "unlocked-state-write", true, null, "R1", 1));
        Finding certain = finding("u1", "unlocked-state-write", false, null, "R1", 1);
        replace(certain);
        assertTrue(store.deliveriesOf("u1").stream().allMatch(d -> d.nextAttempt().equals(Instant.EPOCH)), "due at once now");
        replace(finding("u1", "unlocked-state-write", true, null, "R1", 1));
        assertTrue(store.deliveriesOf("u1").stream().allMatch(d -> d.nextAttempt().equals(T.plusSeconds(30).plus(WINDOW))),
                "and back: the stored due time follows from the finding, whatever the order");
        assertTrue(store.deliveriesOf("u1").stream().allMatch(d -> d.lastError() == null && d.attempts() == 0));
    }

    @Test
    void aFindingWithdrawnBeforeItsPageLeavesNoTraceAndSendsNothing() {
        replace(finding("u1", "unlocked-state-write", true, null, "R1", 1));
        replace();
        assertTrue(store.storedFinding("u1").isEmpty());
        assertEquals(List.of(), store.deliveriesOf("u1"));
        dispatchAt(T.plus(Duration.ofDays(1)));
        assertEquals(List.of(), sent);
    }

    @Test
    void aFindingWithdrawnAfterItsPageIsFollowedUpWhereThePageWentAndKeptWithWhy() {
        replace(finding("d1", "state-deleted", false, null, "R1", 1));
        failing.add("sns");
        dispatchAt(T.plusSeconds(60));
        assertEquals(List.of("raised:d1"), sent.stream().map(a -> a.notice() + ":" + a.first().id()).toList());

        replace();
        var stored = store.storedFinding("d1").orElseThrow();
        assertTrue(stored.isWithdrawn());
        assertEquals("the run held the lock", stored.withdrawn().reason());
        // The page that never reached SNS is cancelled: SNS hears of neither.
        List<String> queued = store.deliveriesOf("d1").stream().filter(d -> !d.delivered()).map(d -> d.destination() + "#" + d.notice()).toList();
        assertEquals(List.of("slack#withdrawn-1"), queued);

        failing.clear();
        replace(); // judged again (a redelivery): nothing more to say
        dispatchAt(T.plusSeconds(120));
        Alert followUp = sent.get(sent.size() - 1);
        assertEquals("withdrawn", followUp.notice());
        assertEquals("slack|1", followUp.threadRef(), "a reply in the page's thread");
        assertTrue(followUp.first().summary().startsWith("Withdrawn: the run held the lock."), followUp.first().summary());
        assertEquals(2, sent.size());
    }

    @Test
    void aChangeOfWhoAfterThePageIsFollowedUpOnceAndMoreEvidenceIsNot() {
        replace(finding("d1", "state-deleted", false, null, "ASIAWRITER0000000001", 1));
        dispatchAt(T.plusSeconds(60));
        assertEquals(2, sent.size());

        replace(finding("d1", "state-deleted", false, null, "ASIAWRITER0000000001", 3));
        assertTrue(store.deliveriesOf("d1").stream().allMatch(Delivery::delivered), "a count is not worth a follow-up");

        Finding known = finding("d1", "state-deleted", false, "repo:acme/infra:ref:refs/heads/main", "ASIAROOT000000000001", 3);
        replace(known);
        replace(known);
        List<String> queued = store.deliveriesOf("d1").stream().filter(d -> !d.delivered()).map(d -> d.destination() + "#" + d.notice()).sorted().toList();
        assertEquals(List.of("slack#updated-1", "sns#updated-1"), queued, "queued once, however often it is judged");

        dispatchAt(T.plusSeconds(120));
        Alert update = sent.get(sent.size() - 1);
        assertEquals("updated", update.notice());
        assertEquals(List.of(new Alert.Change("subject", null, "repo:acme/infra:ref:refs/heads/main"),
                new Alert.Change("runKey", "ASIAWRITER0000000001", "ASIAROOT000000000001")), update.changes());
    }

    @Test
    void anUpdateThatChangedBackBeforeItWentOutIsNotSent() {
        Finding paged = finding("d1", "state-deleted", false, null, "R1", 1);
        replace(paged);
        dispatchAt(T.plusSeconds(60));
        replace(finding("d1", "state-deleted", false, "repo:acme/infra:ref:refs/heads/main", "R2", 1));
        replace(paged);
        dispatchAt(T.plusSeconds(120));
        assertEquals(2, sent.size(), "nothing changed since the page: " + sent);
        assertTrue(store.deliveriesOf("d1").stream().allMatch(Delivery::delivered));
    }

    @Test
    void aWithdrawnFindingThatHoldsAgainSaysSoOnlyIfTheWithdrawalWentOut() {
        Finding d1 = finding("d1", "state-deleted", false, null, "R1", 1);
        replace(d1);
        dispatchAt(T.plusSeconds(60));
        replace();
        replace(d1); // back before the withdrawal was sent
        assertFalse(store.storedFinding("d1").orElseThrow().isWithdrawn());
        assertTrue(store.deliveriesOf("d1").stream().allMatch(Delivery::delivered), "the withdrawal is cancelled");

        replace();
        dispatchAt(T.plusSeconds(120));
        replace(d1); // back after it was sent
        dispatchAt(T.plusSeconds(180));
        List<String> kinds = sent.stream().filter(a -> a.threadRef() != null && a.threadRef().startsWith("slack"))
                .map(Alert::notice).toList();
        assertEquals(List.of("withdrawn", "updated"), kinds);
        Alert back = sent.get(sent.size() - 1);
        assertEquals("withdrawn", back.changes().get(0).field());
    }

    /** The finding as a policy with a matching {@code suppressions:} entry drafts it. */
    static Finding suppressed(Finding f) {
        Map<String, String> details = new java.util.TreeMap<>(f.details());
        details.put(Finding.SUPPRESSED_BY, "line 24: nightly cleanup deletes old states (OPS-12)");
        return f.with(f.summary(), details);
    }

    @Test
    void aSuppressedFindingIsStoredAndNeverPaged() {
        List<Finding> created = replace(suppressed(finding("d1", "state-deleted", false, null, "R1", 1)));

        assertEquals(List.of("d1"), created.stream().map(Finding::id).toList());
        assertTrue(store.storedFinding("d1").orElseThrow().finding().suppressed(), "stored with the entry that suppressed it");
        assertEquals(List.of(), store.deliveriesOf("d1"));
        replace(suppressed(moreEvidence(finding("d1", "state-deleted", false, null, "R1", 1)))); // more of it, redelivered
        dispatchAt(T.plusSeconds(3600));
        assertEquals(List.of(), sent);
        assertEquals(List.of(), store.deliveriesOf("d1"));
    }

    @Test
    void aFindingSuppressedBeforeItsPageWentOutIsNeverSentAndPagedOnceTheEntryIsRemoved() {
        Finding u1 = finding("u1", "unlocked-state-write", true, null, "R1", 1);
        replace(u1); // provisional: its pages wait for the evidence to settle
        assertEquals(2, store.deliveriesOf("u1").size());

        replace(suppressed(u1)); // the policy gained an entry meanwhile
        assertEquals(List.of(), store.deliveriesOf("u1"), "its unsent pages are cancelled");
        dispatchAt(T.plusSeconds(3600));
        assertEquals(List.of(), sent);

        replace(u1); // the entry was removed
        dispatchAt(T.plusSeconds(7200));
        assertEquals(List.of("raised:slack", "raised:sns"), store.deliveriesOf("u1").stream().filter(Delivery::delivered)
                .map(d -> d.notice() + ":" + d.destination()).sorted().toList());
        assertEquals(2, sent.size(), "paged once to each destination");
    }

    @Test
    void aSuppressionAddedAfterThePageWentOutTakesNothingBackAndTheWithdrawalStillReachesThosePaged() {
        Finding d1 = finding("d1", "state-deleted", false, null, "R1", 1);
        replace(d1);
        dispatchAt(T.plusSeconds(60));
        assertEquals(2, sent.size());

        replace(suppressed(d1));
        assertTrue(store.storedFinding("d1").orElseThrow().finding().suppressed(), "shown as suppressed from now on");
        dispatchAt(T.plusSeconds(120));
        assertEquals(2, sent.size(), "no message: the page stands as sent");
        assertTrue(store.deliveriesOf("d1").stream().allMatch(Delivery::delivered));

        replace(); // later evidence no longer supports it
        dispatchAt(T.plusSeconds(180));
        assertEquals(List.of("withdrawn", "withdrawn"), sent.subList(2, sent.size()).stream().map(Alert::notice).toList());
    }
}
