package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.BREAKGLASS_USER;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.DEVELOPER_USER;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Caller;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonFederatedStateWriteTest {

    @Test
    void iamUserWritingStateWithALongLivedKeyIsReported() {
        Scenario s = new Scenario();
        Credentials alice = s.iamUser(DEVELOPER_USER);
        alice.lock(BUCKET, STATE);
        alice.write(BUCKET, STATE);
        alice.unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.NON_FEDERATED_STATE_WRITE);

        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(alice.key(), f.accessKeyId());
        assertEquals(alice.key(), f.runKey());
        assertEquals(DEVELOPER_USER, f.details().get("principal"));
        assertEquals("IAM_USER", f.details().get("principalType"));
        assertEquals(3, f.count());
    }

    @Test
    void roleSessionChainedFromAnIamUserIsStillNonFederated() {
        Scenario s = new Scenario();
        Credentials alice = s.iamUser(DEVELOPER_USER);
        Credentials tf = alice.assumeRole(TERRAFORM_PROD_ROLE);
        tf.write(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.NON_FEDERATED_STATE_WRITE);

        assertEquals(tf.key(), f.accessKeyId());
        assertEquals(List.of(TERRAFORM_PROD_ROLE), f.roleChain());
        assertEquals(DEVELOPER_USER, f.details().get("principal"));
        assertEquals("iam-user", f.details().get("origin"));
    }

    @Test
    void breakGlassUserNamedAsWriterIsAllowed() {
        Scenario s = new Scenario();
        Credentials breakglass = s.iamUser(BREAKGLASS_USER);
        breakglass.lock(BUCKET, STATE);
        breakglass.write(BUCKET, STATE);
        breakglass.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void takingOnlyTheLockIsReportedAsChangingTheLock() {
        Scenario s = new Scenario();
        Credentials alice = s.iamUser(DEVELOPER_USER);
        alice.lock(BUCKET, STATE);
        alice.unlock(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.NON_FEDERATED_STATE_WRITE);

        assertTrue(f.summary().contains("changed the lock of state " + STATE_KEY), f.summary());
    }

    @Test
    void readsByAnIamUserAreNotWrites() {
        Scenario s = new Scenario();
        s.iamUser(DEVELOPER_USER).read(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.NON_FEDERATED_STATE_WRITE));
    }

    @Test
    void rootUserWritingStateIsReported() {
        Scenario s = new Scenario();
        s.add(Rec.s3("PutObject", Caller.root("222222222222", "AKIAROOTROOTROOTROOT"), BUCKET, STATE));

        Finding f = s.replay(POLICY).only(FindingType.NON_FEDERATED_STATE_WRITE);

        assertEquals("ROOT", f.details().get("principalType"));
    }

    @Test
    void awsServiceCopyingObjectsIsNotFlagged() {
        Scenario s = new Scenario();
        s.add(Rec.s3("PutObject", Caller.service("s3.amazonaws.com"), BUCKET, STATE));

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.NON_FEDERATED_STATE_WRITE));
    }

    // ---- temporary keys that no AssumeRole* issued (issue 13, point 1) ----

    private static final String CONSOLE_KEY = "ASIAW6NHX2PACONSOLE1";
    private static final String MFA_KEY = "ASIAW6NHX2PAMFAVAULT";

    @Test
    void iamUserSignedInToTheConsoleIsNonFederatedNotAnUnattributedSession() {
        Scenario s = new Scenario();
        Credentials alice = s.actingAs(Caller.iamUserConsole(DEVELOPER_USER, CONSOLE_KEY, "2026-11-04T09:41:07Z"));
        alice.lock(BUCKET, STATE);
        alice.write(BUCKET, STATE);
        alice.unlock(BUCKET, STATE);

        List<Finding> found = s.replay(POLICY).findings();

        assertEquals(List.of("non-federated-state-write"), found.stream().map(Finding::type).toList());
        Finding f = found.get(0);
        assertEquals("high", f.severity().label());
        assertEquals(CONSOLE_KEY, f.accessKeyId());
        assertEquals(CONSOLE_KEY, f.runKey());
        assertEquals(DEVELOPER_USER, f.details().get("principal"));
        assertEquals("IAM_USER", f.details().get("principalType"));
    }

    @Test
    void breakGlassUserSignedInToTheConsoleIsAllowedByItsArn() {
        Scenario s = new Scenario();
        Credentials breakglass = s.actingAs(Caller.iamUserConsole(BREAKGLASS_USER, CONSOLE_KEY, "2026-11-04T09:41:07Z"));
        breakglass.lock(BUCKET, STATE);
        breakglass.write(BUCKET, STATE);
        breakglass.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void roleAssumedFromAnMfaSessionKeepsTheIamUserAsItsOrigin() {
        // aws-vault: GetSessionToken with MFA, then AssumeRole with those credentials.
        Scenario s = new Scenario();
        Credentials vault = s.actingAs(Caller.iamUserMfaSession(DEVELOPER_USER, MFA_KEY, "2026-11-04T08:12:40Z"));
        Credentials tf = vault.assumeRole(TERRAFORM_PROD_ROLE);
        tf.lock(BUCKET, STATE);
        tf.write(BUCKET, STATE);
        tf.unlock(BUCKET, STATE);

        List<Finding> found = s.replay(POLICY).findings();

        assertEquals(List.of("non-federated-state-write"), found.stream().map(Finding::type).toList());
        Finding f = found.get(0);
        assertEquals(tf.key(), f.accessKeyId());
        assertEquals(tf.key(), f.runKey());
        assertEquals(List.of(TERRAFORM_PROD_ROLE), f.roleChain());
        assertEquals(DEVELOPER_USER, f.details().get("principal"));
        assertEquals("iam-user", f.details().get("origin"));
    }

    @Test
    void breakGlassChainFromAnMfaSessionIsAllowedByTheUsersArn() {
        Scenario s = new Scenario();
        Credentials tf = s.actingAs(Caller.iamUserMfaSession(BREAKGLASS_USER, MFA_KEY, "2026-11-04T08:12:40Z")).assumeRole(TERRAFORM_PROD_ROLE);
        tf.lock(BUCKET, STATE);
        tf.write(BUCKET, STATE);
        tf.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void rootConsoleSessionAndAssumeRootSessionAreRoot() {
        for (Caller root : List.of(Caller.rootConsole("222222222222", "ASIAW6NHX2PAROOTCONS", "2026-11-04T09:00:00Z"),
                Caller.assumedRoot("222222222222", "ASIAW6NHX2PAROOTTASK", "2026-11-04T09:00:00Z"))) {
            Scenario s = new Scenario();
            s.actingAs(root).delete(BUCKET, STATE);

            List<Finding> found = s.replay(POLICY).findings();

            assertEquals(List.of("non-federated-state-write", "state-deleted"), found.stream().map(Finding::type).sorted().toList(), root.json().toString());
            Finding f = s.replay(POLICY).only(FindingType.NON_FEDERATED_STATE_WRITE);
            assertEquals("ROOT", f.details().get("principalType"));
            assertEquals("arn:aws:iam::222222222222:root", f.details().get("principal"));
            assertEquals(root.accessKeyId(), f.runKey());
        }
    }

    @Test
    void federatedUserIsItsOwnOriginAndItsIssuingUserMayBeAllowedByArn() {
        Scenario s = new Scenario();
        Caller bob = Caller.federatedUser("222222222222", "bob-fed", DEVELOPER_USER, "ASIAW6NHX2PAFEDERATE", "2026-11-04T09:00:00Z");
        s.actingAs(bob).write(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.NON_FEDERATED_STATE_WRITE);

        assertEquals("FEDERATED_USER", f.details().get("principalType"));
        assertEquals("federated-user", f.details().get("origin"));
        assertEquals("arn:aws:sts::222222222222:federated-user/bob-fed", f.details().get("principal"));
        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.UNATTRIBUTED_SESSION));

        Scenario allowed = new Scenario();
        allowed.actingAs(Caller.federatedUser("222222222222", "oncall", BREAKGLASS_USER, "ASIAW6NHX2PAFEDERAT2", "2026-11-04T09:00:00Z"))
                .write(BUCKET, STATE);
        assertEquals(List.of(), allowed.replay(POLICY).ofType(FindingType.NON_FEDERATED_STATE_WRITE));
    }
}
