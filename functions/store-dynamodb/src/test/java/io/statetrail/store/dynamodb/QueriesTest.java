package io.statetrail.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.fixture.SampleFindings;
import io.statetrail.core.policy.Glob;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunClaims;
import io.statetrail.service.query.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import io.statetrail.store.dynamodb.Samples.Raw;
import java.util.Collections;
import java.util.Random;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The incident-review questions on the table filled with every sample run. */
class QueriesTest {

    static LocalDynamo local;
    static DynamoAuditStore store;

    @BeforeAll
    static void fill() {
        local = LocalDynamo.inMemory();
        store = Samples.store(local.client());
        Samples.ingestEach(new Ingestor(store, Samples.policy(), List.of("file"), Samples.CLOCK), Samples.chronological(Samples.all()));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void lineageFollowsASessionBackToItsLoginAcrossAccounts() {
        RunDetail run = store.lineage("ASIAW6NHX2PAKCWQIIRG").orElseThrow();
        assertEquals("repo:acme/infra:pull_request", run.summary().subject());
        assertEquals("acme/infra", run.summary().repository());
        assertEquals(List.of("arn:aws:iam::111111111111:role/gha-tooling-plan", "arn:aws:iam::111111111111:role/terraform-runner",
                "arn:aws:iam::222222222222:role/terraform-prod"), run.hops().stream().map(h -> h.roleArn()).toList());
        assertEquals(List.of("acme-tfstate-prod/infra/database/terraform.tfstate"), run.summary().stateKeys());
        assertEquals(1, run.findings().size());
        assertEquals(run.summary().runKey(), store.lineage(run.hops().get(0).accessKeyId()).orElseThrow().summary().runKey());
        assertTrue(store.lineage("ASIANOTASESSIONATALL").isEmpty());
    }

    @Test
    void stateTimelinePagesNewestFirst() {
        String key = "acme-tfstate-prod/infra/database/terraform.tfstate";
        List<Activity> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Activity> page = store.stateTimeline(key, null, null, 2, cursor);
            all.addAll(page.items());
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertTrue(all.size() >= 4, all.toString());
        assertTrue(pages >= 2);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(!all.get(i).time().isAfter(all.get(i - 1).time()), "newest first");
        }
        assertTrue(all.stream().allMatch(a -> "repo:acme/infra:pull_request".equals(a.subject())), "attributed to the run's subject");
        assertEquals(all, store.stateTimeline(key, null, null, 100, null).items());
        Instant mid = all.get(all.size() / 2).time();
        assertTrue(store.stateTimeline(key, mid, null, 100, null).items().stream().noneMatch(a -> a.time().isBefore(mid)));
    }

    @Test
    void activityOfARepositoryAndOfASubjectPattern() {
        Page<Activity> website = store.activity("acme/website", null, null, 100, null);
        assertTrue(website.items().stream().anyMatch(a -> "read".equals(a.kind())
                && "acme-tfstate-prod/infra/vpc/terraform.tfstate".equals(a.stateKey())), website.items().toString());
        assertTrue(website.items().stream().allMatch(a -> "acme/website".equals(a.repository())));
        Page<Activity> pr = store.activity("repo:acme/infra:pull_request", null, null, 100, null);
        assertTrue(pr.items().stream().anyMatch(a -> "write".equals(a.kind())));
        assertTrue(pr.items().stream().allMatch(a -> "repo:acme/infra:pull_request".equals(a.subject())));
        Page<Activity> firstTwo = store.activity("repo:acme/infra:pull_request", null, null, 2, null);
        Page<Activity> rest = store.activity("repo:acme/infra:pull_request", null, null, 100, firstTwo.next());
        assertEquals(pr.items().size(), firstTwo.items().size() + rest.items().size());
    }

    @Test
    void runsOfARepository() {
        Page<RunSummary> runs = store.runs(new RunQuery("acme/infra", null, null, "production", null, null, 10, null));
        assertTrue(!runs.items().isEmpty());
        assertTrue(runs.items().stream().allMatch(r -> "production".equals(r.environment())));
        Page<RunSummary> all = store.runs(new RunQuery(null, "repo:acme/*", null, null, null, null, 3, null));
        assertEquals(3, all.items().size());
        Page<RunSummary> more = store.runs(new RunQuery(null, "repo:acme/*", null, null, null, null, 3, all.next()));
        assertTrue(more.items().stream().noneMatch(r -> all.items().stream().anyMatch(a -> a.runKey().equals(r.runKey()))));
    }

    /**
     * Listings filtered by subject read the subject index (or a repository's logins) instead of every run; they list
     * exactly the runs of the full listing that the filters match, in its order, however the trail arrived.
     */
    @Test
    void filteredListingsEqualTheFullListingFiltered_whateverTheArrivalOrder() {
        List<RunQuery> queries = new ArrayList<>();
        for (String pattern : List.of("repo:*:pull_request", "*:ref:refs/heads/main", "repo:*:environment:production", "repo:acme/infra:*",
                "repo:acme/*", "*main", "repo:acme@1234567/infra@7654321:*", "*:ref:refs/heads/<img src=x onerror=alert(1)>",
                // no index partition is complete for these: the subject catalogue chooses the partitions
                "repo:acme/inf*:pull_req*", "repo:*/infra:*", "*:pull_req*", "repo:nobody/*")) {
            queries.add(new RunQuery(null, pattern, null, null, null, null, 2, null));
        }
        for (String ref : List.of("main", "refs/heads/main", "pull_request", "feature/faster-plans", "renovate/aws-provider-6.x")) {
            queries.add(new RunQuery(null, null, ref, null, null, null, 2, null));
        }
        queries.add(new RunQuery(null, null, null, "production", null, null, 2, null));
        queries.add(new RunQuery(null, "repo:acme/*", "main", null, Instant.parse("2026-11-11T00:00:00Z"), Instant.parse("2026-11-12T00:00:00Z"), 2, null));
        List<Raw> shuffled = new ArrayList<>(Samples.all());
        shuffled.addAll(Samples.all());
        Collections.shuffle(shuffled, new Random(5));
        DynamoAuditStore other = Samples.store(local.client());
        Samples.ingestEach(new Ingestor(other, Samples.policy(), List.of("file"), Samples.CLOCK), shuffled);
        List<RunSummary> all = everyRun(store, null);
        int listed = 0;
        for (RunQuery q : queries) {
            io.statetrail.core.policy.Glob glob = q.subjectPattern() == null ? null : io.statetrail.core.policy.Glob.of(q.subjectPattern());
            List<RunSummary> expected = all.stream()
                    .filter(r -> RunListing.matches(q, glob, r.subject(), null))
                    .filter(r -> q.from() == null || !r.startedAt().isBefore(q.from()) && r.startedAt().isBefore(q.to()))
                    .toList();
            assertEquals(expected, Samples.listing(store, q), q.toString());
            assertEquals(expected, Samples.listing(other, q), "shuffled and doubled: " + q);
            listed += expected.size();
        }
        assertTrue(listed >= 40, "runs listed across the queries: " + listed);
        assertEquals(5, Samples.listing(store, new RunQuery(null, null, "pull_request", null, null, null, 2, null)).size(), "pull-request runs (plan-on-pull-request, pull-request-reads- and -writes-prod-state, plan-and-apply-concurrent, s3-object-only-in-resources)");
    }

    @Test
    void theSubjectCatalogueHoldsTheRootSubjectOfEverySummarisedRun_whateverTheArrivalOrder() {
        List<Raw> shuffled = new ArrayList<>(Samples.all());
        shuffled.addAll(Samples.all());
        Collections.shuffle(shuffled, new Random(11));
        DynamoAuditStore other = Samples.store(local.client());
        Samples.ingestEach(new Ingestor(other, Samples.policy(), List.of("file"), Samples.CLOCK), shuffled);
        Set<String> subjects = new TreeSet<>();
        for (RunSummary r : everyRun(store, null)) {
            if (r.subject() != null) {
                subjects.add(r.subject());
            }
        }
        assertTrue(subjects.size() >= 5, subjects.toString());
        for (DynamoAuditStore s : List.of(store, other)) {
            Set<String> catalogued = new TreeSet<>();
            s.subjects.read().forEach(e -> catalogued.add(e.subject()));
            assertEquals(subjects, catalogued);
        }
        assertEquals(List.of(new SubjectIndex.Partition("gsi3", SubjectIndex.TAIL, "pull_request")),
                store.subjects.partitionsFor(Glob.of("repo:acme/*:pull_req*")));
        assertEquals(List.of(), store.subjects.partitionsFor(Glob.of("repo:nobody/*")));
    }

    @Test
    void aPatternWhoseSubjectsSpreadOverTooManyPartitionsIsListedFromTheRunIndex() {
        DynamoAuditStore fresh = Samples.store(local.client());
        for (int i = 0; i <= SubjectCatalogue.MAX_PARTITIONS; i++) {
            fresh.subjects.add("repo:acme/app:ref:refs/heads/branch-" + i, null);
        }
        fresh.subjects.add("repo:acme/app:ref:refs/heads/branch-0", null); // already there: no second entry
        assertEquals(SubjectCatalogue.MAX_PARTITIONS + 1, fresh.subjects.read().size());
        assertNull(fresh.subjects.partitionsFor(Glob.of("repo:acme/*")));
        assertEquals(7, fresh.subjects.partitionsFor(Glob.of("repo:acme/*:ref:refs/heads/branch-1?")).size(), "branch-10 to branch-16");
    }

    /** Pages through every run listed by the query, two at a time. */
    private static List<RunSummary> everyRun(DynamoAuditStore on, String repository) {
        return Samples.listing(on, new RunQuery(repository, null, null, null, null, null, 2, null));
    }

    @Test
    void listedRunsEqualTheRunsComputedInFull_whateverTheArrivalOrder() {
        List<RunSummary> listed = everyRun(store, null);
        assertTrue(listed.size() >= 15, "every sample run: " + listed.size());
        assertEquals(listed.size(), listed.stream().map(RunSummary::runKey).distinct().count(), "each run once across pages");
        for (RunSummary r : listed) {
            assertEquals(store.run(r.runKey()).orElseThrow().summary(), r, "summary item of " + r.runKey());
        }
        for (int i = 1; i < listed.size(); i++) {
            assertTrue(!listed.get(i).startedAt().isAfter(listed.get(i - 1).startedAt()), "newest first");
        }
        assertTrue(listed.stream().anyMatch(r -> r.stateKeys().size() >= 2 && r.accounts().size() >= 3 && r.findings() == 0),
                "a cross-account run over two states");
        assertTrue(listed.stream().anyMatch(r -> r.findings() >= 2), "a run with findings");
        assertEquals(listed.stream().filter(r -> "acme/infra".equals(r.repository())).toList(), everyRun(store, "acme/infra"));

        // The same trail delivered shuffled, with every record twice, lists the same runs.
        List<Raw> shuffled = new ArrayList<>(Samples.all());
        shuffled.addAll(Samples.all());
        Collections.shuffle(shuffled, new Random(11));
        DynamoAuditStore other = Samples.store(local.client());
        Samples.ingestEach(new Ingestor(other, Samples.policy(), List.of("file"), Samples.CLOCK), shuffled);
        assertEquals(listed, everyRun(other, null));
    }

    @Test
    void aRunShowsWhatItClaims_labelledBySource_andItsGitHubPage() {
        // events/scenarios/run-claims-from-configure-aws-credentials: tags of the chained hop, run context in the user agent.
        RunSummary listed = everyRun(store, "acme/platform").stream()
                .filter(r -> r.claims().runId() != null && "19354027231".equals(r.claims().runId().value())).findFirst().orElseThrow();
        RunClaims c = listed.claims();
        assertEquals(new RunClaims.Claimed("19354027231", "tag:RunId"), c.runId());
        assertEquals(new RunClaims.Claimed("2", "userAgent"), c.runAttempt());
        assertEquals(new RunClaims.Claimed("Deploy platform _prod_", "tag:Workflow"), c.workflow());
        assertEquals(new RunClaims.Claimed("refs/heads/main", "tag:Branch"), c.branch());
        assertEquals(new RunClaims.Claimed("acme/platform", "tag:Repository"), c.repository());
        assertEquals("https://github.com/acme/platform/actions/runs/19354027231/attempts/2", c.url());
        assertEquals("repo:acme/platform:ref:refs/heads/main", listed.subject(), "the verified subject stands next to them");
        assertEquals(listed, store.run(listed.runKey()).orElseThrow().summary());
        // A run whose sessions claim nothing (no tags, a plain user agent) has no claims.
        assertTrue(everyRun(store, null).stream().anyMatch(r -> r.claims().equals(RunClaims.NONE)));
    }

    @Test
    void openLocksListsTheLocksNeverReleased() {
        List<OpenLock> open = store.openLocks();
        // Oldest first: the stale-lock sample, then the holder that ended and the one still running (issue 20).
        assertEquals(List.of("acme-tfstate-prod/infra/queues/terraform.tfstate", "acme-tfstate-prod/env:/prod/billing/terraform.tfstate",
                "acme-tfstate-prod/infra/search/terraform.tfstate"), open.stream().map(OpenLock::stateKey).toList());
        assertEquals("repo:acme/infra:ref:refs/heads/main", open.get(0).subject());
        assertEquals("ASIAW6NHX2PAEYKH2CMZ", open.get(0).holderAccessKeyId());
    }

    @Test
    void findingsByTimeAndSeverityWithFiltersAndCursors() {
        List<Finding> all = store.findings(new FindingQuery(null, null, null, null, null, null, null, 100, null)).items();
        assertEquals(SampleFindings.AT_INGEST, all.size(), "every ingest-time finding of the samples");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(!all.get(i).time().isAfter(all.get(i - 1).time()), "newest first");
        }
        List<Finding> critical = store.findings(new FindingQuery(null, null, null, Severity.CRITICAL, null, null, null, 100, null)).items();
        assertTrue(critical.stream().allMatch(f -> f.severity() == Severity.CRITICAL));
        assertEquals(all.stream().filter(f -> f.severity() == Severity.CRITICAL).count(), critical.size());
        List<Finding> paged = new ArrayList<>();
        String cursor = null;
        do {
            Page<Finding> p = store.findings(new FindingQuery(null, null, null, null, null, null, null, 4, cursor));
            paged.addAll(p.items());
            cursor = p.next();
        } while (cursor != null);
        assertEquals(all, paged);
        assertEquals(4, store.findings(new FindingQuery(null, null, "force-unlock", null, null, null, null, 10, null)).items().size());
        List<Finding> writes = store.findings(new FindingQuery(Instant.parse("2026-11-11T00:00:00Z"), Instant.parse("2026-11-12T00:00:00Z"),
                null, Severity.HIGH, null, "acme-tfstate-prod/infra/legacy-dns/terraform.tfstate", null, 10, null)).items();
        assertEquals(2, writes.size());
        Finding one = all.get(0);
        assertEquals(one, store.finding(one.id()).orElseThrow());
        assertNull(store.findings(new FindingQuery(null, null, null, null, null, null, null, 100, null)).next());
    }

    @Test
    void aLockTableChangeNamingNoLockIdIsShownOnTheRunThatMadeIt() {
        // lock-table-partiql-and-transactions: run C deletes B's lock with PartiQL, then runs a parameterised UPDATE.
        RunDetail c = store.lineage("ASIAW6NHX2PAFU77OA3X").orElseThrow();
        List<Activity> activity = c.hops().stream().flatMap(h -> h.activity().stream()).toList();

        assertEquals(List.of("unlock", "lock-table-change"), activity.stream().map(Activity::kind).toList());
        Activity change = activity.get(1);
        assertEquals("dynamodb:acme-tf-locks/*", change.stateKey());
        assertEquals("dynamodb:acme-tf-locks", change.lockStore());
        assertEquals("repo:acme/infra:ref:refs/heads/main", change.subject());
    }
}
