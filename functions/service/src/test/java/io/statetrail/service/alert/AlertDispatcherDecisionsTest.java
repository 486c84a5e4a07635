package io.statetrail.service.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.memory.InMemoryFindings;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.Findings.StoredFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's decisions on the in-memory deliveries, in milliseconds: what is grouped into one alert, what is held
 * for the group's window, when a failed send is tried again, what waits for its evidence to settle, where a notice goes.
 * The same dispatcher over DynamoDB Local and real sinks is tested in the alerts module.
 */
class AlertDispatcherDecisionsTest {

    static final Instant T = Instant.parse("2026-11-17T14:05:40Z");
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final String STATE_A = "acme-tfstate-prod/app/terraform.tfstate";
    static final String STATE_B = "acme-tfstate-prod/dns/terraform.tfstate";

    final TestClock clock = new TestClock(T);
    final InMemoryFindings store = new InMemoryFindings(clock);
    final Sink slack = new Sink("slack");
    final Sink sns = new Sink("sns");

    /** A destination that records what it was sent, names each message, and fails while told to. */
    static final class Sink implements AlertSink {
        final String name;
        final List<Alert> sent = new ArrayList<>();
        AlertException failWith;

        Sink(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String send(Alert alert) throws AlertException {
            if (failWith != null) {
                throw failWith;
            }
            sent.add(alert);
            return name + "|" + sent.size();
        }

        List<String> ids() {
            return sent.stream().map(a -> a.findings().stream().map(Finding::id).toList().toString()).toList();
        }
    }

    static Finding finding(String id, String type, String stateKey, Instant time, boolean provisional, Map<String, String> details) {
        return new Finding(id, type, Severity.HIGH, time, "222222222222", "repo:acme/infra:ref:refs/heads/main", "acme/infra", null,
                "arn:aws:iam::222222222222:role/gha-prod-apply", stateKey, "ASIAWRITER0000000001", "run-1", List.of(), List.of("evt-" + id),
                "wrote state", 1, details, time, provisional);
    }

    static Finding finding(String id, String stateKey, Instant time) {
        return finding(id, "unlocked-state-write", stateKey, time, false, Map.of());
    }

    /** Stores a finding with a page due now for each destination, as the ingestor does. */
    void raise(Finding f, String... destinations) {
        List<Delivery> pages = new ArrayList<>();
        for (String d : destinations) {
            pages.add(Delivery.queued(f, d, clock.instant()));
        }
        assertTrue(store.create(new StoredFinding(f, "state:" + f.stateKey(), "state:" + f.stateKey() + "|" + f.time(), null), pages));
    }

    AlertDispatcher dispatcher(AlertSink... sinks) {
        return new AlertDispatcher(store, List.of(sinks), WINDOW, null, new Settle(WINDOW));
    }

    AlertDispatcher.DispatchResult dispatchAt(Instant at, AlertSink... sinks) {
        clock.set(at);
        return dispatcher(sinks).dispatchDue(at);
    }

    @Test
    void findingsOfOneTypeAndStateWithinTheWindowAreOneAlertAndOtherStatesTheirOwn() {
        raise(finding("f1", STATE_A, T), "slack");
        raise(finding("f2", STATE_A, T.plusSeconds(300)), "slack");
        raise(finding("f3", STATE_B, T.plusSeconds(60)), "slack");
        raise(finding("f4", STATE_A, T.plus(WINDOW).plusSeconds(1)), "slack");

        AlertDispatcher.DispatchResult r = dispatchAt(T.plus(Duration.ofMinutes(20)), slack);

        // f4 is more than a window after f1: it starts the group's next alert.
        assertEquals(List.of("[f1, f2]", "[f4]", "[f3]"), slack.ids());
        assertEquals(2, slack.sent.get(0).count());
        assertEquals(3, r.alertsSent());
        assertEquals(4, r.findingsDelivered());
        assertEquals(0, dispatchAt(T.plus(Duration.ofHours(2)), slack).alertsSent(), "never sent twice");
    }

    @Test
    void aFindingOfAGroupThatJustAlertedIsHeldUntilTheWindowEndsThenSentWithTheOthers() {
        raise(finding("f1", STATE_A, T), "slack");
        dispatchAt(T, slack);
        raise(finding("f2", STATE_A, T.plusSeconds(120)), "slack");
        raise(finding("f3", STATE_A, T.plusSeconds(240)), "slack");

        AlertDispatcher.DispatchResult held = dispatchAt(T.plusSeconds(300), slack);
        assertEquals(2, held.held());
        assertEquals(1, slack.sent.size());
        assertEquals(0, dispatchAt(T.plus(WINDOW).minusSeconds(1), slack).alertsSent(), "still within the window");

        AlertDispatcher.DispatchResult after = dispatchAt(T.plus(WINDOW), slack);
        assertEquals(1, after.alertsSent());
        assertEquals(List.of("[f1]", "[f2, f3]"), slack.ids());
    }

    @Test
    void aFailedSendIsTriedAgainAfterABackoffThatDoublesAndAPermanentErrorWaitsTheLongest() {
        raise(finding("f1", STATE_A, T), "slack");
        slack.failWith = new AlertSink.AlertException("503 from Slack", true, null);

        assertEquals(1, dispatchAt(T, slack).failures());
        assertEquals(0, dispatchAt(T.plus(AlertDispatcher.FIRST_RETRY).minusSeconds(1), slack).failures(), "not yet due");
        Instant second = T.plus(AlertDispatcher.FIRST_RETRY);
        assertEquals(1, dispatchAt(second, slack).failures(), "first retry after one minute");
        assertEquals(0, dispatchAt(second.plus(Duration.ofMinutes(2)).minusSeconds(1), slack).failures());
        Instant third = second.plus(Duration.ofMinutes(2));
        assertEquals(1, dispatchAt(third, slack).failures(), "then after two");

        slack.failWith = new AlertSink.AlertException("invalid_token", false, null);
        Instant fourth = third.plus(Duration.ofMinutes(4));
        assertEquals(1, dispatchAt(fourth, slack).failures());
        assertEquals(0, dispatchAt(fourth.plus(AlertDispatcher.MAX_RETRY).minusSeconds(1), slack).failures(), "a permanent error waits");
        slack.failWith = null;
        assertEquals(1, dispatchAt(fourth.plus(AlertDispatcher.MAX_RETRY), slack).findingsDelivered(), "then it is fixed and goes out");
        assertTrue(store.deliveriesOf("f1").get(0).delivered());
        assertEquals(1, slack.sent.size());
    }

    @Test
    void aSinkThatSentSomeFindingsBeforeFailingIsRetriedOnlyForTheOthers() {
        raise(finding("f1", STATE_A, T), "sns");
        raise(finding("f2", STATE_A, T.plusSeconds(1)), "sns");
        sns.failWith = new AlertSink.AlertException("throttled", true, null, Set.of("f1"));

        AlertDispatcher.DispatchResult r = dispatchAt(T, sns);
        assertEquals(1, r.findingsDelivered());
        assertEquals(1, r.failures());

        sns.failWith = null;
        // The group alerted at T (f1 went out): f2 waits for the window, then goes alone.
        dispatchAt(T.plus(WINDOW), sns);
        assertEquals(List.of("[f2]"), sns.ids());
    }

    @Test
    void aDestinationNoLongerConfiguredKeepsItsDeliveriesAndTheOthersGoOut() {
        raise(finding("f1", STATE_A, T), "slack", "pagerduty");

        AlertDispatcher.DispatchResult r = dispatchAt(T, slack);
        assertEquals(1, r.findingsDelivered());
        assertEquals(1, r.failures());
        Map<String, Delivery> byDestination = byDestination("f1");
        assertTrue(byDestination.get("slack").delivered());
        assertTrue(!byDestination.get("pagerduty").delivered() && byDestination.get("pagerduty").lastError().contains("not configured"),
                byDestination.toString());
    }

    @Test
    void aProvisionalPageWaitsUntilItsEvidenceHasSettledAndAFinalOneGoesAtOnce() {
        raise(finding("p1", "unlocked-state-write", STATE_A, T, true, Map.of()), "slack");
        raise(finding("f1", "state-deleted", STATE_B, T, false, Map.of()), "slack");

        AlertDispatcher.DispatchResult r = dispatchAt(T.plusSeconds(30), slack);
        assertEquals(1, r.settling());
        assertEquals(List.of("[f1]"), slack.ids());
        assertEquals(0, dispatchAt(T.plus(WINDOW).minusSeconds(1), slack).alertsSent());
        assertEquals(1, dispatchAt(T.plus(WINDOW), slack).alertsSent(), "due once its last evidence is a window old");
        assertEquals(List.of("[f1]", "[p1]"), slack.ids());
    }

    @Test
    void aReminderIsItsOwnAlertAndAFollowUpGoesOnlyWhereThePageWentInItsThread() {
        Finding page = finding("f1", STATE_A, T);
        raise(page, "slack", "sns");
        sns.failWith = new AlertSink.AlertException("sns down", true, null);
        dispatchAt(T, slack, sns);

        Map<String, String> reminder = new TreeMap<>(page.details());
        reminder.put("notice", "reminder-1");
        store.enqueue(List.of(Delivery.queued(page.with("Reminder 1: wrote state", reminder), "slack", T)));
        Map<String, String> withdrawn = new TreeMap<>(page.details());
        withdrawn.put("notice", "withdrawn-1");
        // Only slack got the page: UnitFindings queues the follow-up there alone.
        store.enqueue(List.of(Delivery.queued(page.with("Withdrawn: the run held the lock", withdrawn), "slack", T)));

        dispatchAt(T.plusSeconds(60), slack);
        assertEquals(3, slack.sent.size(), slack.sent.toString());
        List<String> notices = slack.sent.stream().map(Alert::notice).toList();
        assertEquals(List.of("raised", "reminder", "withdrawn"), notices.stream().sorted((a, b) -> order(a) - order(b)).toList());
        Alert followUp = slack.sent.stream().filter(Alert::isFollowUp).findFirst().orElseThrow();
        assertEquals("slack|1", followUp.threadRef(), "replies in the page's thread");
        assertEquals(page.id(), followUp.previous().id(), "says what it follows");
    }

    private static int order(String notice) {
        return List.of("raised", "reminder", "withdrawn").indexOf(notice);
    }

    @Test
    void twoDispatchersThatReadTheSameDueDeliveriesSendEachOnce() {
        raise(finding("f1", STATE_A, T), "slack");
        raise(finding("f2", STATE_B, T), "slack");
        List<Delivery> due = store.dueDeliveries(T, 10);
        // The second dispatcher reads the same due deliveries, but the first one sends them before it claims.
        AlertDispatcher second = new AlertDispatcher(new StaleReads(store, due), List.of(slack), WINDOW, null, new Settle(WINDOW));
        dispatchAt(T, slack);
        AlertDispatcher.DispatchResult late = second.dispatchDue(T);

        assertEquals(0, late.alertsSent());
        assertEquals(List.of("[f1]", "[f2]"), slack.ids());
    }

    /** The deliveries as a dispatcher saw them before another one sent them: its claims find them changed. */
    record StaleReads(InMemoryFindings store, List<Delivery> seen) implements io.statetrail.service.port.Deliveries {
        @Override
        public List<Delivery> dueDeliveries(Instant now, int limit) {
            return seen;
        }

        @Override
        public List<Delivery> deliveriesOf(String findingId) {
            return store.deliveriesOf(findingId);
        }

        @Override
        public void enqueue(java.util.Collection<Delivery> deliveries) {
            store.enqueue(deliveries);
        }

        @Override
        public void cancel(Delivery delivery) {
            store.cancel(delivery);
        }

        @Override
        public boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
            return store.recordDelivery(delivery, delivered, error, nextAttempt, ref);
        }

        @Override
        public boolean postpone(Delivery delivery, Instant until, String note) {
            return store.postpone(delivery, until, note);
        }
    }

    private Map<String, Delivery> byDestination(String findingId) {
        Map<String, Delivery> out = new TreeMap<>();
        store.deliveriesOf(findingId).forEach(d -> out.put(d.destination(), d));
        return out;
    }
}
