package io.statetrail.api;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.policy.Glob;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Hop;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunClaims;
import io.statetrail.service.query.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A small in-memory audit trail for the API's contract tests (parameters, errors, headers, CSV): three runs shaped like
 * the samples in {@code events/}, including the hostile branch name and a stuck lock. The DynamoDB-backed tests check
 * the real answers.
 */
final class FixtureQueries implements AuditQueries {

    static final String HOSTILE = "repo:acme/infra:ref:refs/heads/<img src=x onerror=alert(1)>";
    static final String HOSTILE_RUN = "ASIAW6NHX2PA25SDGE2H";
    static final String HOP_RUN = "ASIAFIXTOOLING000001";
    static final String HOP_PROD = "ASIAFIXPROD000000002";
    static final String STALE_RUN = "ASIAW6NHX2PAEYKH2CMZ";
    static final String PROD_STATE = "acme-tfstate-prod/infra/payments/terraform.tfstate";
    static final String STALE_STATE = "acme-tfstate-prod/infra/queues/terraform.tfstate";

    final List<RunDetail> runs = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    final List<Finding> withdrawn = new ArrayList<>();
    final List<OpenLock> locks = new ArrayList<>();

    FixtureQueries() {
        Instant t0 = Instant.parse("2026-11-18T09:00:00Z");
        Finding hostile = new Finding("unexpected-subject-00112233445566778899", "unexpected-subject", Severity.HIGH, t0,
                "222222222222", HOSTILE, "acme/infra", "refs/heads/<img src=x onerror=alert(1)>",
                "arn:aws:iam::222222222222:role/gha-prod-plan", null, HOSTILE_RUN, HOSTILE_RUN,
                List.of("arn:aws:iam::222222222222:role/gha-prod-plan"), List.of("evt-hostile-1"),
                "=HYPERLINK(\"http://x\") subject not allowed to assume gha-prod-plan", 1, Map.of("who", "@evil"), null, false);
        findings.add(hostile);
        runs.add(new RunDetail(new RunSummary(HOSTILE_RUN, HOSTILE, "acme/infra", "refs/heads/<img src=x onerror=alert(1)>", null,
                t0, t0.plusSeconds(30), List.of("arn:aws:iam::222222222222:role/gha-prod-plan"), List.of("222222222222"), List.of(), 1,
                new RunClaims(new RunClaims.Claimed("4417", "roleSessionName"), null, new RunClaims.Claimed("=1+2 deploy <b>", "tag:Workflow"),
                        new RunClaims.Claimed("@evil", "tag:Actor"), null, new RunClaims.Claimed("<img src=x onerror=alert(3)>", "tag:Branch"),
                        null, "https://github.com/acme/infra/actions/runs/4417")),
                List.of(new Hop(HOSTILE_RUN, null, "AssumeRoleWithWebIdentity", "arn:aws:iam::222222222222:role/gha-prod-plan",
                        "222222222222", "GitHubActions", t0, t0.plusSeconds(3600), List.of("evt-hostile-1"), List.of())),
                List.of(hostile)));

        Instant t1 = Instant.parse("2026-11-10T12:00:00Z");
        Activity read = new Activity(t1.plusSeconds(20), "read", PROD_STATE, null, HOP_PROD, HOP_RUN, "repo:acme/platform:ref:refs/heads/main",
                "acme/platform", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222", "evt-read-1", null, null);
        LockDetails who = new LockDetails("5f1c0d2e-aaaa-bbbb-cccc-0123456789ab", "OperationTypeApply", "-runner@fv-az123", "1.9.8",
                "2026-11-10T12:00:15Z", PROD_STATE);
        Activity lock = new Activity(t1.plusSeconds(15), "lock", PROD_STATE, "s3", HOP_PROD, HOP_RUN, "repo:acme/platform:ref:refs/heads/main",
                "acme/platform", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222", "evt-lock-1", null, who);
        Activity write = new Activity(t1.plusSeconds(40), "write", PROD_STATE, null, HOP_PROD, HOP_RUN, "repo:acme/platform:ref:refs/heads/main",
                "acme/platform", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222", "evt-write-1", null, null);
        Activity unlock = new Activity(t1.plusSeconds(45), "unlock", PROD_STATE, "s3", HOP_PROD, HOP_RUN, "repo:acme/platform:ref:refs/heads/main",
                "acme/platform", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222", "evt-unlock-1", null, null);
        runs.add(new RunDetail(new RunSummary(HOP_RUN, "repo:acme/platform:ref:refs/heads/main", "acme/platform", "refs/heads/main", null,
                t1, t1.plusSeconds(45), List.of("arn:aws:iam::111111111111:role/gha-tooling", "arn:aws:iam::222222222222:role/gha-prod-apply"),
                List.of("111111111111", "222222222222"), List.of(PROD_STATE), 0, RunClaims.NONE),
                List.of(new Hop(HOP_RUN, null, "AssumeRoleWithWebIdentity", "arn:aws:iam::111111111111:role/gha-tooling", "111111111111",
                                "GitHubActions", t1, t1.plusSeconds(3600), List.of("evt-login-1"), List.of()),
                        new Hop(HOP_PROD, HOP_RUN, "AssumeRole", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222",
                                "terraform", t1.plusSeconds(10), t1.plusSeconds(3610), List.of("evt-hop-1", "evt-hop-1b"),
                                List.of(lock, read, write, unlock))),
                List.of()));

        Instant t2 = Instant.parse("2026-11-02T08:00:09Z");
        LockDetails body = new LockDetails("9d7e-stale", "OperationTypeApply", "runner@<script>alert(2)</script>", "1.9.8",
                "2026-11-02T08:00:14Z", STALE_STATE);
        Activity staleLock = new Activity(t2.plusSeconds(5), "lock", STALE_STATE, "s3", STALE_RUN, STALE_RUN,
                "repo:acme/infra:ref:refs/heads/main", "acme/infra", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222",
                "evt-stale-lock", null, body);
        Finding stale = new Finding("stale-lock-aabbccddeeff00112233", "stale-lock", Severity.MEDIUM, t2.plusSeconds(5), "222222222222",
                "repo:acme/infra:ref:refs/heads/main", "acme/infra", "refs/heads/main", "arn:aws:iam::222222222222:role/gha-prod-apply",
                STALE_STATE, STALE_RUN, STALE_RUN, List.of("arn:aws:iam::222222222222:role/gha-prod-apply"), List.of("evt-stale-lock"),
                "lock held for 3h", 1, Map.of(Finding.SUPPRESSED_BY, "line 31: nightly <i>batch</i> holds its lock"), null, false);
        Finding critical = new Finding("state-write-unexpected-subject-0123456789abcdef0123", "state-write-unexpected-subject",
                Severity.CRITICAL, t2.plusSeconds(60), "222222222222", "repo:acme/infra:ref:refs/heads/main", "acme/infra",
                "refs/heads/main", "arn:aws:iam::222222222222:role/gha-prod-apply", STALE_STATE, STALE_RUN, STALE_RUN,
                List.of("arn:aws:iam::222222222222:role/gha-prod-apply"), List.of("evt-crit-1"), "write by unexpected subject", 1, Map.of(), null, false);
        findings.add(stale);
        findings.add(critical);
        // Paged, then withdrawn once a late record showed the run held the lock; the why is attacker-influenced text.
        withdrawn.add(new Finding("unlocked-state-write-00aa11bb22cc33dd44ee", "unlocked-state-write", Severity.HIGH, t2.plusSeconds(90),
                "222222222222", "repo:acme/infra:ref:refs/heads/main", "acme/infra", "refs/heads/main",
                "arn:aws:iam::222222222222:role/gha-prod-apply", STALE_STATE, STALE_RUN, STALE_RUN, List.of(), List.of("evt-unlocked-1"),
                "wrote state without holding its lock", 1, Map.of("withdrawn", "the run held the lock when it wrote: <b>runner</b> took it",
                "withdrawnAt", "2026-11-18T10:20:00Z"), null, true));
        runs.add(new RunDetail(new RunSummary(STALE_RUN, "repo:acme/infra:ref:refs/heads/main", "acme/infra", "refs/heads/main", null,
                t2, t2.plusSeconds(60), List.of("arn:aws:iam::222222222222:role/gha-prod-apply"), List.of("222222222222"), List.of(STALE_STATE), 2, RunClaims.NONE),
                List.of(new Hop(STALE_RUN, null, "AssumeRoleWithWebIdentity", "arn:aws:iam::222222222222:role/gha-prod-apply", "222222222222",
                        "GitHubActions", t2, t2.plusSeconds(3600), List.of("evt-stale-login"), List.of(staleLock))),
                List.of(stale, critical)));
        locks.add(new OpenLock(STALE_STATE, "s3", t2.plusSeconds(5), STALE_RUN, STALE_RUN, "repo:acme/infra:ref:refs/heads/main",
                "acme/infra", "evt-stale-lock", body));
        findings.sort(Comparator.comparing(Finding::time).reversed());
    }

    @Override
    public Optional<RunDetail> lineage(String accessKeyId) {
        return runs.stream().filter(r -> r.hops().stream().anyMatch(h -> h.accessKeyId().equals(accessKeyId))).findFirst();
    }

    @Override
    public Page<RunSummary> runs(RunQuery q) {
        Predicate<RunSummary> p = r -> (q.repository() == null || q.repository().equals(r.repository()))
                && (q.subjectPattern() == null || Glob.of(q.subjectPattern()).matches(r.subject()))
                && (q.ref() == null || q.ref().equals(r.ref()))
                && (q.environment() == null || q.environment().equals(r.environment()))
                && (q.from() == null || !r.startedAt().isBefore(q.from()))
                && (q.to() == null || r.startedAt().isBefore(q.to()));
        List<RunSummary> all = runs.stream().map(RunDetail::summary).filter(p)
                .sorted(Comparator.comparing(RunSummary::startedAt).reversed()).toList();
        return page(all, q.limit(), q.cursor());
    }

    @Override
    public Optional<RunDetail> run(String runKey) {
        return runs.stream().filter(r -> r.summary().runKey().equals(runKey)).findFirst();
    }

    @Override
    public Page<Activity> stateTimeline(String stateKey, Instant from, Instant to, int limit, String cursor) {
        return page(activities(a -> stateKey.equals(a.stateKey()) && inRange(a.time(), from, to)), limit, cursor);
    }

    @Override
    public Page<Activity> activity(String who, Instant from, Instant to, int limit, String cursor) {
        Predicate<Activity> match = who.startsWith("repo:") ? a -> Glob.of(who).matches(a.subject()) : a -> who.equals(a.repository());
        return page(activities(a -> match.test(a) && inRange(a.time(), from, to)), limit, cursor);
    }

    @Override
    public List<OpenLock> openLocks() {
        return locks;
    }

    @Override
    public Page<Finding> findings(FindingQuery q) {
        List<Finding> every = new ArrayList<>(findings);
        every.addAll(withdrawn);
        List<Finding> all = every.stream().filter(f -> q.withdrawn().keeps(withdrawn.contains(f)) && (q.type() == null || q.type().equals(f.type()))
                && (q.minSeverity() == null || f.severity().atLeast(q.minSeverity()))
                && (q.repository() == null || q.repository().equals(f.repository()))
                && (q.stateKey() == null || q.stateKey().equals(f.stateKey()))
                && (q.runKey() == null || q.runKey().equals(f.runKey()))
                && inRange(f.time(), q.from(), q.to())).toList();
        return page(all, q.limit(), q.cursor());
    }

    @Override
    public Optional<Finding> finding(String id) {
        return java.util.stream.Stream.concat(findings.stream(), withdrawn.stream()).filter(f -> f.id().equals(id)).findFirst();
    }

    private List<Activity> activities(Predicate<Activity> p) {
        return runs.stream().flatMap(r -> r.hops().stream()).flatMap(h -> h.activity().stream()).filter(p)
                .sorted(Comparator.comparing(Activity::time).reversed()).toList();
    }

    private static boolean inRange(Instant t, Instant from, Instant to) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private static <T> Page<T> page(List<T> all, int limit, String cursor) {
        int start = 0;
        if (cursor != null) {
            if (!cursor.matches("c\\d{1,6}")) {
                throw new IllegalArgumentException("cursor is not one this server issued");
            }
            start = Integer.parseInt(cursor.substring(1));
        }
        int end = Math.min(all.size(), start + limit);
        return new Page<>(start >= all.size() ? List.of() : all.subList(start, end), end < all.size() ? "c" + end : null);
    }

    /** Calls by eventID, as the finding page's evidence looks them up. */
    final Map<String, io.statetrail.service.query.CallRecord> calls = new java.util.HashMap<>();

    @Override
    public Optional<io.statetrail.service.query.CallRecord> call(String eventId) {
        return Optional.ofNullable(calls.get(eventId));
    }
}
