package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaleLockTest {

    @Test
    void lockHeldLongerThanStaleLockAfterIsReported() {
        Scenario s = new Scenario().at("2026-11-02T08:00:09Z");
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec lock = run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);

        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T11:00:14Z")).only(FindingType.STALE_LOCK);

        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(run.key(), f.accessKeyId());
        assertEquals(lock.time(), f.time());
        assertEquals("s3", f.details().get("lockStore"));
        assertEquals("PT3H4S", f.details().get("heldFor"));
        assertEquals("held 3h, longer than 60m", f.details().get("reason"));
    }

    @Test
    void lockWithinItsLimitIsNotStale() {
        Scenario s = new Scenario().at("2026-11-02T08:00:09Z");
        s.login(MAIN, APPLY_ROLE).lock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY, Instant.parse("2026-11-02T08:30:00Z")).ofType(FindingType.STALE_LOCK));
    }

    @Test
    void lockOutlivingTheCredentialsThatTookItIsStaleBeforeTheLimit() {
        Policy patient = PolicyLoader.parse("""
                states:
                  - key: "acme-tfstate-prod/*"
                    writers: ["repo:acme/infra:*"]
                    staleLockAfter: PT6H
                """, "patient.yaml");
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials run = loginLasting(s, 900);
        run.lockItem(LOCK_TABLE, STATE_KEY);

        Finding f = s.replay(patient, Instant.parse("2026-11-02T08:20:00Z")).only(FindingType.STALE_LOCK);

        assertEquals("dynamodb:" + LOCK_TABLE, f.details().get("lockStore"));
        assertEquals("2026-11-02T08:15:00Z", f.details().get("credentialsExpire"));
        assertTrue(f.details().get("reason").startsWith("the credentials of the run that took it expired"), f.details().get("reason"));
    }

    @Test
    void releasedLockIsNotStale() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY, Instant.parse("2026-12-01T00:00:00Z")).findings());
    }

    @Test
    void lockTakenAgainAfterAMissedReleaseIsNotStaleButTheNewOneCanBe() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials first = s.login(MAIN, APPLY_ROLE);
        first.lock(BUCKET, STATE);
        s.at("2026-11-02T09:00:00Z");
        Credentials second = s.login(MAIN, APPLY_ROLE);
        Rec retaken = second.lock(BUCKET, STATE);

        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T12:00:00Z")).only(FindingType.STALE_LOCK);

        assertEquals(second.key(), f.accessKeyId());
        assertEquals(retaken.time(), f.time());
    }

    // ---- long runs (issue 13, point 7) ----

    /** Acme's policy with locks judged stale after three hours, so that only the credentials' expiry can make them stale. */
    private static final Policy THREE_HOURS = PolicyLoader.parse(io.statetrail.core.fixture.Acme.POLICY_YAML
            .replace("staleLockAfter: PT1H", "staleLockAfter: PT3H"), "three-hours.yaml");

    /**
     * A 70-minute apply: a two-hour web-identity login, the backend role chained from it (one hour at most), the lock
     * taken with it, and the backend role assumed again from the login session 55 minutes in.
     */
    private static Credentials[] seventyMinuteApply(Scenario s) {
        Credentials login = loginLasting(s, 7200);
        Credentials backend = login.assumeRole(TERRAFORM_PROD_ROLE);
        backend.lock(BUCKET, STATE);
        backend.read(BUCKET, STATE);
        s.at("2026-11-02T08:55:00Z");
        Credentials again = login.assumeRole(TERRAFORM_PROD_ROLE);
        s.at("2026-11-02T09:05:00Z");
        again.write(BUCKET, STATE);
        return new Credentials[] {login, backend, again};
    }

    @Test
    void aLongApplyThatReassumesItsBackendRoleIsNotStaleWhenItsFirstBackendSessionExpires() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        seventyMinuteApply(s);

        // 09:08: the session that took the lock expired at 09:00:01, the run's credentials last until 10:00.
        assertEquals(List.of(), s.replay(THREE_HOURS, Instant.parse("2026-11-02T09:08:00Z")).findings());
    }

    @Test
    void aLongApplyIsStaleOnceEveryCredentialOfItsRunExpired() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials[] run = seventyMinuteApply(s);

        Finding f = s.replay(THREE_HOURS, Instant.parse("2026-11-02T10:01:00Z")).only(FindingType.STALE_LOCK);

        assertEquals(run[1].key(), f.accessKeyId());
        assertEquals(run[0].key(), f.runKey());
        assertEquals("2026-11-02T10:00:00Z", f.details().get("credentialsExpire"));
        assertTrue(f.details().get("reason").startsWith("the credentials of the run that took it expired at 2026-11-02T10:00:00Z"),
                f.details().get("reason"));
    }

    @Test
    void sessionsOfTheRunIssuedAfterNowDoNotExtendItsCredentials() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials login = loginLasting(s, 900);
        Credentials backend = login.assumeRole(TERRAFORM_PROD_ROLE);
        backend.lock(BUCKET, STATE);
        s.at("2026-11-02T08:14:00Z");
        login.assumeRole(TERRAFORM_PROD_ROLE);

        // At 08:10 only the first two sessions exist: the backend session ends at 09:00:01, which is what counts then.
        assertEquals(List.of(), s.replay(THREE_HOURS, Instant.parse("2026-11-02T08:10:00Z")).findings());
        Finding f = s.replay(THREE_HOURS, Instant.parse("2026-11-02T09:20:00Z")).only(FindingType.STALE_LOCK);
        assertEquals("2026-11-02T09:14:00Z", f.details().get("credentialsExpire"));
    }

    // ---- is it safe to force-unlock? (issue 20, point 3) ----

    @Test
    void theVerdictSaysTheHolderEndedWithoutWritingTheState() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials run = loginLasting(s, 900);
        run.lock(BUCKET, STATE);
        Rec read = run.read(BUCKET, STATE);

        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T10:00:00Z")).only(FindingType.STALE_LOCK);

        assertEquals("holder-ended", f.details().get("verdict"));
        assertEquals("true", f.details().get("holderEnded"));
        assertEquals("false", f.details().get("wroteStateAfterLock"));
        assertEquals(read.time().toString(), f.details().get("holderLastCall"));
        assertEquals("PT1H59M58S", f.details().get("sinceHolderLastCall"));
        assertTrue(f.details().get("advice").endsWith("without writing the state: it is safe to force-unlock"), f.details().get("advice"));
        assertTrue(f.summary().endsWith("it is safe to force-unlock"), f.summary());
    }

    @Test
    void theVerdictSaysTheHolderEndedAfterWritingTheState() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials run = loginLasting(s, 900);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);

        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T10:00:00Z")).only(FindingType.STALE_LOCK);

        assertEquals("holder-ended", f.details().get("verdict"));
        assertEquals("true", f.details().get("wroteStateAfterLock"));
        assertTrue(f.details().get("advice").contains("then check the state"), f.details().get("advice"));
    }

    @Test
    void aHolderStillCallingWithValidCredentialsIsRunning() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials[] run = seventyMinuteApply(s);
        s.at("2026-11-02T09:30:00Z");
        Rec last = run[2].write(BUCKET, STATE);

        // The policy's hour is up at 09:35; the run's login lasts until 10:00 and it wrote five minutes ago.
        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T09:35:00Z")).only(FindingType.STALE_LOCK);

        assertEquals("holder-running", f.details().get("verdict"));
        assertEquals("false", f.details().get("holderEnded"));
        assertEquals("true", f.details().get("wroteStateAfterLock"));
        assertEquals(last.time().toString(), f.details().get("holderLastCall"));
        assertEquals("PT5M", f.details().get("sinceHolderLastCall"));
        assertTrue(f.details().get("advice").contains("do not force-unlock"), f.details().get("advice"));
    }

    @Test
    void callsAfterNowAndWritesOfOtherStatesDoNotCount() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        Credentials run = loginLasting(s, 900);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, "infra/dns/terraform.tfstate");
        s.at("2026-11-02T11:00:00Z");
        run.read(BUCKET, STATE);

        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T10:00:00Z")).only(FindingType.STALE_LOCK);

        assertEquals("false", f.details().get("wroteStateAfterLock"));
        assertEquals("2026-11-02T08:00:02Z", f.details().get("holderLastCall"));
        assertEquals("holder-ended", f.details().get("verdict"));
    }

    @Test
    void aHolderWhoseCredentialsAreNotKnownToExpireIsUnknown() {
        Scenario s = new Scenario().at("2026-11-02T08:00:00Z");
        s.iamUser(io.statetrail.core.fixture.Acme.BREAKGLASS_USER).lockItem(LOCK_TABLE, STATE_KEY);

        Finding f = s.replay(POLICY, Instant.parse("2026-11-02T10:00:00Z")).only(FindingType.STALE_LOCK);

        assertEquals("unknown", f.details().get("verdict"));
        assertEquals(null, f.details().get("holderEnded"));
    }

    /** A login whose credentials last {@code seconds} (durationSeconds and the logged expiration). */
    private static Credentials loginLasting(Scenario s, long seconds) {
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.records().get(s.records().size() - 1).duration(seconds);
        return run;
    }
}
