package io.statetrail.service.ingest;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.FEATURE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.AlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/**
 * The ingestor's decisions on the in-memory store, in milliseconds: which evaluation units a call re-judges when it
 * arrives (the days around a state call, every state a late login's or hop's run touched, the release a late
 * acquisition pairs with), and what a retraction queues (nothing if the page has not gone out; a withdrawn notice where
 * it went if it has). Over DynamoDB Local the same ingest is the store's contract test (store-dynamodb).
 */
class IngestorDecisionsTest {

    static final String NETWORK = "infra/network/terraform.tfstate";
    static final String DNS = "infra/dns/terraform.tfstate";
    static final String WEBSITE = "website/terraform.tfstate";
    static final Duration WINDOW = Settle.DEFAULT_WINDOW;

    final TestClock clock = new TestClock(Instant.parse("2026-11-04T10:05:00Z"));
    final InMemoryAuditStore store = new InMemoryAuditStore(clock);
    final Ingestor ingestor = new Ingestor(store, POLICY, List.of("slack", "sns"), clock, new Settle(WINDOW));

    static String state(String key) {
        return "state:" + BUCKET + "/" + key;
    }

    List<Finding> ingest(Rec... records) {
        List<Finding> created = new ArrayList<>();
        for (Rec r : records) {
            IngestResult result = ingestor.ingest("test:" + r.eventId(), r.eventBridge());
            assertNull(result.failure());
            created.addAll(result.newFindings());
        }
        return created;
    }

    SortedSet<String> judgedBy(Rec arriving) {
        store.findingStore().judgedSinceLastAsked();
        ingest(arriving);
        return store.findingStore().judgedSinceLastAsked();
    }

    static List<String> types(List<Finding> findings) {
        return findings.stream().map(f -> f.type() + " " + (f.stateKey() == null ? "" : f.stateKey())).sorted().toList();
    }

    // ---- what is kept of each call (issue 15) ----

    @Test
    void eachCallKeepsItsRecordMinusSecrets_fromAnEventBridgeEventOrALogFile() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Rec write = job.write(BUCKET, NETWORK);
        Rec login = s.records().get(0);
        ingest(login);
        ingestor.ingest("test:logfile", "{\"Records\":[" + write.json() + "]}");

        String loginRecord = store.call(login.eventId()).orElseThrow().record();
        assertTrue(loginRecord.contains("\"sessionToken\":\"<redacted>\""), loginRecord);
        assertFalse(loginRecord.contains(login.sessionToken()), "the session token is not kept");
        assertTrue(loginRecord.contains(job.key()), "the issued key is kept: analysts pivot on it");
        assertEquals(io.statetrail.core.cloudtrail.RecordRedaction.redact(write.json()).orElseThrow(),
                store.call(write.eventId()).orElseThrow().record(), "the record out of the log file");
    }

    // ---- which units an arriving call re-judges ----

    @Test
    void aStateCallJudgesItsStateOnTheDayBeforeTheDayAndTheDayAfter() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Rec write = job.write(BUCKET, NETWORK);
        ingest(s.records().get(0));

        SortedSet<String> judged = judgedBy(write);

        assertTrue(judged.contains(state(NETWORK) + " 2026-11-03..2026-11-06"), judged.toString());
        assertFalse(judged.stream().anyMatch(u -> u.startsWith("login:")), "a state call leaves the login alone: " + judged);
    }

    @Test
    void aCallFromElsewhereArrivingBeforeItsRunsLoginIsJudgedWithTheRunWhenTheLoginArrives() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Rec login = s.records().get(0);
        Credentials hop = job.assumeRole(TERRAFORM_PROD_ROLE);
        Rec stolen = hop.read(BUCKET, NETWORK).set("sourceIPAddress", "203.0.113.9");
        assertEquals(List.of(), types(ingest(s.records().get(1), stolen)), "no run yet: nothing to judge the address against");

        SortedSet<String> judged = judgedBy(login);

        assertTrue(judged.contains("run:" + job.key()), "the run's own units once its login arrives: " + judged);
        Finding f = store.findings().stream().filter(x -> x.type().equals("session-used-elsewhere")).findFirst().orElseThrow();
        assertEquals("203.0.113.9", f.details().get("sourceAddress"));
        assertEquals(job.key(), f.runKey());
    }

    @Test
    void aNewCallOfAKnownRunReJudgesTheRunsOwnUnits_andACallFromItsLoginAddressRaisesNothing() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Rec read = job.read(BUCKET, NETWORK);
        ingest(s.records().get(0));

        SortedSet<String> judged = judgedBy(read);

        assertTrue(judged.contains("run:" + job.key()), judged.toString());
        assertEquals(List.of(), store.findings().stream().filter(x -> x.type().equals("session-used-elsewhere")).toList());
    }

    @Test
    void aLateLoginReJudgesEveryStateItsRunTouchedThroughEveryHopAndNoOther() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(FEATURE, APPLY_ROLE);
        Rec login = s.records().get(0);
        job.read(BUCKET, DNS);
        Credentials hop = job.assumeRole(TERRAFORM_PROD_ROLE);
        hop.write(BUCKET, NETWORK);
        Credentials other = s.login(MAIN, APPLY_ROLE);
        other.write(BUCKET, WEBSITE);
        List<Rec> rest = new ArrayList<>(s.records());
        rest.remove(login);
        ingest(rest.toArray(Rec[]::new));
        String hopWrite = "state-write-unexpected-subject " + BUCKET + "/" + NETWORK;
        assertFalse(types(store.findings()).contains(hopWrite), "without its login the run's subject is unknown");

        SortedSet<String> judged = judgedBy(login);

        assertTrue(judged.containsAll(Set.of("login:" + job.key(), state(DNS), state(NETWORK), "unattributed:" + job.key())), judged.toString());
        assertFalse(judged.contains(state(WEBSITE)), "another run's state: " + judged);
        assertTrue(types(store.findings()).containsAll(List.of(hopWrite, "unexpected-subject ")),
                "the hop's write is judged with the subject the login names: " + types(store.findings()));
    }

    @Test
    void aLateHopReJudgesOnlyWhatItsOwnSessionTouched() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        job.read(BUCKET, DNS);
        Credentials hop = job.assumeRole(TERRAFORM_PROD_ROLE);
        Rec hopCall = s.records().get(s.records().size() - 1);
        hop.write(BUCKET, NETWORK);
        List<Rec> rest = new ArrayList<>(s.records());
        rest.remove(hopCall);
        ingest(rest.toArray(Rec[]::new));

        SortedSet<String> judged = judgedBy(hopCall);

        assertTrue(judged.containsAll(Set.of(state(NETWORK), "unattributed:" + hop.key())), judged.toString());
        assertFalse(judged.contains(state(DNS)), "the parent's own calls do not change: " + judged);
        assertFalse(judged.stream().anyMatch(u -> u.startsWith("login:")), "a hop is no login: " + judged);
    }

    @Test
    void aLateAcquisitionAlsoReJudgesTheReleaseDaysLaterThatItNowPairsWith() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Rec lock = job.lock(BUCKET, NETWORK);
        job.write(BUCKET, NETWORK);
        s.after(Duration.ofDays(3));
        Credentials later = s.login(MAIN, APPLY_ROLE);
        later.unlock(BUCKET, NETWORK);
        List<Rec> rest = new ArrayList<>(s.records());
        rest.remove(lock);
        ingest(rest.toArray(Rec[]::new));

        SortedSet<String> judged = judgedBy(lock);

        // The acquisition's days (3rd to 5th) and the release's (6th to 8th), judged in one read.
        assertTrue(judged.contains(state(NETWORK) + " 2026-11-03..2026-11-09"), judged.toString());
    }

    @Test
    void aRedeliveredCallJudgesAgainButCreatesAndQueuesNothing() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(FEATURE, APPLY_ROLE);
        Rec write = job.write(BUCKET, NETWORK);
        List<Finding> first = ingest(s.records().toArray(Rec[]::new));
        assertEquals(List.of("state-write-unexpected-subject " + BUCKET + "/" + NETWORK, "unexpected-subject ",
                "unlocked-state-write " + BUCKET + "/" + NETWORK), types(first));
        int queued = deliveries();

        assertEquals(List.of(), ingest(write, s.records().get(0)));
        assertEquals(queued, deliveries());
        assertEquals(first.stream().map(Finding::id).sorted().toList(), store.findings().stream().map(Finding::id).sorted().toList());
    }

    private int deliveries() {
        return store.findings().stream().mapToInt(f -> store.deliveriesOf(f.id()).size()).sum();
    }

    // ---- what a retraction queues ----

    /** A job that locks, writes and releases; the lock call arrives last. */
    private Rec[] lockArrivingLast(Scenario s) {
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Rec lock = job.lock(BUCKET, NETWORK);
        job.write(BUCKET, NETWORK);
        job.unlock(BUCKET, NETWORK);
        List<Rec> rest = new ArrayList<>(s.records());
        rest.remove(lock);
        ingest(rest.toArray(Rec[]::new));
        return new Rec[] {lock};
    }

    @Test
    void aFindingRetractedBeforeItsPageWentOutLeavesNothingQueuedAndNothingIsSent() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        clock.set(Instant.parse("2026-11-04T10:03:00Z"));
        Rec[] late = lockArrivingLast(s);
        Finding unlocked = only("unlocked-state-write");
        assertTrue(unlocked.provisional(), "a write without a lock may still see its lock arrive");
        Recorder sent = new Recorder("slack");
        assertEquals(0, dispatch(sent, clock.instant()).alertsSent(), "its page waits for the evidence to settle");

        clock.set(Instant.parse("2026-11-04T10:09:00Z"));
        ingest(late);

        assertTrue(store.findingStore().storedFinding(unlocked.id()).isEmpty(), "never paged: no trace");
        assertEquals(List.of(), store.deliveriesOf(unlocked.id()));
        dispatch(sent, clock.instant().plus(WINDOW.multipliedBy(2)));
        assertEquals(List.of(), sent.notices);
    }

    @Test
    void aFindingRetractedAfterItsPageQueuesAWithdrawnNoticeOnlyWhereThePageWent() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        clock.set(Instant.parse("2026-11-04T10:03:00Z"));
        Rec[] late = lockArrivingLast(s);
        Finding unlocked = only("unlocked-state-write");
        Recorder slack = new Recorder("slack");
        Recorder sns = new Recorder("sns");
        sns.down = true;
        Instant settled = unlocked.lastSeen().plus(WINDOW);
        dispatch(slack, sns, settled);
        assertEquals(List.of("raised " + unlocked.id()), slack.notices);

        clock.set(settled.plus(Duration.ofMinutes(5)));
        ingest(late);

        Finding withdrawn = store.findingStore().storedFinding(unlocked.id()).orElseThrow().finding();
        assertEquals(unlocked.id(), withdrawn.id());
        assertTrue(store.findingStore().storedFinding(unlocked.id()).orElseThrow().isWithdrawn(), "kept, with why");
        List<String> queued = store.deliveriesOf(unlocked.id()).stream().filter(d -> !d.delivered())
                .map(d -> d.destination() + " " + d.notice()).sorted().toList();
        assertEquals(List.of("slack withdrawn-1"), queued, "sns never got the page: its page is cancelled, no notice");
        sns.down = false;
        dispatch(slack, sns, clock.instant());
        assertEquals(List.of("raised " + unlocked.id(), "withdrawn " + unlocked.id()), slack.notices);
        assertEquals(List.of(), sns.notices);
    }

    private Finding only(String type) {
        List<Finding> of = store.findings().stream().filter(f -> f.type().equals(type)).toList();
        assertEquals(1, of.size(), store.findings().toString());
        return of.get(0);
    }

    /** A destination that records what it was sent, or is down. */
    static final class Recorder implements AlertSink {
        final String name;
        final List<String> notices = new ArrayList<>();
        boolean down;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String send(Alert alert) throws AlertException {
            if (down) {
                throw new AlertException(name + " is down", true, null);
            }
            alert.findings().forEach(f -> notices.add(alert.notice() + " " + f.id()));
            return name + "|" + notices.size();
        }
    }

    AlertDispatcher.DispatchResult dispatch(Recorder sink, Instant at) {
        return new AlertDispatcher(store, List.of(sink), AlertDispatcher.DEFAULT_GROUP_WINDOW, null, new Settle(WINDOW)).dispatchDue(at);
    }

    AlertDispatcher.DispatchResult dispatch(Recorder a, Recorder b, Instant at) {
        clock.set(at);
        return new AlertDispatcher(store, List.of(a, b), AlertDispatcher.DEFAULT_GROUP_WINDOW, null, new Settle(WINDOW)).dispatchDue(at);
    }

    // ---- suppressions ----

    @Test
    void aFindingThePolicySuppressesIsStoredMarkedWithoutPagesAndAnotherIsPaged() {
        io.statetrail.core.policy.Policy suppressing = io.statetrail.core.policy.PolicyLoader.parse(io.statetrail.core.fixture.Acme.POLICY_YAML
                + """
                suppressions:
                  - type: unexpected-subject
                    subject: "repo:acme/infra:ref:refs/heads/feature/*"
                    reason: feature branches may plan
                """, "policy.yaml", java.time.LocalDate.parse("2026-11-01"));
        Ingestor judging = new Ingestor(store, suppressing, List.of("slack", "sns"), clock, new Settle(WINDOW));
        Scenario s = new Scenario();
        s.login(FEATURE, APPLY_ROLE);
        s.login(io.statetrail.core.fixture.Acme.OTHER_REPO_PR, APPLY_ROLE);

        for (Rec r : s.records()) {
            assertNull(judging.ingest("test:" + r.eventId(), r.eventBridge()).failure());
        }

        List<Finding> stored = store.findings().stream().filter(f -> f.type().equals("unexpected-subject"))
                .sorted(java.util.Comparator.comparing(Finding::subject)).toList();
        assertEquals(List.of(FEATURE, io.statetrail.core.fixture.Acme.OTHER_REPO_PR), stored.stream().map(Finding::subject).toList());
        long entryLine = io.statetrail.core.fixture.Acme.POLICY_YAML.lines().count() + 2; // after the policy and "suppressions:"
        assertEquals("line " + entryLine + ": feature branches may plan", stored.get(0).details().get(Finding.SUPPRESSED_BY));
        assertEquals(List.of(), store.deliveriesOf(stored.get(0).id()), "suppressed: no page queued");
        assertFalse(stored.get(1).suppressed());
        assertEquals(2, store.deliveriesOf(stored.get(1).id()).size(), "the other is paged to both destinations");
    }
}
