package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.OTHER_REPO_PR;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PULL_REQUEST;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateReadUnexpectedSubjectTest {

    @Test
    void anotherRepositoryReadingInfraStateIsReported() {
        Scenario s = new Scenario();
        Credentials run = s.login(OTHER_REPO_PR, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE);
        run.read(BUCKET, STATE);
        run.read(BUCKET, STATE);

        Finding f = s.replay(POLICY).only(FindingType.STATE_READ_UNEXPECTED_SUBJECT);

        assertEquals(OTHER_REPO_PR, f.subject());
        assertEquals(STATE_KEY, f.stateKey());
        assertEquals(2, f.count());
        assertEquals("medium", f.severity().label());
    }

    @Test
    void readerSubjectReadingRaisesNothing() {
        Scenario s = new Scenario();
        s.login(PULL_REQUEST, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE).read(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void readersDefaultToTheWriters() {
        Policy writersOnly = PolicyLoader.parse("""
                roles:
                  - arn: "*"
                    subjects: ["*"]
                states:
                  - key: "acme-tfstate-prod/infra/*"
                    writers: ["repo:acme/infra:ref:refs/heads/main"]
                """, "writers-only.yaml");
        Scenario s = new Scenario();
        s.login("repo:acme/infra:ref:refs/heads/main", TOOLING_ROLE).read(BUCKET, STATE);
        Credentials pr = s.login(PULL_REQUEST, TOOLING_ROLE);
        pr.read(BUCKET, STATE);

        Finding f = s.replay(writersOnly).only(FindingType.STATE_READ_UNEXPECTED_SUBJECT);

        assertEquals(PULL_REQUEST, f.subject());
    }

    @Test
    void readingTheLockObjectIsNotReadingState() {
        Scenario s = new Scenario();
        s.login(OTHER_REPO_PR, TOOLING_ROLE).read(BUCKET, STATE + ".tflock");

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.STATE_READ_UNEXPECTED_SUBJECT));
    }

    @Test
    void refusedReadIsIgnored() {
        Scenario s = new Scenario();
        s.login(OTHER_REPO_PR, TOOLING_ROLE).read(BUCKET, STATE).failed("AccessDenied", "Access Denied");

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.STATE_READ_UNEXPECTED_SUBJECT));
    }
}
