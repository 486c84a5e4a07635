package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PULL_REQUEST;
import static io.statetrail.core.fixture.Acme.RUNNER_ROLE;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateWriteUnexpectedSubjectTest {

    @Test
    void pullRequestWritingProdStateTwoHopsAwayIsReportedWithItsRoleChain() {
        Scenario s = new Scenario();
        Credentials login = s.login(PULL_REQUEST, TOOLING_ROLE);
        Credentials runner = login.assumeRole(RUNNER_ROLE);
        Credentials prod = runner.assumeRole(TERRAFORM_PROD_ROLE);
        prod.lock(BUCKET, STATE);
        prod.write(BUCKET, STATE);
        prod.unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT);

        assertEquals(PULL_REQUEST, f.subject());
        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(TERRAFORM_PROD_ROLE, f.roleArn());
        assertEquals(List.of(TOOLING_ROLE, RUNNER_ROLE, TERRAFORM_PROD_ROLE), f.roleChain());
        assertEquals(prod.key(), f.accessKeyId());
        assertEquals(login.key(), f.runKey());
        assertEquals("critical", f.severity().label());
    }

    @Test
    void writerSubjectWritingItsStateRaisesNothing() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void manyWritesByOneRunAreOneFindingWithACount() {
        Scenario s = new Scenario();
        Credentials run = s.login(PULL_REQUEST, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT);

        assertEquals(3, f.count());
        assertTrue(f.summary().contains(" wrote state "), f.summary());
    }

    @Test
    void deletionByANonWriterIsReportedAsDeleted() {
        Scenario s = new Scenario();
        s.login(PULL_REQUEST, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE).delete(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT);

        assertTrue(f.summary().contains(" deleted state " + STATE_KEY), f.summary());
    }

    @Test
    void refusedWriteIsNotAWrite() {
        Scenario s = new Scenario();
        Credentials run = s.login(PULL_REQUEST, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE);
        run.write(BUCKET, STATE).failed("AccessDenied", "Access Denied");

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT));
    }

    @Test
    void stateNoPolicyEntryCoversHasNoWritersSoAnyWriteIsReported() {
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE).write("acme-tfstate-sandbox", "scratch/terraform.tfstate");

        Finding f = s.replay(POLICY).only(FindingType.STATE_WRITE_UNEXPECTED_SUBJECT);

        assertEquals("acme-tfstate-sandbox/scratch/terraform.tfstate", f.stateKey());
    }

    @Test
    void immutableSubjectOfAWriterMatchesTheClassicPolicyForm() {
        Scenario s = new Scenario();
        Credentials run = s.login("repo:acme@1234567/infra@7654321:ref:refs/heads/main", APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }
}
