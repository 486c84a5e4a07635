package io.statetrail.core.terraform;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockHistoryTest {

    private static List<Lock> locks(Scenario s) {
        return s.replay(POLICY).evaluation().locks().stream()
                .sorted(Comparator.comparing((Lock l) -> l.acquired() == null ? Instant.MIN : l.acquired().meta().time()))
                .toList();
    }

    /**
     * Run A releases and run B acquires in the same second; eventTime has one-second resolution, so whichever record
     * sorts first, A's release belongs to A's lock and B's acquisition starts a new one.
     */
    @ParameterizedTest(name = "B's acquisition sorts {0} A's release")
    @ValueSource(strings = {"before", "after"})
    void sameSecondReleaseAndAcquireByTwoRunsIsNotAForceUnlock(String order) {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        a.lock(BUCKET, STATE);
        Rec aRelease = a.unlock(BUCKET, STATE);
        Rec bAcquire = b.lock(BUCKET, STATE).at(aRelease.time());
        aRelease.eventId(order.equals("before") ? "ffffffff-0000-4000-8000-000000000000" : "00000000-0000-4000-8000-000000000000");
        bAcquire.eventId(order.equals("before") ? "00000000-0000-4000-8000-000000000001" : "ffffffff-0000-4000-8000-000000000001");
        b.write(BUCKET, STATE);
        b.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(2, locks.size());
        assertEquals(a.key(), locks.get(0).holder().runKey());
        assertEquals(a.key(), locks.get(0).releaser().runKey());
        assertEquals(b.key(), locks.get(1).holder().runKey());
        assertEquals(b.key(), locks.get(1).releaser().runKey());
        assertFalse(locks.stream().anyMatch(Lock::releasedByOtherRun));
        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    /**
     * The same hand-over when A's acquisition happened before the trail starts: an acquisition succeeds only on a free
     * lock, so A's release in that second came first and is not a release of B's new lock.
     */
    @Test
    void sameSecondHandOverFromARunWhoseAcquisitionWasNotSeenIsNotAForceUnlock() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        Rec aRelease = a.unlock(BUCKET, STATE);
        Rec bAcquire = b.lock(BUCKET, STATE).at(aRelease.time());
        aRelease.eventId("ffffffff-0000-4000-8000-000000000000");
        bAcquire.eventId("00000000-0000-4000-8000-000000000001");
        b.write(BUCKET, STATE);
        b.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(2, locks.size());
        assertNull(locks.get(0).acquired(), "A's release pairs with a lock taken before the trail");
        assertEquals(a.key(), locks.get(0).releaser().runKey());
        assertEquals(b.key(), locks.get(1).holder().runKey());
        assertEquals(b.key(), locks.get(1).releaser().runKey());
        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void missedReleaseThenReacquireSupersedesTheOldLock() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        a.lock(BUCKET, STATE);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        Rec retaken = b.lock(BUCKET, STATE);
        b.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(2, locks.size());
        Lock old = locks.get(0);
        assertEquals(a.key(), old.holder().runKey());
        assertNull(old.released());
        assertEquals(retaken.time(), old.supersededAt());
        assertFalse(old.isOpen());
        assertTrue(old.isHeldAt(retaken.time().minusSeconds(1)));
        assertFalse(old.isHeldAt(retaken.time()));
        assertFalse(locks.get(1).releasedByOtherRun());
        assertEquals(List.of(), s.replay(POLICY, Instant.parse("2026-12-01T00:00:00Z")).ofType(FindingType.STALE_LOCK));
    }

    @Test
    void releaseWithoutAcquireIsALockOfUnknownHolder() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        Rec release = a.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(1, locks.size());
        Lock lock = locks.get(0);
        assertNull(lock.acquired());
        assertNull(lock.holder());
        assertEquals(release.eventId(), lock.released().meta().eventId());
        assertFalse(lock.releasedByOtherRun());
        assertFalse(lock.isOpen());
        assertFalse(lock.isHeldAt(release.time()));
    }

    @Test
    void refusedAcquisitionTakesNoLock() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        a.lock(BUCKET, STATE);
        b.lock(BUCKET, STATE).failed("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        a.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(1, locks.size());
        assertEquals(a.key(), locks.get(0).holder().runKey());
        assertEquals(a.key(), locks.get(0).releaser().runKey());
    }

    @Test
    void s3AndDynamoDbLocksOfOneStateArePairedSeparately() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        a.lock(BUCKET, STATE);
        a.lockItem(LOCK_TABLE, STATE_KEY);
        a.write(BUCKET, STATE);
        a.unlockItem(LOCK_TABLE, STATE_KEY);
        a.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(List.of("dynamodb:" + LOCK_TABLE, "s3"), locks.stream().map(Lock::store).sorted().toList());
        assertTrue(locks.stream().allMatch(l -> l.stateKey().equals(STATE_KEY) && l.released() != null));
    }

    @Test
    void quickRunTakingAndReleasingInOneSecondIsPairedWithItself() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        Rec aLock = a.lock(BUCKET, STATE);
        Rec aUnlock = a.unlock(BUCKET, STATE).at(aLock.time());
        Rec bLock = b.lock(BUCKET, STATE).at(aLock.time());
        aLock.eventId("cccccccc-0000-4000-8000-000000000000");
        aUnlock.eventId("bbbbbbbb-0000-4000-8000-000000000000");
        bLock.eventId("aaaaaaaa-0000-4000-8000-000000000000");
        b.unlock(BUCKET, STATE);

        List<Lock> locks = locks(s);

        assertEquals(2, locks.size());
        assertFalse(locks.stream().anyMatch(Lock::releasedByOtherRun));
    }
}
