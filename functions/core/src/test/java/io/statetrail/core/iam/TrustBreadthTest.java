package io.statetrail.core.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.fixture.Roles;
import io.statetrail.core.policy.Glob;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustBreadthTest {

    private static String sub(String operator, String value) {
        return Roles.trust(Roles.GITHUB, "{\"" + operator + "\":{\"token.actions.githubusercontent.com:sub\":\"" + value + "\"}}");
    }

    @Test
    void ownersAnyoneCanRegisterAreTooWideUnderAnyPolicy() {
        for (String wide : List.of("*", "repo:*", "repo:*/infra:ref:refs/heads/main", "repo:acme*/infra:*", "re*:acme/infra:*",
                "repo:ac?e/infra:*", "project_path:*/infra:*", "organization:*:project:x:workspace:y:run_phase:apply",
                "repository_owner:*")) {
            assertEquals(1, TrustBreadth.problemsUnderAnyPolicy(sub("StringLike", wide)).size(), wide);
        }
        for (String owned : List.of("repo:acme/*", "repo:acme/infra:*", "repo:acme@123/*", "project_path:acme/*:ref_type:branch:ref:main",
                "organization:acme:project:*:workspace:*:run_phase:*", "system:serviceaccount:*:*")) {
            assertEquals(List.of(), TrustBreadth.problemsUnderAnyPolicy(sub("StringLike", owned)), owned);
        }
    }

    @Test
    void stringEqualsComparesLiterallySoAStarThereIsNoWildcard() {
        assertEquals(List.of(), TrustBreadth.problemsUnderAnyPolicy(sub("StringEquals", "repo:*")));
    }

    @Test
    void againstThePolicyAnyValueItDoesNotCoverIsAProblem() {
        List<String> problems = TrustBreadth.problems(sub("StringLike", "repo:acme/infra:*"), List.of(Glob.of("repo:acme/infra:ref:refs/heads/main")));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).endsWith("'repo:acme/infra:*' admits subjects the policy does not allow for this role"), problems.get(0));
        assertFalse(TrustBreadth.problems(sub("StringLike", "repo:acme/infra:*"), List.of(Glob.of("repo:acme/*"))).iterator().hasNext());
    }
}
