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
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForceUnlockTest {

    @Test
    void runDeletingAnotherRunsDynamoDbLockIsReported() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        Rec taken = a.lockItem(LOCK_TABLE, STATE_KEY);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        Rec released = b.unlockItem(LOCK_TABLE, STATE_KEY);

        Finding f = s.replay(POLICY).only(FindingType.FORCE_UNLOCK);

        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(b.key(), f.accessKeyId());
        assertEquals(PRODUCTION, f.subject());
        assertEquals(released.time(), f.time());
        assertEquals(a.key(), f.details().get("holderRun"));
        assertEquals(MAIN, f.details().get("holder"));
        assertEquals(taken.time().toString(), f.details().get("acquiredAt"));
        assertEquals("dynamodb:" + LOCK_TABLE, f.details().get("lockStore"));
        assertEquals(Set.of(taken.eventId(), released.eventId()), Set.copyOf(f.eventIds().subList(0, 2)));
    }

    @Test
    void releaseByTheRunThatTookTheLockRaisesNothing() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void releaseFromAnotherRoleHopOfTheSameRunIsTheSameRun() {
        Scenario s = new Scenario();
        Credentials login = s.login(MAIN, APPLY_ROLE);
        login.lock(BUCKET, STATE);
        Credentials hop = login.assumeRole("arn:aws:iam::222222222222:role/terraform-prod");
        hop.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.FORCE_UNLOCK));
    }

    @Test
    void releaseOfALockTakenBeforeTheTrailStartsIsNotAForceUnlock() {
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE).unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.FORCE_UNLOCK));
    }

    @Test
    void s3LockDeletedByAnIamUserIsAForceUnlock() {
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE).lock(BUCKET, STATE);
        s.iamUser("arn:aws:iam::222222222222:user/breakglass").unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.FORCE_UNLOCK);

        assertEquals("s3", f.details().get("lockStore"));
        assertEquals("arn:aws:iam::222222222222:user/breakglass", f.details().get("principal"));
    }
}
