package io.statetrail.core.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statetrail.core.fixture.Quickly;
import io.statetrail.core.subject.SubjectParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Any text is a policy or a {@link PolicyException} naming the file; nothing else escapes. */
class PolicyLoaderFuzzTest {

    @FuzzTest
    void anyTextIsAPolicyOrSaysWhy(byte[] data) {
        Quickly.run(() -> check(data));
    }

    private static void check(byte[] data) {
        String yaml = new String(data, StandardCharsets.UTF_8);
        Policy policy;
        try {
            policy = PolicyLoader.parse(yaml, "fuzz.yaml");
        } catch (PolicyException e) {
            assertTrue(e.getMessage().startsWith("fuzz.yaml"), e.getMessage());
            return;
        }
        var subject = SubjectParser.parse("repo:acme/infra:ref:refs/heads/main");
        policy.roleAllows("arn:aws:iam::222222222222:role/gha-prod-apply", subject, "token.actions.githubusercontent.com");
        policy.isWriter("acme-tfstate-prod/infra/terraform.tfstate", subject);
        policy.isReaderPrincipal("acme-tfstate-prod/infra/terraform.tfstate", List.of("arn:aws:iam::222222222222:user/x"));
        assertTrue(!policy.staleLockAfter("acme-tfstate-prod/infra/terraform.tfstate").isNegative() && !policy.staleLockAfter("acme-tfstate-prod/infra/terraform.tfstate").isZero());
    }
}
