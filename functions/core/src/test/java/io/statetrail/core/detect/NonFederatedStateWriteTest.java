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
}
