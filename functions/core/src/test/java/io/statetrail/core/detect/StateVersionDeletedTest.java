package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BOOTSTRAP;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY_WITH_STORES;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.StoreCalls;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateVersionDeletedTest {

    @Test
    void aVersionDeletedForGoodIsCriticalEvenByAWriter_andIsNotAStateDeletion() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.deleteVersion(run.caller(), BUCKET, STATE, "3HL4kqtJvjVBH40Nrjfkd", false));

        Scenario.Outcome o = s.replay(POLICY_WITH_STORES);
        Finding f = o.only(FindingType.STATE_VERSION_DELETED);

        assertEquals("critical", f.severity().label());
        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(MAIN, f.subject());
        assertEquals("3HL4kqtJvjVBH40Nrjfkd", f.details().get("versionId"));
        assertEquals("false", f.details().get("deleteMarker"));
        assertEquals(List.of("state-version-deleted"), o.findings().stream().map(Finding::type).toList());
    }

    @Test
    void removingADeleteMarkerBringsAnOlderStateBack() {
        Scenario s = new Scenario();
        s.add(StoreCalls.deleteVersion(s.login(MAIN, APPLY_ROLE).caller(), BUCKET, STATE, "UIORUnfnd89493jJFJ", true));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_VERSION_DELETED);

        assertEquals("true", f.details().get("deleteMarker"));
        assertTrue(f.summary().contains("removed delete marker UIORUnfnd89493jJFJ of state " + STATE_KEY + ", so an older version is current again"),
                f.summary());
    }

    @Test
    void anAdminsVersionDeletionIsAlwaysReportedAtFullSeverity() {
        Scenario s = new Scenario();
        s.add(StoreCalls.deleteVersion(s.login(BOOTSTRAP, APPLY_ROLE).caller(), BUCKET, STATE, "v1", false));

        Scenario.Outcome o = s.replay(POLICY_WITH_STORES);
        Finding f = o.only(FindingType.STATE_VERSION_DELETED);
        assertEquals("critical", f.severity().label());
        assertEquals("true", f.details().get("byAdmin"));
        assertEquals(1, o.ofType(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT).size(), "the bootstrap workflow is no writer of infra state");
    }

    @Test
    void aPlainDeleteIsAStateDeletion_aVersionedDeleteOfTheLockIsARelease() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        s.add(StoreCalls.deleteVersion(run.caller(), BUCKET, STATE + ".tflock", "lockv1", false));
        run.delete(BUCKET, "infra/dns/terraform.tfstate");

        Scenario.Outcome o = s.replay(POLICY_WITH_STORES);
        assertEquals(List.of("state-deleted"), o.findings().stream().map(Finding::type).toList());
    }
}
