package io.statetrail.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Acme;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.Stories;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.replay.Replay;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.properties.Deliveries.Lateness;
import io.statetrail.properties.PagingRun.Sent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A page is a promise to a person: judged on what is sent, not only on what is stored. For generated runs and every
 * bundled scenario, delivered in any order, with duplicates, same-second ties and each record, service or stream late
 * by up to the settle window, with alerts dispatched after every batch: no page goes out for a finding that does not
 * hold once every record is in, and every finding that holds is paged exactly once. Later than the window, whatever was
 * sent is corrected: a withdrawn or updated follow-up, never silence. Set {@code -DQT_SEED=…} to replay a failure.
 */
public class PagingPropertyTest {

    static final Duration WINDOW = Settle.DEFAULT_WINDOW;
    static final Settle SETTLE = new Settle(WINDOW);
    /** The ingestor's findings; the sweeper's (stale-lock, unattributed-session) are judged by time, not by arrival. */
    static final Set<String> INGESTED = Set.of(FindingType.UNEXPECTED_SUBJECT.id(), FindingType.WEB_IDENTITY_DENIED.id(),
            FindingType.STATE_WRITE_UNEXPECTED_SUBJECT.id(), FindingType.STATE_READ_UNEXPECTED_SUBJECT.id(),
            FindingType.NON_FEDERATED_STATE_WRITE.id(), FindingType.UNLOCKED_STATE_WRITE.id(), FindingType.FORCE_UNLOCK.id(),
            FindingType.STATE_DELETED.id(), FindingType.TRUST_POLICY_WEAKENED.id(), FindingType.LOCK_TABLE_CHANGED.id(),
            FindingType.STATE_BUCKET_WEAKENED.id(), FindingType.STATE_VERSION_DELETED.id(), FindingType.STATE_KEY_DISABLED.id(),
            FindingType.RUN_CLAIMS_MISMATCH.id(), FindingType.SESSION_USED_ELSEWHERE.id());
    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    // ---- generated runs ----

    @Test
    void generatedRunsDeliveredWithinTheWindowPageExactlyTheFinalFindingsOnce() {
        qt().withExamples(150).forAll(lists().of(integers().between(0, 2000)).ofSizeBetween(1, 40), integers().between(0, 5),
                longs().all()).checkAssert((steps, lateness, seed) -> {
            List<Deliveries.Record> records = records(Stories.build(steps));
            PagingRun run = PagingRun.deliver(Acme.POLICY, Deliveries.plan(records, Lateness.values()[lateness], WINDOW, seed), SETTLE);
            assertPagedExactlyTheFinalFindings(run, Acme.POLICY, records, "story " + steps + " " + Lateness.values()[lateness] + " seed " + seed);
        });
    }

    @Test
    void generatedRunsDeliveredLaterThanTheWindowAreCorrectedNeverSilently() {
        qt().withExamples(150).forAll(lists().of(integers().between(0, 2000)).ofSizeBetween(1, 40), integers().between(1, 3),
                longs().all()).checkAssert((steps, lateness, seed) -> {
            List<Deliveries.Record> records = records(Stories.build(steps));
            PagingRun run = PagingRun.deliver(Acme.POLICY, Deliveries.plan(records, Lateness.values()[lateness], WINDOW.multipliedBy(4), seed),
                    SETTLE);
            assertNothingSentWasLeftWrong(run, "story " + steps + " " + Lateness.values()[lateness] + " seed " + seed);
        });
    }

    /** Acme's policy with suppressions the stories hit: one per subject, one per state that expires mid-story, one per type. */
    static final Policy SUPPRESSING = PolicyLoader.parse(Acme.POLICY_YAML + """
            suppressions:
              - type: unexpected-subject
                subject: "repo:acme/infra:ref:refs/heads/feature/*"
                reason: feature branches may plan
              - type: unlocked-state-write
                state: "acme-tfstate-prod/infra/dns/*"
                reason: dns writes without a lock until the migration
                expires: 2026-11-05
              - type: state-read-unexpected-subject
                subject: "repo:acme/website:*"
                reason: the website reads the infra outputs
            """, "suppressing-policy.yaml", java.time.LocalDate.parse("2026-11-01"));

    @Test
    void withSuppressionsInThePolicyWhateverTheOrderTheSameFindingsAreSuppressedAndNoneOfThemIsSent() {
        java.util.concurrent.atomic.AtomicInteger suppressed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger paged = new java.util.concurrent.atomic.AtomicInteger();
        qt().withExamples(150).forAll(lists().of(integers().between(0, 2000)).ofSizeBetween(1, 40), integers().between(0, 5),
                longs().all()).checkAssert((steps, lateness, seed) -> {
            List<Deliveries.Record> records = records(Stories.build(steps));
            String what = "story " + steps + " " + Lateness.values()[lateness] + " seed " + seed;
            PagingRun run = PagingRun.deliver(SUPPRESSING, Deliveries.plan(records, Lateness.values()[lateness], WINDOW, seed), SETTLE);
            assertEquals(List.of(), run.failures, what);
            Map<String, Finding> finals = run.finals();
            Map<String, Finding> replayed = new java.util.TreeMap<>();
            replayedFindings(SUPPRESSING, records).forEach(f -> replayed.put(f.id(), f));
            assertEquals(replayed.keySet(), new TreeSet<>(finals.keySet()), what);
            for (Finding f : finals.values()) {
                // Judged on the finding (its day, not the wall clock): the replay's mark, whatever the arrival order.
                assertEquals(replayed.get(f.id()).details().get(Finding.SUPPRESSED_BY), f.details().get(Finding.SUPPRESSED_BY),
                        what + ": " + f.summary());
                long pages = run.about(f.id()).stream().filter(x -> "raised".equals(x.notice())).count();
                assertEquals(f.suppressed() ? 0 : 1, pages, what + ": pages for " + f.summary());
                (f.suppressed() ? suppressed : paged).incrementAndGet();
            }
            for (Sent sent : run.pager.sent) {
                assertTrue(finals.containsKey(sent.finding().id()) && !finals.get(sent.finding().id()).suppressed(),
                        what + ": sent about a finding that is suppressed or does not hold: " + sent);
            }
        });
        assertTrue(suppressed.get() > 50 && paged.get() > 50, "both kinds generated: " + suppressed + " suppressed, " + paged + " paged");
    }

    // ---- every bundled scenario ----

    @Test
    void everyBundledScenarioInEveryDeliveryOrderPagesExactlyItsFindingsOnce() throws Exception {
        Policy policy = PolicyLoader.load(EVENTS.resolve("policy.yaml"));
        List<Path> scenarios;
        try (Stream<Path> s = Files.list(EVENTS.resolve("scenarios"))) {
            scenarios = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(scenarios.size() >= 19, "bundled scenarios: " + scenarios);
        int pages = 0;
        for (Path scenario : scenarios) {
            List<Deliveries.Record> records = scenarioRecords(scenario);
            for (Lateness lateness : Lateness.values()) {
                for (long seed = 1; seed <= 4; seed++) {
                    PagingRun run = PagingRun.deliver(policy, Deliveries.plan(records, lateness, WINDOW, seed), SETTLE);
                    assertPagedExactlyTheFinalFindings(run, policy, records, scenario.getFileName() + " " + lateness + " seed " + seed);
                    pages += run.pages().size();
                }
            }
        }
        assertTrue(pages > 100, "the scenarios page: " + pages);
    }

    @Test
    void everyBundledScenarioDeliveredLaterThanTheWindowIsCorrectedNeverSilently() throws Exception {
        Policy policy = PolicyLoader.load(EVENTS.resolve("policy.yaml"));
        List<Path> scenarios;
        try (Stream<Path> s = Files.list(EVENTS.resolve("scenarios"))) {
            scenarios = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path scenario : scenarios) {
            List<Deliveries.Record> records = scenarioRecords(scenario);
            for (Lateness lateness : List.of(Lateness.PER_RECORD, Lateness.PER_SERVICE, Lateness.DATA_FIRST)) {
                for (long seed = 1; seed <= 3; seed++) {
                    PagingRun run = PagingRun.deliver(policy, Deliveries.plan(records, lateness, WINDOW.multipliedBy(4), seed), SETTLE);
                    assertNothingSentWasLeftWrong(run, scenario.getFileName() + " " + lateness + " seed " + seed);
                }
            }
        }
    }

    // ---- the properties ----

    public static void assertPagedExactlyTheFinalFindings(PagingRun run, Policy policy, List<Deliveries.Record> records, String what) {
        assertEquals(List.of(), run.failures, what);
        Map<String, Finding> finals = run.finals();
        // The final findings are those of a replay of the same records (the live path's order-independence; a finding a
        // long-lived key makes over several days is judged per day live, so ids are compared, not their evidence).
        assertEquals(replayed(policy, records), new TreeSet<>(finals.keySet()), what);
        for (Sent page : run.pages()) {
            assertTrue(finals.containsKey(page.finding().id()), what + ": paged a finding that does not hold: " + page.finding().summary());
        }
        for (Finding f : finals.values()) {
            long pages = run.about(f.id()).stream().filter(s -> "raised".equals(s.notice())).count();
            assertEquals(1, pages, what + ": pages for " + f.summary());
        }
        assertFalse(run.pager.sent.stream().anyMatch(s -> "withdrawn".equals(s.notice())), what + ": withdrew " + run.pager.sent);
    }

    public static void assertNothingSentWasLeftWrong(PagingRun run, String what) {
        assertEquals(List.of(), run.failures, what);
        Map<String, Finding> finals = run.finals();
        Set<String> told = new TreeSet<>();
        run.pager.sent.forEach(s -> told.add(s.finding().id()));
        for (String id : told) {
            List<Sent> about = run.about(id);
            Sent last = about.get(about.size() - 1);
            assertTrue(about.stream().filter(s -> "raised".equals(s.notice())).count() <= 1, what + ": paged twice " + about);
            Finding fin = finals.get(id);
            if (fin == null) {
                assertEquals("withdrawn", last.notice(), what + ": a page for a finding that does not hold was never withdrawn: " + about);
            } else {
                assertFalse("withdrawn".equals(last.notice()), what + ": withdrawn but it holds: " + about);
                assertEquals(fin.material(), last.finding().material(), what + ": what was last sent differs from what holds: " + about);
                if (!"raised".equals(last.notice())) {
                    assertTrue(last.threadRef() != null, what + ": a follow-up not in its page's thread: " + last);
                }
            }
        }
        for (String id : finals.keySet()) {
            assertTrue(told.contains(id), what + ": a finding that holds was never paged: " + finals.get(id).summary());
        }
    }

    // ---- inputs ----

    static List<Deliveries.Record> records(List<Rec> recs) {
        return recs.stream().map(r -> Deliveries.Record.of(r.json())).toList();
    }

    public static List<Deliveries.Record> scenarioRecords(Path dir) {
        List<String> raw = new ArrayList<>();
        for (Path file : Replay.files(List.of(dir))) {
            RawRecords.readFile(file, new RawRecords.Sink() {
                @Override
                public void record(String source, long line, String json) {
                    raw.add(json);
                }

                @Override
                public void malformed(Malformed m) {
                    throw new AssertionError("bundled scenario has malformed input: " + m);
                }
            });
        }
        // Documents without an eventTime (a digest file) arrive with the earliest record.
        List<Deliveries.Record> timed = raw.stream().map(Deliveries.Record::of).toList();
        java.time.Instant first = timed.stream().map(Deliveries.Record::time).filter(t -> !t.equals(java.time.Instant.EPOCH))
                .min(java.util.Comparator.naturalOrder()).orElse(java.time.Instant.EPOCH);
        return raw.stream().map(json -> Deliveries.Record.of(json, first)).toList();
    }

    static TreeSet<String> replayed(Policy policy, List<Deliveries.Record> records) {
        return replayedFindings(policy, records).stream().map(Finding::id).collect(Collectors.toCollection(TreeSet::new));
    }

    static List<Finding> replayedFindings(Policy policy, List<Deliveries.Record> records) {
        String text = records.stream().map(Deliveries.Record::json).collect(Collectors.joining("\n"));
        // A DeleteObjects call's state-deleted is the sweeper's, after its grace period: not the ingest's.
        return Scenario.Outcome.of(text, policy, null).findings().stream().filter(f -> INGESTED.contains(f.type()))
                .filter(f -> !io.statetrail.core.detect.StateDeleted.isBulk(f)).toList();
    }
}
