package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.detect.Posture;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.fixture.Roles;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.service.port.RoleInventory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/** Posture's reading of an account, over IAM's own wire format on loopback. */
class AwsRoleInventoryTest {

    private static final Instant LAST_USED = Instant.parse("2026-12-01T08:30:00Z");

    /** The fixture's roles, the GitHub deploy role last used a week ago (only GetRole tells it). */
    private static List<IamRole> roles() {
        List<IamRole> out = new ArrayList<>();
        for (Roles.Shape s : Roles.SHAPES) {
            IamRole r = s.role();
            out.add(s.name().equals("gha-prod-apply")
                    ? new IamRole(r.arn(), r.name(), r.path(), r.roleId(), r.trustPolicy(), r.created(), LAST_USED) : r);
        }
        return out;
    }

    @Test
    void rolesOfEveryShape_readPageByPage_giveExactlyTheExpectedFindings() throws Exception {
        try (LoopbackIam iam = new LoopbackIam(4).with(roles(), List.of(Roles.EKS, Roles.GITHUB, Roles.GITLAB, Roles.HCP));
             IamClient client = iam.client()) {
            AccountInventory inv = new AwsRoleInventory(arn -> client, null, () -> Roles.ACCOUNT).inventory(Roles.ACCOUNT);

            assertEquals(roles(), inv.roles(), "every role, its trust decoded as it was written");
            assertEquals(List.of(Roles.HCP, Roles.GITLAB, Roles.EKS, Roles.GITHUB), inv.oidcProviders(), "sorted by ARN");
            assertEquals(Roles.SHAPES.size() / 4 + 1, iam.actions.stream().filter("ListRoles"::equals).count(), "every page");
            assertEquals(Roles.SHAPES.size() - 1, iam.actions.stream().filter("GetRole"::equals).count(),
                    "GetRole for each role an OIDC provider can assume, not for the Lambda role");

            Map<String, Set<String>> expected = new TreeMap<>();
            for (Roles.Shape s : Roles.SHAPES) {
                if (!s.expected().isEmpty()) {
                    expected.put(s.arn(), new TreeSet<>(s.expected()));
                }
            }
            Map<String, Set<String>> found = new TreeMap<>();
            for (Finding f : Posture.run(inv, Roles.POLICY, Instant.parse("2026-12-08T06:00:00Z"))) {
                found.computeIfAbsent(f.roleArn(), k -> new TreeSet<>()).add(f.type());
            }
            assertEquals(expected, found);
        }
    }

    @Test
    void aMemberAccountIsReadThroughTheMemberRole() throws Exception {
        List<String> assumed = new ArrayList<>();
        try (LoopbackIam iam = new LoopbackIam(100).with(roles(), List.of(Roles.GITHUB)); IamClient client = iam.client()) {
            AwsRoleInventory inventory = new AwsRoleInventory(arn -> {
                assumed.add(String.valueOf(arn));
                return client;
            }, "statetrail-member", () -> "111111111111");

            inventory.inventory(Roles.ACCOUNT);

            assertEquals(List.of("arn:aws:iam::222222222222:role/statetrail-member"), assumed);
        }
    }

    @Test
    void anotherAccountWithoutAMemberRoleOrWithTheWrongCredentials_isUnavailable() throws Exception {
        try (LoopbackIam iam = new LoopbackIam(100).with(roles(), List.of(Roles.GITHUB)); IamClient client = iam.client()) {
            RoleInventory.Unavailable noRole = assertThrows(RoleInventory.Unavailable.class,
                    () -> new AwsRoleInventory(arn -> client, null, () -> "111111111111").inventory(Roles.ACCOUNT));
            assertTrue(noRole.getMessage().contains("no STATETRAIL_LOCK_READER_ROLE"), noRole.getMessage());

            // Credentials of another account than asked: its roles must not be judged as this one's.
            RoleInventory.Unavailable wrong = assertThrows(RoleInventory.Unavailable.class,
                    () -> new AwsRoleInventory(arn -> client, null, () -> "333333333333").inventory("333333333333"));
            assertTrue(wrong.getMessage().contains("account 222222222222, not 333333333333"), wrong.getMessage());
        }
    }

    @Test
    void accessDenied_isUnavailableWithIamsReason() throws Exception {
        try (LoopbackIam iam = new LoopbackIam(100).with(roles(), List.of()).deny(); IamClient client = iam.client()) {
            RoleInventory.Unavailable e = assertThrows(RoleInventory.Unavailable.class,
                    () -> new AwsRoleInventory(arn -> client, null, () -> Roles.ACCOUNT).inventory(Roles.ACCOUNT));

            assertTrue(e.getMessage().startsWith("IamException: User: arn:aws:sts::222222222222:assumed-role/statetrail-member"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("not authorized to perform: iam:ListRoles"), e.getMessage());
        }
    }

    @Test
    void trustPoliciesAreUrlDecodedAsIamReturnsThem_andAPlusStays() {
        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"a b+c\"}]}",
                AwsRoleInventory.decode("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22a%20b+c%22%7D%5D%7D"));
        assertEquals("{\"already\":\"json\"}", AwsRoleInventory.decode("{\"already\":\"json\"}"));
    }
}
