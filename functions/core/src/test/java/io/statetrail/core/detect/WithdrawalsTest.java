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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Why a finding raised on part of the records no longer holds once the rest arrives, and whether it waited: judged on
 * the records without the late one, then with it.
 */
class WithdrawalsTest {

    static Scenario.Outcome replay(List<Rec> records) {
        return Scenario.Outcome.of(records.stream().map(Rec::json).collect(Collectors.joining("\n")), POLICY, null);
    }

    @Test
    void anUnlockedWriteIsExplainedByTheLockThatArrivedLate() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec lock = run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);
        List<Rec> early = new ArrayList<>(s.records());
        early.remove(lock);

        Finding gone = replay(early).only(FindingType.UNLOCKED_STATE_WRITE);
        assertTrue(gone.provisional(), "lock pairing always waits");
        Scenario.Outcome all = replay(s.records());
        assertEquals(List.of(), all.findings());
        String why = Withdrawals.why(gone, all.evaluation(), all.findings());
        assertTrue(why.startsWith("the run held the lock when it wrote: " + MAIN + " took it at " + lock.time()), why);
        assertTrue(why.contains(lock.eventId()), why);
    }

    @Test
    void aForceUnlockIsExplainedByTheAcquisitionOfTheSameRun() {
        Scenario t = new Scenario();
        Credentials a = t.login(MAIN, APPLY_ROLE);
        Credentials b = a.assumeRole(TERRAFORM_PROD_ROLE);
        Rec taken = a.lockItem(LOCK_TABLE, STATE_KEY);
        b.unlockItem(LOCK_TABLE, STATE_KEY);
        List<Rec> withoutHop = new ArrayList<>(t.records());
        withoutHop.remove(1);
        Finding gone = replay(withoutHop).only(FindingType.FORCE_UNLOCK);
        assertTrue(gone.provisional());
        Scenario.Outcome complete = replay(t.records());
        assertEquals(List.of(), complete.ofType(FindingType.FORCE_UNLOCK), "the hop shows the same run released it");
        String why = Withdrawals.why(gone, complete.evaluation(), complete.findings());
        assertTrue(why.startsWith("the release was by the run that took the lock: " + MAIN), why);
        assertTrue(why.contains(taken.eventId()), why);
    }

    @Test
    void aFindingReplacedByAnotherOnTheSameEvidenceNamesIt() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Credentials hop = run.assumeRole(TERRAFORM_PROD_ROLE);
        hop.write(BUCKET, STATE);
        List<Rec> early = new ArrayList<>(s.records());
        early.remove(1); // the hop: the write's session is not traced to its login yet

        Finding gone = replay(early).only(FindingType.UNLOCKED_STATE_WRITE);
        assertTrue(gone.provisional());
        assertEquals("unknown", gone.details().get("origin"));
        Scenario.Outcome all = replay(s.records());
        Finding now = all.only(FindingType.UNLOCKED_STATE_WRITE);
        assertFalse(now.id().equals(gone.id()), "a run's finding is known by its run");
        assertEquals("replaced by finding " + now.id() + " (" + now.summary() + ")", Withdrawals.why(gone, all.evaluation(), all.findings()));
    }
}
