package io.statetrail.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingIds;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Roles;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PostureTest {

    private static final Instant NOW = Instant.parse("2026-12-08T06:00:00Z");

    private static Map<String, Set<String>> byRole(List<Finding> findings) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Finding f : findings) {
            out.computeIfAbsent(f.roleArn(), k -> new TreeSet<>()).add(f.type());
        }
        return out;
    }

    @Test
    void rolesOfEveryShapeGiveExactlyTheExpectedFindings() {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (Roles.Shape s : Roles.SHAPES) {
            if (!s.expected().isEmpty()) {
                expected.put(s.arn(), new TreeSet<>(s.expected()));
            }
        }

        assertEquals(expected, byRole(Posture.run(Roles.inventory(), Roles.POLICY, NOW)));
    }

    @Test
    void aFindingSaysWhatIsWrongAndIsTheSameFindingOnTheNextRun() {
        List<Finding> today = Posture.run(Roles.inventory(), Roles.POLICY, NOW);
        List<Finding> tomorrow = Posture.run(Roles.inventory(), Roles.POLICY, NOW.plusSeconds(86_400));

        Finding website = today.stream().filter(f -> f.roleArn().endsWith("/gha-website")).findFirst().orElseThrow();
        assertEquals("critical", website.severity().label());
        assertEquals(Roles.ACCOUNT, website.account());
        assertEquals(NOW, website.time());
        assertNull(website.subject());
        assertTrue(website.details().get("problems").contains("'repo:acme/*' admits subjects the policy does not allow for this role"),
                website.details().get("problems"));
        assertEquals(Roles.GITHUB, website.details().get("providers"));
        assertEquals("line 6", website.details().get("policyEntries"));
        assertEquals(FindingIds.of(FindingType.OIDC_TRUST_TOO_WIDE, website.roleArn()), website.id());
        assertEquals(today.stream().map(Finding::id).toList(), tomorrow.stream().map(Finding::id).toList());
    }

    @Test
    void anUnlistedRoleIsMediumAndNamesItsCiSystemAndConditions() {
        Finding gitlab = Posture.run(Roles.inventory(), Roles.POLICY, NOW).stream()
                .filter(f -> f.roleArn().endsWith("/gitlab-deploy")).findFirst().orElseThrow();

        assertEquals("oidc-role-unlisted", gitlab.type());
        assertEquals("medium", gitlab.severity().label());
        assertEquals("GitLab", gitlab.details().get("ciSystems"));
        assertEquals("StringEquals project_path:acme/infra:ref_type:branch:ref:main", gitlab.details().get("sub"));
    }

    @Test
    void withoutAPolicyEveryCiRoleIsUnlistedAndOnlyWhatNoPolicyCouldAllowIsTooWide() {
        Map<String, Set<String>> found = byRole(Posture.run(Roles.inventory(), Policy.empty(), NOW));

        assertEquals(Set.of("oidc-trust-too-wide", "oidc-role-unlisted"), found.get(Roles.SHAPES.get(2).arn()), "no sub");
        assertEquals(Set.of("oidc-trust-too-wide", "oidc-role-unlisted"), found.get("arn:aws:iam::222222222222:role/gha-any-org"));
        assertEquals(Set.of("oidc-trust-too-wide", "oidc-role-unlisted"), found.get("arn:aws:iam::222222222222:role/gha-multi"), "ForAnyValue");
        assertEquals(Set.of("oidc-role-unlisted"), found.get("arn:aws:iam::222222222222:role/gha-website"), "repo:acme/* is acme's own business");
        assertEquals(Set.of("oidc-role-unlisted"), found.get("arn:aws:iam::222222222222:role/ci/gha-deploy"));
        assertNull(found.get("arn:aws:iam::222222222222:role/eks-app"), "EKS is not a CI system");
        assertNull(found.get("arn:aws:iam::222222222222:role/service-role/lambda-exec"));
    }

    @Test
    void aRoleWhoseProviderIsGoneSaysSo() {
        AccountInventory inv = Roles.inventory();
        AccountInventory noGitHub = new AccountInventory(inv.account(), inv.roles(), List.of(Roles.GITLAB));

        Finding open = Posture.run(noGitHub, Roles.POLICY, NOW).stream()
                .filter(f -> f.roleArn().endsWith("/gha-open") && f.type().equals("oidc-trust-too-wide")).findFirst().orElseThrow();

        assertEquals(Roles.GITHUB, open.details().get("providersMissing"));
    }

    @Test
    void anEntryWithThePathCoversTheRoleToo() {
        Policy withPath = PolicyLoader.parse("""
                roles:
                  - arn: "arn:aws:iam::222222222222:role/ci/gha-deploy"
                    subjects: ["repo:acme/deploy:ref:refs/heads/main"]
                """, "p.yaml");
        IamRole deploy = Roles.SHAPES.stream().filter(s -> s.name().equals("gha-deploy")).findFirst().orElseThrow().role();

        List<Finding> found = Posture.run(new AccountInventory(Roles.ACCOUNT, List.of(deploy), List.of(Roles.GITHUB)), withPath, NOW);

        assertEquals(1, found.size());
        assertEquals("oidc-trust-too-wide", found.get(0).type(), "production is not main");
    }
}
