package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnlockedStateWriteTest {

    @Test
    void applyWithLockFalseIsReported() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.read(BUCKET, STATE);
        run.write(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.UNLOCKED_STATE_WRITE);

        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(MAIN, f.subject());
        assertEquals(run.key(), f.accessKeyId());
        assertEquals("high", f.severity().label());
    }

    @Test
    void writeUnderTheRunsOwnS3LockRaisesNothing() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void writeUnderTheRunsOwnDynamoDbLockRaisesNothing() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lockItem(LOCK_TABLE, STATE_KEY);
        run.write(BUCKET, STATE);
        run.unlockItem(LOCK_TABLE, STATE_KEY);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void writeInTheSameSecondsAsTakingAndReleasingTheLockCountsAsLocked() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec lock = run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE).at(lock.time());
        Rec unlock = run.unlock(BUCKET, STATE);
        run.write(BUCKET, STATE).at(unlock.time());

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.UNLOCKED_STATE_WRITE));
    }

    @Test
    void writeWhileAnotherRunHoldsTheLockIsReported() {
        Scenario s = new Scenario();
        Credentials holder = s.login(MAIN, APPLY_ROLE);
        Credentials intruder = s.login(PRODUCTION, APPLY_ROLE);
        holder.lock(BUCKET, STATE);
        intruder.write(BUCKET, STATE);
        holder.unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.UNLOCKED_STATE_WRITE);

        assertEquals(intruder.key(), f.accessKeyId());
        assertEquals(PRODUCTION, f.subject());
    }

    @Test
    void writeAfterTheRunReleasedItsLockIsReported() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.unlock(BUCKET, STATE);
        run.write(BUCKET, STATE);

        assertEquals(1, s.replay(POLICY).ofType(FindingType.UNLOCKED_STATE_WRITE).size());
    }

    @Test
    void lockOnAnotherStateDoesNotCover() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, "infra/dns/terraform.tfstate");
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, "infra/dns/terraform.tfstate");

        assertEquals(STATE_KEY, s.replay(POLICY).only(FindingType.UNLOCKED_STATE_WRITE).stateKey());
    }
}
