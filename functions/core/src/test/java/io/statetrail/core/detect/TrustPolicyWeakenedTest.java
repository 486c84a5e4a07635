package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PROD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Caller;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustPolicyWeakenedTest {

    private static final Caller ADMIN = Caller.session("ASIAADMINADMINADMIN1", "arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_Admin_0123/alice@acme.example", null, "2026-11-04T09:00:00Z");

    /** A GitHub OIDC trust policy with one condition block. */
    private static String trust(String conditions) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":%s}]}""".formatted(conditions);
    }

    private static List<Finding> afterUpdate(String roleName, String document, Policy policy) {
        Scenario s = new Scenario();
        s.add(Rec.updateAssumeRolePolicy(ADMIN, PROD, roleName, document));
        return s.replay(policy).ofType(FindingType.TRUST_POLICY_WEAKENED);
    }

    @Test
    void droppingTheSubConditionLetsAnyRepositoryInAndIsReported() {
        List<Finding> found = afterUpdate("gha-prod-apply",
                trust("{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"}}"), POLICY);

        assertEquals(1, found.size());
        Finding f = found.get(0);
        assertEquals(APPLY_ROLE, f.roleArn());
        assertEquals("critical", f.severity().label());
        assertEquals("UpdateAssumeRolePolicy", f.details().get("eventName"));
        assertTrue(f.details().get("problems").contains("no condition on token.actions.githubusercontent.com:sub"), f.details().get("problems"));
        assertEquals("arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_Admin_0123/alice@acme.example", f.details().get("changedBy"));
    }

    @Test
    void wildcardWiderThanThePolicyIsReportedWithThePattern() {
        List<Finding> found = afterUpdate("gha-prod-apply",
                trust("{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/*\"}}"), POLICY);

        assertEquals(1, found.size());
        assertTrue(found.get(0).details().get("problems").contains("'repo:acme/*' admits subjects the policy does not allow"),
                found.get(0).details().get("problems"));
    }

    @Test
    void conditionNoWiderThanThePolicyRaisesNothing() {
        String narrow = trust("{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\","
                + "\"token.actions.githubusercontent.com:sub\":[\"repo:acme/infra:ref:refs/heads/main\",\"repo:acme/infra:environment:production\"]}}");

        assertEquals(List.of(), afterUpdate("gha-prod-apply", narrow, POLICY));
    }

    @Test
    void immutableSubjectWithPinnedIdsIsNoWiderThanAClassicFormEntry() {
        String pinned = trust("{\"StringEquals\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme@1234567/infra@7654321:ref:refs/heads/main\"}}");

        assertEquals(List.of(), afterUpdate("gha-prod-apply", pinned, POLICY));
    }

    @Test
    void wildcardImmutableIdIsReportedEvenAgainstAClassicFormEntry() {
        List<Finding> found = afterUpdate("gha-prod-apply",
                trust("{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme@*/infra@*:ref:refs/heads/main\"}}"), POLICY);

        assertEquals(1, found.size());
        assertTrue(found.get(0).details().get("problems").contains("'repo:acme@*/infra@*:ref:refs/heads/main' admits"),
                found.get(0).details().get("problems"));
    }

    @Test
    void conditionKeyIsMatchedCaseInsensitivelyAsIamDoes() {
        String narrow = trust("{\"stringequals\":{\"Token.Actions.GithubUserContent.com:SUB\":\"repo:acme/infra:ref:refs/heads/main\"}}");

        assertEquals(List.of(), afterUpdate("gha-prod-apply", narrow, POLICY));
    }

    @Test
    void setOperatorOnTheSingleValuedSubIsReported() {
        List<Finding> found = afterUpdate("gha-prod-apply",
                trust("{\"ForAllValues:StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/infra:ref:refs/heads/main\"}}"), POLICY);

        assertEquals(1, found.size());
        assertTrue(found.get(0).details().get("problems").contains("ForAllValues:StringLike on token.actions.githubusercontent.com:sub"));
    }

    @Test
    void urlEncodedDocumentOfANewRoleIsDecoded() {
        String encoded = URLEncoder.encode(trust("{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/*\"}}"), StandardCharsets.UTF_8);
        Scenario s = new Scenario();
        s.add(Rec.createRole(ADMIN, APPLY_ROLE, encoded));

        Finding f = s.replay(POLICY).only(FindingType.TRUST_POLICY_WEAKENED);

        assertEquals("CreateRole", f.details().get("eventName"));
        assertEquals(APPLY_ROLE, f.roleArn());
    }

    @Test
    void trustInAServiceIsNotAnOidcTrust() {
        String service = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

        assertEquals(List.of(), afterUpdate("gha-prod-apply", service, POLICY));
    }

    @Test
    void roleWithAPathIsFoundByItsNameInTheSameAccount() {
        Policy withPath = PolicyLoader.parse("""
                roles:
                  - arn: "arn:aws:iam::222222222222:role/ci/gha-prod-apply"
                    subjects: ["repo:acme/infra:ref:refs/heads/main"]
                """, "with-path.yaml");
        String narrow = trust("{\"StringEquals\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/infra:ref:refs/heads/main\"}}");
        String wide = trust("{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/infra:*\"}}");

        assertEquals(List.of(), afterUpdate("gha-prod-apply", narrow, withPath));
        assertEquals(1, afterUpdate("gha-prod-apply", wide, withPath).size());
    }

    @Test
    void failedUpdateChangesNothing() {
        Scenario s = new Scenario();
        s.add(Rec.updateAssumeRolePolicy(ADMIN, PROD, "gha-prod-apply", trust("{}")).failed("AccessDenied", "denied"));

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    // ---- IAM's own semantics (issue 13, point 8) ----

    /** A trust statement with the given Action element (JSON), trusting GitHub with a sub condition pinned to main. */
    private static String trustWithAction(String actionElement) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"},
                 %s,
                 "Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}]}""".formatted(actionElement);
    }

    @Test
    void stringEqualsIgnoreCaseAdmitsCaseVariantsOfThePinnedBranch() {
        // refs/heads/MAIN is another branch: branch protection on main does not cover it.
        List<Finding> found = afterUpdate("gha-prod-apply",
                trust("{\"StringEqualsIgnoreCase\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/infra:ref:refs/heads/main\"}}"), POLICY);

        assertEquals(1, found.size());
        assertTrue(found.get(0).details().get("problems").contains(
                "token.actions.githubusercontent.com:sub StringEqualsIgnoreCase 'repo:acme/infra:ref:refs/heads/main' admits subjects the policy does not allow"),
                found.get(0).details().get("problems"));
    }

    @Test
    void stringEqualsIgnoreCaseIsNotReportedWhereThePolicyAdmitsEveryCaseVariant() {
        // Literal text of a policy glob is case-sensitive ("repo:*" does not admit "REPO:…"): only wildcards cover letters.
        Policy anyRef = PolicyLoader.parse("""
                roles:
                  - arn: "arn:aws:iam::222222222222:role/gha-prod-apply"
                    subjects: ["????:acme/infra:ref:refs/heads/*", "*"]
                """, "any.yaml");

        assertEquals(List.of(), afterUpdate("gha-prod-apply",
                trust("{\"stringequalsignorecase\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/infra:ref:refs/heads/main\"}}"), anyRef));
    }

    @Test
    void lowerCaseStringLikeIsAPatternOperatorToo() {
        List<Finding> found = afterUpdate("gha-prod-apply",
                trust("{\"stringlike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/*\"}}"), POLICY);

        assertEquals(1, found.size());
        assertTrue(found.get(0).details().get("problems").contains("'repo:acme/*' admits"), found.get(0).details().get("problems"));
    }

    @Test
    void everyActionThatGrantsWebIdentityMakesTheStatementATrust() {
        for (String action : List.of("\"Action\":\"sts:AssumeRoleWithWebIdentity\"", "\"Action\":\"STS:assumerolewithwebidentity\"",
                "\"Action\":\"sts:AssumeRole*\"", "\"Action\":[\"sts:TagSession\",\"sts:Assume*\"]", "\"Action\":\"sts:*\"",
                "\"Action\":\"*\"", "\"Action\":\"sts:*WebIdentity\"", "\"NotAction\":\"sts:AssumeRole\"",
                "\"NotAction\":[\"s3:*\",\"iam:*\"]")) {
            List<Finding> found = afterUpdate("gha-prod-apply", trustWithAction(action), POLICY);

            assertEquals(1, found.size(), action);
            assertTrue(found.get(0).details().get("problems").contains("no condition on token.actions.githubusercontent.com:sub"), action);
        }
    }

    @Test
    void actionsThatDoNotGrantWebIdentityMakeNoTrust() {
        for (String action : List.of("\"Action\":\"sts:AssumeRole\"", "\"Action\":[\"sts:TagSession\",\"sts:AssumeRoleWithSAML\"]",
                "\"NotAction\":\"sts:AssumeRoleWithWebIdentity\"", "\"NotAction\":\"sts:*\"", "\"NotAction\":[\"s3:*\",\"STS:Assume*\"]",
                "\"NotAction\":\"*\"")) {
            assertEquals(List.of(), afterUpdate("gha-prod-apply", trustWithAction(action), POLICY), action);
        }
    }

    @Test
    void everyValueOfAConditionListIsChecked() {
        List<Finding> found = afterUpdate("gha-prod-apply", trust("{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":"
                + "[\"repo:acme/infra:ref:refs/heads/main\",\"repo:acme/infra:ref:refs/heads/*\"]}}"), POLICY);

        assertEquals(1, found.size());
        String problems = found.get(0).details().get("problems");
        assertTrue(problems.contains("'repo:acme/infra:ref:refs/heads/*' admits"), problems);
        assertTrue(!problems.contains("'repo:acme/infra:ref:refs/heads/main' admits"), problems);
    }

    @Test
    void oneStatementTrustingSeveralProvidersIsCheckedForEach() {
        String twoProviders = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":["arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
                                           "arn:aws:iam::222222222222:oidc-provider/gitlab.com"]},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/infra:ref:refs/heads/main"}}}]}""";

        List<Finding> found = afterUpdate("gha-prod-apply", twoProviders, POLICY);

        assertEquals(1, found.size());
        String problems = found.get(0).details().get("problems");
        assertTrue(problems.contains("(arn:aws:iam::222222222222:oidc-provider/gitlab.com): no condition on gitlab.com:sub"), problems);
        assertTrue(!problems.contains("githubusercontent.com): no condition"), problems);
    }
}
