package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
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
        assertTrue(f.details().get("reason").startsWith("the credentials that took it expired"), f.details().get("reason"));
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

    /** A login whose credentials last {@code seconds} (durationSeconds and the logged expiration). */
    private static Credentials loginLasting(Scenario s, long seconds) {
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.records().get(s.records().size() - 1).duration(seconds);
        return run;
    }
}
