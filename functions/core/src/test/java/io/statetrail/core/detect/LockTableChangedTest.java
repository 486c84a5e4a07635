package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BOOTSTRAP;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY_WITH_STORES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.StoreCalls;
import io.statetrail.core.policy.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTableChangedTest {

    private static List<String> changed(Scenario s) {
        return s.replay(POLICY_WITH_STORES).ofType(FindingType.LOCK_TABLE_CHANGED).stream()
                .map(f -> f.severity().label() + " " + f.stateKey() + " " + f.details().get("change"))
                .toList();
    }

    @Test
    void deletingTheLockTableIsCriticalAndNamesTheTable() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.table("DeleteTable", run.caller(), LOCK_TABLE, null, "delete"));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.LOCK_TABLE_CHANGED);

        assertEquals("critical", f.severity().label());
        assertEquals(LOCK_TABLE, f.stateKey());
        assertEquals(MAIN, f.subject());
        assertEquals(APPLY_ROLE, f.roleArn());
    }

    @Test
    void enablingTtlIsCritical_removingProtectionOrRecoveryOrRestoringIntoItIsHigh() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.timeToLive(run.caller(), LOCK_TABLE, true));
        s.add(StoreCalls.deletionProtection(run.caller(), LOCK_TABLE, false));
        s.add(StoreCalls.pointInTimeRecovery(run.caller(), LOCK_TABLE, false));
        ObjectNode restore = Json.object().put("sourceTableName", LOCK_TABLE).put("targetTableName", LOCK_TABLE)
                .put("useLatestRestorableTime", false).put("restoreDateTime", "Nov 1, 2026, 9:00:00 AM");
        s.add(StoreCalls.table("RestoreTableToPointInTime", run.caller(), LOCK_TABLE, restore, "restore"));

        assertEquals(List.of("critical acme-tf-locks UpdateTimeToLive", "high acme-tf-locks UpdateTable",
                "high acme-tf-locks UpdateContinuousBackups", "high acme-tf-locks RestoreTableToPointInTime"), changed(s));
    }

    @Test
    void safeChangesRaiseNothing_andRestoreAnEarlierWeakening() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.timeToLive(run.caller(), LOCK_TABLE, true));
        Credentials admin = s.login(BOOTSTRAP, APPLY_ROLE);
        s.add(StoreCalls.timeToLive(admin.caller(), LOCK_TABLE, false));
        s.add(StoreCalls.deletionProtection(admin.caller(), LOCK_TABLE, true));
        s.add(StoreCalls.pointInTimeRecovery(admin.caller(), LOCK_TABLE, true));
        // UpdateTable as the Developer Guide shows it: the table only in the response, a throughput change only.
        Rec throughput = StoreCalls.table("UpdateTable", run.caller(), LOCK_TABLE, null, "throughput");
        ObjectNode req = Json.object();
        req.putObject("provisionedThroughput").put("writeCapacityUnits", 25).put("readCapacityUnits", 25);
        throughput.set("requestParameters", req);
        s.add(throughput);

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.LOCK_TABLE_CHANGED);
        assertTrue(f.details().get("resolution").startsWith("UpdateTimeToLive by " + BOOTSTRAP), f.details().get("resolution"));
    }

    @Test
    void anAdminDeletingTheTableIsHighWithByAdmin() {
        Scenario s = new Scenario();
        s.add(StoreCalls.table("DeleteTable", s.login(BOOTSTRAP, APPLY_ROLE).caller(), LOCK_TABLE, null, "delete"));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.LOCK_TABLE_CHANGED);
        assertEquals("high", f.severity().label());
        assertEquals("true", f.details().get("byAdmin"));
    }

    @Test
    void aTableThatHoldsNoLocksIsNotWatched_oneWhereLockItemsWereSeenIs() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.table("DeleteTable", run.caller(), "orders", null, "orders"));
        s.add(StoreCalls.table("DeleteTable", run.caller(), "legacy-locks", null, "legacy"));
        assertEquals(List.of(), changed(s));

        // With no lockTables listed, any table whose items are Terraform locks holds locks.
        run.lockItem("legacy-locks", BUCKET + "/legacy/terraform.tfstate");
        var policy = PolicyLoader.parse("roles: []\nstates: []\n", "p.yaml");
        assertEquals(List.of("legacy-locks"), s.replay(policy).ofType(FindingType.LOCK_TABLE_CHANGED).stream().map(Finding::stateKey).toList());
    }

    @Test
    void aRunDeletingMoreLockItemsThanItTookIsABurst() {
        Scenario s = new Scenario();
        Credentials owner = s.login(MAIN, APPLY_ROLE);
        for (String state : List.of("a", "b", "c", "d")) {
            owner.lockItem(LOCK_TABLE, BUCKET + "/infra/" + state + "/terraform.tfstate");
        }
        Credentials cleanup = s.login(MAIN, APPLY_ROLE);
        for (String state : List.of("a", "b", "c", "d")) {
            cleanup.unlockItem(LOCK_TABLE, BUCKET + "/infra/" + state + "/terraform.tfstate");
        }

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.LOCK_TABLE_CHANGED);

        assertEquals("high", f.severity().label());
        assertEquals(LOCK_TABLE, f.stateKey());
        assertEquals(cleanup.key(), f.accessKeyId());
        assertEquals(4, f.count());
        assertEquals("4", f.details().get("locksDeleted"));
        assertEquals("0", f.details().get("locksTaken"));
        assertTrue(f.provisional(), "a late acquisition could still undo it");
        assertEquals(4, s.replay(POLICY_WITH_STORES).ofType(FindingType.FORCE_UNLOCK).size());
    }

    @Test
    void aRunReleasingWhatItTookOrBreakingTwoLocksIsNoBurst() {
        Scenario s = new Scenario();
        Credentials terragrunt = s.login(MAIN, APPLY_ROLE);
        for (int i = 0; i < 6; i++) {
            terragrunt.lockItem(LOCK_TABLE, BUCKET + "/infra/module-" + i + "/terraform.tfstate");
        }
        for (int i = 0; i < 6; i++) {
            terragrunt.unlockItem(LOCK_TABLE, BUCKET + "/infra/module-" + i + "/terraform.tfstate");
        }
        Credentials other = s.login(MAIN, APPLY_ROLE);
        other.lockItem(LOCK_TABLE, BUCKET + "/infra/x/terraform.tfstate");
        other.lockItem(LOCK_TABLE, BUCKET + "/infra/y/terraform.tfstate");
        Credentials unlocker = s.login(MAIN, APPLY_ROLE);
        unlocker.unlockItem(LOCK_TABLE, BUCKET + "/infra/x/terraform.tfstate");
        unlocker.unlockItem(LOCK_TABLE, BUCKET + "/infra/y/terraform.tfstate");

        assertEquals(List.of(), changed(s));
    }
}
