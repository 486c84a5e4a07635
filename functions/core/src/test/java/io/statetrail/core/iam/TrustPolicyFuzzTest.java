package io.statetrail.core.iam;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statetrail.core.fixture.Quickly;
import java.nio.charset.StandardCharsets;

/** Any document gives the OIDC trusts it holds, or IllegalArgumentException when it is not JSON. */
class TrustPolicyFuzzTest {

    @FuzzTest
    void anyDocumentIsReadOrRefusedAsNotJson(byte[] data) {
        Quickly.run(() -> check(data));
    }

    private static void check(byte[] data) {
        String document = new String(data, StandardCharsets.UTF_8);
        java.util.List<TrustPolicy.OidcTrust> trusts;
        try {
            trusts = TrustPolicy.oidcTrusts(document);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("trust policy is not JSON"), e.getMessage());
            return;
        }
        for (TrustPolicy.OidcTrust t : trusts) {
            assertTrue(t.provider().contains(":oidc-provider/"));
            assertTrue(t.subKey().endsWith(":sub"));
            for (TrustPolicy.SubCondition c : t.subConditions()) {
                assertNotNull(c.values());
                c.isPattern();
                c.isPositive();
                c.isSetOperator();
            }
        }
    }
}
