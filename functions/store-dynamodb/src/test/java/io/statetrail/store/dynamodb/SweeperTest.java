package io.statetrail.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.sweep.Sweeper;
import io.statetrail.store.dynamodb.Samples.Raw;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The sweeper against DynamoDB Local. The lock probe and the CloudTrail lookup are ports (AWS calls), so the tests give
 * fixed answers for them; everything else is the real store and the real core detections.
 */
class SweeperTest {

    static final String STALE_STATE = "acme-tfstate-prod/infra/queues/terraform.tfstate";
    static final Instant NOW = Instant.parse("2026-11-02T11:00:14Z");
    static final Instant FAR = Instant.parse("2030-01-01T00:00:00Z");
    static final TrailLookup NOTHING = (key, from, to) -> List.of();

    static LocalDynamo local;
    static DynamoDbClient client;
    static Policy policy;

    @BeforeAll
    static void start() {
        local = LocalDynamo.inMemory();
        client = local.client();
        policy = Samples.policy();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static DynamoAuditStore staleLockRun() {
        DynamoAuditStore store = Samples.store(client);
        Samples.ingestEach(new Ingestor(store, policy, List.of("file"), Samples.CLOCK),
                Samples.chronological(Samples.records(Samples.EVENTS.resolve("scenarios/stale-lock"))));
        assertEquals(1, store.openLocks().size(), "the lock taken and never released");
        return store;
    }

    static Sweeper sweeper(DynamoAuditStore store, LockProbe probe, TrailLookup lookup) {
        return new Sweeper(store, policy, probe, lookup, List.of("file"), Duration.ofHours(4), Duration.ofMinutes(15));
    }

    static List<Finding> findings(DynamoAuditStore store, String type) {
        return store.findings(new FindingQuery(null, null, type, null, null, null, null, 100, null)).items();
    }

    @Test
    void aLockAlreadyGoneInItsStoreRaisesNothing() {
        DynamoAuditStore store = staleLockRun();
        Sweeper.SweepResult r = sweeper(store, (k, s, a, g) -> new LockProbe.Probe(LockProbe.State.GONE, Optional.empty(), null), NOTHING)
                .sweep(NOW);
        assertEquals(1, r.locksChecked());
        assertEquals(0, r.staleRaised());
        assertTrue(findings(store, "stale-lock").isEmpty());
        assertTrue(store.dueDeliveries(FAR, 100).isEmpty(), "nobody is paged");
        assertTrue(store.openLocks().isEmpty(), "the lock found gone is no longer listed as open");
        // and later sweeps leave it alone
        assertEquals(0, sweeper(store, (k, s, a, g) -> { throw new AssertionError("probed again"); }, NOTHING).sweep(NOW.plusSeconds(3600)).locksChecked());
    }

    @Test
    void aLockStillHeldRaisesStaleLockOnceThenReminds() {
        DynamoAuditStore store = staleLockRun();
        LockDetails body = new LockDetails("0f1e2d3c-lock-id", "OperationTypeApply", "runner@fv-az123", "1.10.3", "2026-11-02T08:00:14Z",
                "acme-tfstate-prod/infra/queues/terraform.tfstate");
        LockProbe held = (k, s, a, g) -> new LockProbe.Probe(LockProbe.State.HELD, Optional.of(body), null);
        Sweeper.SweepResult first = sweeper(store, held, NOTHING).sweep(NOW);
        assertEquals(1, first.staleRaised());
        List<Finding> stale = findings(store, "stale-lock");
        assertEquals(1, stale.size());
        Finding f = stale.get(0);
        assertEquals(STALE_STATE, f.stateKey());
        assertEquals("ASIAW6NHX2PAEYKH2CMZ", f.accessKeyId());
        assertEquals("repo:acme/infra:ref:refs/heads/main", f.subject());
        assertEquals("true", f.details().get("verified"));
        assertEquals("runner@fv-az123", f.details().get("lockWho"));
        assertEquals(1, store.dueDeliveries(FAR, 100).size());

        // Within the reminder interval: nothing new.
        Sweeper.SweepResult again = sweeper(store, held, NOTHING).sweep(NOW.plus(Duration.ofHours(1)));
        assertEquals(0, again.staleRaised());
        assertEquals(0, again.reminders());
        // After it: one reminder, queued as its own notice.
        Sweeper.SweepResult later = sweeper(store, held, NOTHING).sweep(NOW.plus(Duration.ofHours(5)));
        assertEquals(1, later.reminders());
        List<Delivery> due = store.dueDeliveries(FAR, 100);
        assertEquals(List.of("raised", "reminder-1"), due.stream().map(d -> d.finding().details().getOrDefault("notice", "raised")).sorted().toList());

        // The lock goes away: a resolved notice, and the alert is closed.
        Sweeper.SweepResult gone = sweeper(store, (k, s, a, g) -> new LockProbe.Probe(LockProbe.State.GONE, Optional.empty(), null), NOTHING)
                .sweep(NOW.plus(Duration.ofHours(6)));
        assertEquals(1, gone.resolved());
        assertTrue(store.dueDeliveries(FAR, 100).stream().anyMatch(d -> "resolved".equals(d.finding().details().get("notice"))));
        assertEquals(0, sweeper(store, held, NOTHING).sweep(NOW.plus(Duration.ofHours(7))).locksChecked());
    }

    @Test
    void aLockThatCannotBeCheckedIsRaisedAndSaysItWasNotVerified() {
        DynamoAuditStore store = staleLockRun();
        Sweeper.SweepResult r = sweeper(store, (k, s, a, g) -> LockProbe.Probe.unknown("no AWS credentials in a local run"), NOTHING).sweep(NOW);
        assertEquals(1, r.staleRaised());
        assertEquals(1, r.unverified());
        Finding f = findings(store, "stale-lock").get(0);
        assertEquals("false", f.details().get("verified"));
        assertTrue(f.details().get("verification").contains("no AWS credentials in a local run"), f.details().toString());
        assertTrue(f.summary().contains("not verified"), f.summary());
    }

    @Test
    void aLockNotYetStaleIsNotProbed() {
        DynamoAuditStore store = staleLockRun();
        Sweeper.SweepResult r = sweeper(store, (k, s, a, g) -> { throw new AssertionError("probed too early"); }, NOTHING)
                .sweep(Instant.parse("2026-11-02T08:30:00Z"));
        assertEquals(0, r.locksChecked());
        assertTrue(findings(store, "stale-lock").isEmpty());
    }

    @Test
    void aMissingLoginIsLookedUpBeforeRaisingUnattributedSession() {
        List<Raw> run = Samples.chronological(Samples.records(Samples.EVENTS.resolve("scenarios/pull-request-writes-prod-state")));
        Raw login = run.stream().filter(r -> "AssumeRoleWithWebIdentity".equals(r.eventName())).findFirst().orElseThrow();
        List<Raw> rest = new ArrayList<>(run);
        rest.remove(login);
        Instant after = run.get(run.size() - 1).time().plus(Duration.ofHours(1));

        // The lookup finds the login: it is ingested, and the run's real finding is raised instead.
        DynamoAuditStore found = Samples.store(client);
        Samples.ingestEach(new Ingestor(found, policy, List.of("file"), Samples.CLOCK), rest);
        List<String> asked = new ArrayList<>();
        Sweeper.SweepResult r = sweeper(found, (k, s, a, g) -> LockProbe.Probe.unknown("local"), (key, from, to) -> {
            asked.add(key);
            return List.of(login.json());
        }).sweep(after);
        assertEquals(List.of("ASIARZ4TQ7KXBTKIKGKC"), asked, "the root session's key, whose login is missing");
        assertEquals(1, r.lookedUp());
        assertEquals(0, r.unattributedRaised());
        assertTrue(findings(found, "unattributed-session").isEmpty());
        assertEquals(1, findings(found, "state-write-unexpected-subject").size());

        // The lookup finds nothing: unattributed-session, once.
        DynamoAuditStore missing = Samples.store(client);
        Samples.ingestEach(new Ingestor(missing, policy, List.of("file"), Samples.CLOCK), rest);
        assertEquals(0, sweeper(missing, (k, s, a, g) -> LockProbe.Probe.unknown("local"), NOTHING)
                .sweep(Instant.parse("2026-11-09T20:01:00Z")).lookedUp(), "not before the grace period");
        Sweeper.SweepResult raised = sweeper(missing, (k, s, a, g) -> LockProbe.Probe.unknown("local"), NOTHING).sweep(after);
        assertEquals(1, raised.unattributedRaised());
        List<Finding> u = findings(missing, "unattributed-session");
        assertEquals(1, u.size());
        assertEquals("ASIARZ4TQ7KXBTKIKGKC", u.get(0).accessKeyId());
        assertEquals(0, sweeper(missing, (k, s, a, g) -> LockProbe.Probe.unknown("local"), NOTHING).sweep(after.plusSeconds(600)).lookedUp(),
                "looked up once");

        // The login arrives after all: the unattributed finding is withdrawn (it was never delivered) and the real one raised.
        new Ingestor(missing, policy, List.of("file"), Samples.CLOCK).ingest("late", login.json());
        assertTrue(findings(missing, "unattributed-session").isEmpty());
        assertEquals(1, findings(missing, "state-write-unexpected-subject").size());
    }

    /** Completing the runs indexes is upkeep: when it fails (here the role may not Scan), the sweep still raises and queues. */
    @Test
    void aFailureToCompleteTheRunsIndexesDoesNotStopTheSweep() {
        DynamoAuditStore written = staleLockRun();
        String table = Samples.tableName(written);
        client.deleteItem(b -> b.tableName(table).key(SubjectCatalogue.key(SubjectCatalogue.COMPLETE_SK))); // as an older version left it
        ExecutionInterceptor noScan = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ScanRequest) {
                    throw SdkServiceException.builder().statusCode(400).message("not authorized to perform: dynamodb:Scan").build();
                }
            }
        };
        DynamoAuditStore store = new DynamoAuditStore(local.client(noScan), table, Samples.CLOCK, DynamoAuditStore.DEFAULT_RETENTION);
        LockProbe held = (k, s, a, g) -> new LockProbe.Probe(LockProbe.State.HELD, Optional.empty(), null);

        Sweeper.SweepResult r = sweeper(store, held, NOTHING).sweep(NOW);

        assertEquals(1, r.staleRaised());
        assertEquals(1, store.dueDeliveries(FAR, 100).size());
        assertEquals(0, r.summariesIndexed());
        assertTrue(r.indexError() != null && r.indexError().contains("dynamodb:Scan"), String.valueOf(r.indexError()));
    }

    // ---- issue 13: bulk deletes, verified with HeadObject; the credentials of a long run ----

    /** A probe that answers HeadObject from a fixed set of present objects (as the member account's bucket would). */
    static LockProbe objectsPresent(java.util.Set<String> present) {
        return new LockProbe() {
            @Override
            public Probe probe(String stateKey, String lockStore, String account, String region) {
                return Probe.unknown("locks are not looked at here");
            }

            @Override
            public Probe object(String bucket, String key, String account, String region) {
                return new Probe(present.contains(bucket + "/" + key) ? State.HELD : State.GONE, Optional.empty(), "s3://" + bucket + "/" + key);
            }
        };
    }

    static DynamoAuditStore bulkDeleteRun() {
        DynamoAuditStore store = Samples.store(client);
        Samples.ingestEach(new Ingestor(store, policy, List.of("file"), Samples.CLOCK),
                Samples.chronological(Samples.records(Samples.EVENTS.resolve("scenarios/bulk-delete-of-state-buckets"))));
        return store;
    }

    @Test
    void aBulkDeleteIsRaisedByTheSweeperWithTheKnownObjectsFoundGone() {
        DynamoAuditStore store = bulkDeleteRun();
        List<String> before = findings(store, "state-deleted").stream().map(Finding::stateKey).sorted().toList();
        assertEquals(List.of("acme-tfstate-staging/env:/feature-search/app/terraform.tfstate"), before,
                "the ingest raises only the state a per-object record names");

        Sweeper.SweepResult r = sweeper(store, objectsPresent(java.util.Set.of()), NOTHING).sweep(Instant.parse("2026-11-18T09:00:00Z"));

        assertEquals(4, r.bulkDeletesJudged(), "every DeleteObjects call, the artifacts bucket's too");
        assertEquals(2, r.bulkDeletesRaised());
        Finding legacy = findings(store, "state-deleted").stream().filter(f -> f.stateKey().equals("acme-legacy-terraform/*")).findFirst().orElseThrow();
        assertEquals("true", legacy.details().get("verified"));
        assertEquals("acme-legacy-terraform/network/terraform.tfstate,acme-legacy-terraform/network/terraform.tfstate.tflock",
                legacy.details().get("gone"));
        assertEquals("false", legacy.details().get("keysLogged"));
        assertTrue(legacy.summary().contains("gone: acme-legacy-terraform/network/terraform.tfstate"), legacy.summary());
        Finding staging = findings(store, "state-deleted").stream().filter(f -> f.stateKey().equals("acme-tfstate-staging/*")).findFirst().orElseThrow();
        assertEquals("false", staging.details().get("verified"), "no lock was ever tracked in that bucket: nothing known to look at");
        assertEquals(2, staging.count());
        // Judged once: the next sweep leaves them alone.
        assertEquals(0, sweeper(store, objectsPresent(java.util.Set.of()), NOTHING).sweep(Instant.parse("2026-11-18T10:00:00Z")).bulkDeletesJudged());
    }

    @Test
    void aBulkDeleteWhoseObjectsAreStillThereSaysSo() {
        DynamoAuditStore store = bulkDeleteRun();
        sweeper(store, objectsPresent(java.util.Set.of("acme-legacy-terraform/network/terraform.tfstate")), NOTHING)
                .sweep(Instant.parse("2026-11-18T09:00:00Z"));

        Finding legacy = findings(store, "state-deleted").stream().filter(f -> f.stateKey().equals("acme-legacy-terraform/*")).findFirst().orElseThrow();
        assertEquals("true", legacy.details().get("verified"));
        assertEquals("acme-legacy-terraform/network/terraform.tfstate", legacy.details().get("present"));
        assertEquals("acme-legacy-terraform/network/terraform.tfstate.tflock", legacy.details().get("gone"));
    }

    @Test
    void aBulkDeleteIsNotJudgedBeforeTheGracePeriod() {
        DynamoAuditStore store = bulkDeleteRun();
        Sweeper.SweepResult r = sweeper(store, objectsPresent(java.util.Set.of()), NOTHING).sweep(Instant.parse("2026-11-18T08:20:00Z"));

        assertEquals(2, r.bulkDeletesJudged(), "15 minutes on: the staging calls of 08:00, not those of 08:24 and 08:25");
    }

    @Test
    void aLongApplyIsNotStaleWhileItsRunsCredentialsLast() {
        DynamoAuditStore store = Samples.store(client);
        List<Raw> run = Samples.chronological(Samples.records(Samples.EVENTS.resolve("scenarios/long-apply-reassumes-backend-role")));
        Instant midway = Instant.parse("2026-11-18T15:05:00Z");
        Samples.ingestEach(new Ingestor(store, policy, List.of("file"), Samples.CLOCK), run.stream().filter(r -> r.time().isBefore(midway)).toList());
        assertEquals(1, store.openLocks().size(), "the apply holds its lock");
        LockProbe held = (k, s, a, g) -> new LockProbe.Probe(LockProbe.State.HELD, Optional.empty(), null);

        // 15:05: the session that took the lock expired at 15:00:20 and the login at 15:00:00; the backend session the
        // run assumed again at 14:56:40, a sibling of the holder and no ancestor, lasts until 15:56:40.
        assertEquals(0, sweeper(store, held, NOTHING).sweep(midway).staleRaised());
        assertTrue(findings(store, "stale-lock").isEmpty());

        // 15:57, had it never finished: every credential of the run has expired (staleLockAfter is PT2H). The sweeper
        // judges a lock as it stood one settle window (15 minutes) ago, when every release made before has arrived: at 16:12.
        assertEquals(0, sweeper(store, held, NOTHING).sweep(Instant.parse("2026-11-18T16:11:00Z")).staleRaised());
        Sweeper.SweepResult late = sweeper(store, held, NOTHING).sweep(Instant.parse("2026-11-18T16:12:00Z"));
        assertEquals(1, late.staleRaised());
        assertEquals("2026-11-18T15:56:40Z", findings(store, "stale-lock").get(0).details().get("credentialsExpire"));
    }
}
