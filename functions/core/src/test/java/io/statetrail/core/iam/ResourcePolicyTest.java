package io.statetrail.core.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ResourcePolicyTest {

    private static final Predicate<String> OURS = Set.of("222222222222", "111111111111")::contains;

    private static List<String> outside(String statement) throws Exception {
        return ResourcePolicy.of(new ObjectMapper().readTree("{\"Statement\":" + statement + "}")).outsideAccess(OURS);
    }

    @Test
    void principalsOfOurAccountsOrRestrictedToOurOrganisationAreInside() throws Exception {
        assertEquals(List.of(), outside("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111111111111:role/r\",\"222222222222\"]},\"Action\":\"s3:*\"}"));
        assertEquals(List.of(), outside("[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}}]"));
        assertEquals(List.of(), outside("[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:PutObject\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\"}]"));
    }

    @Test
    void everyoneAnotherAccountOrNotPrincipalIsOutside() throws Exception {
        assertEquals(List.of("statement 0 allows everyone (Principal \"*\")"),
                outside("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:GetObject\"}]"));
        assertEquals(List.of("statement 0 allows everyone (Principal \"*\")"),
                outside("[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Condition\":{\"StringLike\":{\"aws:PrincipalOrgID\":\"*\"}}}]"));
        assertEquals(List.of("statement 'x' allows account 999988887777 (aws:principalaccount)"),
                outside("[{\"Sid\":\"x\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":\"999988887777\"}}}]"));
        assertEquals(List.of("statement 0 allows arn:aws:sts::999988887777:assumed-role/a/b"),
                outside("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:sts::999988887777:assumed-role/a/b\"},\"Action\":\"s3:*\"}"));
        assertEquals(List.of("statement 0 allows everyone but the principals it names (NotPrincipal)"),
                outside("[{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"s3:*\"}]"));
    }

    @Test
    void aPolicyGivenAsAStringIsRead_andDeniesCompareWithoutSidOrListOrder() throws Exception {
        String a = "{\"Statement\":[{\"Sid\":\"one\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"s3:DeleteObject\",\"s3:PutObject\"]}]}";
        String b = "{\"Statement\":{\"Sid\":\"two\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"s3:PutObject\",\"s3:DeleteObject\"]}}";

        assertEquals(ResourcePolicy.of(TextNode.valueOf(a)).denies(), ResourcePolicy.of(new ObjectMapper().readTree(b)).denies());
        assertThrows(IllegalArgumentException.class, () -> ResourcePolicy.of(TextNode.valueOf("not a policy")));
    }
}
