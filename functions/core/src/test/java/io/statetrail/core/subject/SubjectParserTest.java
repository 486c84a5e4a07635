package io.statetrail.core.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectParserTest {

    private static final String GITHUB = "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com";

    private static Map.Entry<String, String> claim(String key, String value) {
        return new SimpleImmutableEntry<>(key, value);
    }

    @Test
    void branchSubjectGivesRepositoryRefAndBranch() {
        Subject s = SubjectParser.parse("repo:octo-org/octo-repo:ref:refs/heads/main", GITHUB);

        assertEquals(Subject.Issuer.GITHUB, s.issuer());
        assertEquals("octo-org/octo-repo", s.repository());
        assertEquals("refs/heads/main", s.ref());
        assertEquals(Optional.of("main"), s.branch());
        assertEquals(Optional.empty(), s.tag());
        assertEquals("branch", s.eventKind());
        assertEquals("refs/heads/main", s.context());
        assertFalse(s.hasImmutableIds());
    }

    @Test
    void branchNamesWithSlashesStayWhole() {
        Subject s = SubjectParser.parse("repo:acme/infra:ref:refs/heads/feature/faster-plans");

        assertEquals(Optional.of("feature/faster-plans"), s.branch());
    }

    @Test
    void tagSubjectGivesTheTag() {
        Subject s = SubjectParser.parse("repo:octo-org/octo-repo:ref:refs/tags/v1.2.0", GITHUB);

        assertEquals(Optional.of("v1.2.0"), s.tag());
        assertEquals("tag", s.eventKind());
    }

    @Test
    void environmentSubjectGivesTheEnvironment() {
        Subject s = SubjectParser.parse("repo:octo-org/octo-repo:environment:prod", GITHUB);

        assertEquals("prod", s.environment());
        assertNull(s.ref());
        assertEquals("environment", s.eventKind());
        assertEquals("environment:prod", s.context());
    }

    @Test
    void pullRequestSubjectIsAKeyWithoutValue() {
        Subject s = SubjectParser.parse("repo:octo-org/octo-repo:pull_request", GITHUB);

        assertEquals("octo-org/octo-repo", s.repository());
        assertEquals("pull_request", s.eventKind());
        assertEquals("pull_request", s.context());
        assertEquals(List.of(claim("repo", "octo-org/octo-repo"), claim("pull_request", null)), s.claims());
    }

    @Test
    void encodedColonInAValueIsDecodedInClaimsAndKeptInRaw() {
        String raw = "repo:octo-org/octo-repo:environment:Production%3AV1";

        Subject s = SubjectParser.parse(raw, GITHUB);

        assertEquals("Production:V1", s.environment());
        assertEquals(raw, s.raw());
        assertEquals(2, s.claims().size());
    }

    @Test
    void immutableSubjectGivesNamesAndIds() {
        Subject s = SubjectParser.parse("repo:octo-org@123456/octo-repo@456789:ref:refs/heads/main", GITHUB);

        assertEquals("octo-org/octo-repo", s.repository());
        assertEquals("123456", s.ownerId());
        assertEquals("456789", s.repositoryId());
        assertEquals("refs/heads/main", s.ref());
        assertTrue(s.hasImmutableIds());
        assertEquals("repo:octo-org/octo-repo:ref:refs/heads/main", s.withoutImmutableIds());
    }

    @Test
    void classicSubjectIsUnchangedWithoutImmutableIds() {
        String raw = "repo:octo-org/octo-repo:environment:prod";

        assertEquals(raw, SubjectParser.parse(raw).withoutImmutableIds());
    }

    @Test
    void patternsPinningIdsAreToldApartFromClassicOnes() {
        assertTrue(SubjectParser.pinsImmutableIds("repo:acme@1/infra@2:*"));
        assertFalse(SubjectParser.pinsImmutableIds("repo:acme/infra:*"));
        assertFalse(SubjectParser.pinsImmutableIds("repository_owner:acme@corp"));
    }

    @Test
    void customTemplateNotStartingWithRepoIsStillGitHub() {
        Subject s = SubjectParser.parse("repository_owner:monalisa:repository_visibility:private", GITHUB);

        assertEquals(Subject.Issuer.GITHUB, s.issuer());
        assertEquals("monalisa/*", s.repository());
        assertEquals(List.of(claim("repository_owner", "monalisa"), claim("repository_visibility", "private")), s.claims());
        assertNull(s.eventKind());
    }

    @Test
    void customTemplateIsRecognisedByItsFirstKeyWithoutAProvider() {
        assertEquals(Subject.Issuer.GITHUB, SubjectParser.parse("repository_owner:monalisa").issuer());
        assertEquals(Subject.Issuer.GITHUB, SubjectParser.parse("repository_id:456789").issuer());
    }

    @Test
    void customTemplateWithContextAndWorkflowRefKeepsEveryClaim() {
        Subject s = SubjectParser.parse(
                "repo:octo-org/octo-repo:environment:prod:job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main", GITHUB);

        assertEquals("octo-org/octo-repo", s.repository());
        assertEquals("prod", s.environment());
        assertEquals("environment", s.eventKind());
        assertNull(s.ownerId(), "the @ in job_workflow_ref is not an immutable id");
        assertEquals(claim("job_workflow_ref", "octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main"), s.claims().get(2));
    }

    @Test
    void gitLabSubjectExpandsTheShortRef() {
        Subject s = SubjectParser.parse("project_path:mygroup/myproject:ref_type:branch:ref:main");

        assertEquals(Subject.Issuer.GITLAB, s.issuer());
        assertEquals("mygroup/myproject", s.repository());
        assertEquals("refs/heads/main", s.ref());
        assertEquals("branch", s.eventKind());
    }

    @Test
    void gitLabTagSubject() {
        Subject s = SubjectParser.parse("project_path:mygroup/myproject:ref_type:tag:ref:v1", "arn:aws:iam::1:oidc-provider/gitlab.com");

        assertEquals(Subject.Issuer.GITLAB, s.issuer());
        assertEquals(Optional.of("v1"), s.tag());
    }

    @Test
    void hcpTerraformSubjectKeepsSpacesInNames() {
        Subject s = SubjectParser.parse("organization:acme:project:Default Project:workspace:network-prod:run_phase:apply",
                "arn:aws:iam::1:oidc-provider/app.terraform.io");

        assertEquals(Subject.Issuer.HCP_TERRAFORM, s.issuer());
        assertEquals("acme/Default Project/network-prod", s.repository());
        assertEquals("run_phase:apply", s.eventKind());
    }

    @Test
    void eksServiceAccountSubject() {
        Subject s = SubjectParser.parse("system:serviceaccount:platform:terraform-runner",
                "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");

        assertEquals(Subject.Issuer.KUBERNETES, s.issuer());
        assertEquals("platform/terraform-runner", s.repository());
        assertEquals("serviceaccount", s.eventKind());
    }

    @Test
    void providerDecidesTheIssuerOfAnUnfamiliarShape() {
        assertEquals(Subject.Issuer.GITHUB, SubjectParser.parse("actor:octocat", "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com/acme-ent").issuer());
        assertEquals(Subject.Issuer.GITHUB, SubjectParser.parse("actor:octocat", "arn:aws:iam::1:oidc-provider/token.actions.acme.ghe.com").issuer());
        assertEquals(Subject.Issuer.OTHER, SubjectParser.parse("actor:octocat", "arn:aws:iam::1:oidc-provider/idp.example.com").issuer());
    }

    @Test
    void cognitoIdentityIdIsKeptAsOther() {
        Subject s = SubjectParser.parse("ap-southeast-2:f33550b0-d103-4ff1-9319-1745fea988da", "cognito-identity.amazonaws.com");

        assertEquals(Subject.Issuer.OTHER, s.issuer());
        assertEquals("ap-southeast-2:f33550b0-d103-4ff1-9319-1745fea988da", s.raw());
        assertNull(s.repository());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "::::", "repo:", "repo::ref:", "%3A%3a%", "repo:@/@:ref", "pull_request:pull_request",
            "system:serviceaccount", "\u0000:\uffff", "repo:a@b@c/d@e@f:environment", "<img src=x onerror=alert(1)>"})
    void garbageNeverThrowsAndKeepsTheRawText(String raw) {
        Subject s = SubjectParser.parse(raw, null);

        assertEquals(raw, s.raw());
        assertNotNull(s.issuer());
        assertNotNull(s.withoutImmutableIds());
    }

    @Test
    void nullSubjectIsEmpty() {
        Subject s = SubjectParser.parse(null);

        assertEquals("", s.raw());
        assertEquals(Subject.Issuer.OTHER, s.issuer());
        assertEquals(List.of(), s.claims());
    }
}
