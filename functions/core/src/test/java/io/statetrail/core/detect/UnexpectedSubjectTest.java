package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.FEATURE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PROD;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.PULL_REQUEST;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnexpectedSubjectTest {

    @Test
    void featureBranchAcceptedByTheApplyRoleIsReported() {
        Scenario s = new Scenario();
        Credentials run = s.login(FEATURE, APPLY_ROLE);

        Finding f = s.replay(POLICY).only(FindingType.UNEXPECTED_SUBJECT);

        assertEquals(FEATURE, f.subject());
        assertEquals("acme/infra", f.repository());
        assertEquals("refs/heads/feature/faster-plans", f.ref());
        assertEquals(APPLY_ROLE, f.roleArn());
        assertEquals(PROD, f.account());
        assertEquals(run.key(), f.accessKeyId());
        assertEquals(run.key(), f.runKey(), "the login opens the run, so the dashboard can link it");
        assertEquals(List.of(APPLY_ROLE), f.roleChain());
        assertEquals("subject not in the role's allowed subjects", f.details().get("reason"));
        assertEquals("high", f.severity().label());
    }

    @Test
    void allowedSubjectsRaiseNothing() {
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE);
        s.login(PRODUCTION, APPLY_ROLE);

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void roleThatNoPolicyEntryCoversAcceptsNoSubject() {
        Scenario s = new Scenario();
        s.login(MAIN, "arn:aws:iam::222222222222:role/forgotten-role");

        Finding f = s.replay(POLICY).only(FindingType.UNEXPECTED_SUBJECT);

        assertEquals("no policy entry covers this role", f.details().get("reason"));
    }

    @Test
    void immutableSubjectMatchesClassicPatternButNotAPatternPinningOtherIds() {
        Policy pinned = PolicyLoader.parse("""
                roles:
                  - arn: "arn:aws:iam::222222222222:role/gha-prod-apply"
                    subjects: ["repo:acme@1/infra@2:ref:refs/heads/main"]
                """, "pinned.yaml");
        Scenario s = new Scenario();
        s.login("repo:acme@1/infra@2:ref:refs/heads/main", APPLY_ROLE);
        s.login("repo:acme@1/infra@999:ref:refs/heads/main", APPLY_ROLE);

        List<Finding> findings = s.replay(pinned).ofType(FindingType.UNEXPECTED_SUBJECT);
        assertEquals(1, findings.size());
        assertEquals("repo:acme@1/infra@999:ref:refs/heads/main", findings.get(0).subject());
        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.UNEXPECTED_SUBJECT));
    }

    @Test
    void providerRestrictionRejectsATokenFromAnotherIssuer() {
        Policy githubOnly = PolicyLoader.parse("""
                roles:
                  - arn: "arn:aws:iam::222222222222:role/gha-prod-apply"
                    subjects: ["*"]
                    providers: ["arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com"]
                """, "github-only.yaml");
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE);
        s.add(Rec.assumeRoleWithWebIdentity("project_path:acme/infra:ref_type:branch:ref:main", APPLY_ROLE, s.newSessionKey())
                .set("responseElements.provider", "arn:aws:iam::222222222222:oidc-provider/gitlab.com")
                .set("userIdentity.identityProvider", "arn:aws:iam::222222222222:oidc-provider/gitlab.com"));

        Finding f = s.replay(githubOnly).only(FindingType.UNEXPECTED_SUBJECT);

        assertEquals("project_path:acme/infra:ref_type:branch:ref:main", f.subject());
        assertEquals("arn:aws:iam::222222222222:oidc-provider/gitlab.com", f.details().get("provider"));
    }

    @Test
    void roleHopsAreNotLoginsAndAreNotJudgedBySubject() {
        Scenario s = new Scenario();
        s.login(PULL_REQUEST, TOOLING_ROLE).assumeRole(TERRAFORM_PROD_ROLE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.UNEXPECTED_SUBJECT));
    }

    @Test
    void loginDeliveredTwiceIsOneFinding() {
        Scenario s = new Scenario();
        s.login(FEATURE, APPLY_ROLE);
        s.addAsIs(s.records().get(0).copy());

        assertEquals(1, s.replay(POLICY).ofType(FindingType.UNEXPECTED_SUBJECT).size());
    }
}
