package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnattributedSessionTest {

    private static final String PROVIDER = Rec.githubProvider("222222222222");

    @Test
    void sessionWhoseLoginWasNeverSeenIsReportedOnceWithEveryStateItTouched() {
        Scenario s = new Scenario();
        Credentials ghost = s.sessionNeverSeen(APPLY_ROLE, "GitHubActions", PROVIDER);
        ghost.lock(BUCKET, STATE);
        ghost.read(BUCKET, STATE);
        ghost.write(BUCKET, "infra/dns/terraform.tfstate");
        ghost.unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.UNATTRIBUTED_SESSION);

        assertEquals(ghost.key(), f.accessKeyId());
        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(4, f.count());
        assertEquals(BUCKET + "/infra/dns/terraform.tfstate," + STATE_KEY, f.details().get("states"));
        assertEquals(PROVIDER, f.details().get("federatedProvider"));
        assertEquals(List.of(APPLY_ROLE), f.roleChain());
        assertNull(f.subject());
    }

    @Test
    void hopFromAnUnseenSessionNamesTheMissingSessionNotTheHop() {
        Scenario s = new Scenario();
        Credentials ghost = s.sessionNeverSeen(APPLY_ROLE, "GitHubActions", PROVIDER);
        Credentials hop = ghost.assumeRole(TERRAFORM_PROD_ROLE);
        hop.read(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.UNATTRIBUTED_SESSION);

        assertEquals(ghost.key(), f.accessKeyId());
        assertEquals(hop.key(), f.details().get("actingKey"));
    }

    @Test
    void sessionWithItsLoginSeenIsAttributed() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.read(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.UNATTRIBUTED_SESSION));
    }

    @Test
    void loginArrivingAfterTheCallsStillAttributesThem() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.read(BUCKET, STATE);
        List<Rec> records = s.records();
        Scenario reordered = new Scenario();
        reordered.addAsIs(records.get(1));
        reordered.addAsIs(records.get(0));

        assertEquals(List.of(), reordered.replay(POLICY).ofType(FindingType.UNATTRIBUTED_SESSION));
    }

    @Test
    void iamUserKeysAreNotSessions() {
        Scenario s = new Scenario();
        s.iamUser("arn:aws:iam::222222222222:user/breakglass").read(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.UNATTRIBUTED_SESSION));
    }
}
