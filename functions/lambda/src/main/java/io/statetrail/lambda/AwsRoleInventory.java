package io.statetrail.lambda;

import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.service.port.RoleInventory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * Posture's view of an account through IAM: every role ({@code ListRoles}, page by page), each role that trusts an OIDC
 * provider again with {@code GetRole} (its trust as it is now, and {@code RoleLastUsed}, which ListRoles leaves out),
 * and the account's OIDC providers ({@code ListOpenIDConnectProviders}). In a member account it goes through the member
 * role; in the functions' own account, and on the command line, with the caller's credentials. Anything that stops it
 * (access denied, no role, throttling) is {@link RoleInventory.Unavailable} with the reason.
 */
public final class AwsRoleInventory implements RoleInventory {

    private final Function<String, IamClient> clients;
    private final MemberRole member;

    /**
     * @param clients        an IAM client signing with this role's credentials (null: the caller's own)
     * @param memberRoleName the member role's name, or null when only the caller's own account is read
     * @param homeAccount    the caller's own account
     */
    public AwsRoleInventory(Function<String, IamClient> clients, String memberRoleName, Supplier<String> homeAccount) {
        this.clients = clients;
        this.member = new MemberRole(memberRoleName, homeAccount);
    }

    @Override
    public AccountInventory inventory(String account) {
        try {
            IamClient iam = clients.apply(member.arnFor(account, "posture"));
            List<IamRole> roles = new ArrayList<>();
            for (Role listed : iam.listRolesPaginator(b -> { }).roles()) {
                if (account != null && !account.equals(accountOf(listed.arn()))) {
                    throw new Unavailable("the credentials list the roles of account " + accountOf(listed.arn()) + ", not " + account, null);
                }
                IamRole role = role(listed, null);
                if (!role.oidcTrusts().isEmpty()) {
                    role = current(iam, listed);
                }
                if (role != null) {
                    roles.add(role);
                }
            }
            List<String> providers = iam.listOpenIDConnectProviders(b -> { }).openIDConnectProviderList().stream()
                    .map(OpenIDConnectProviderListEntry::arn).sorted().toList();
            return new AccountInventory(account, roles, providers);
        } catch (IllegalStateException e) {
            throw new Unavailable(e.getMessage(), e);
        } catch (SdkException e) {
            throw new Unavailable(e.getClass().getSimpleName() + ": " + AwsLockProbe.firstLine(e.getMessage()), e);
        }
    }

    /** The role as GetRole tells it now, with when it was last used; null when it was deleted since it was listed. */
    private static IamRole current(IamClient iam, Role listed) {
        try {
            Role full = iam.getRole(b -> b.roleName(listed.roleName())).role();
            return role(full, full.roleLastUsed() == null ? null : full.roleLastUsed().lastUsedDate());
        } catch (NoSuchEntityException e) {
            return null;
        }
    }

    private static IamRole role(Role r, Instant lastUsed) {
        return new IamRole(r.arn(), r.roleName(), r.path(), r.roleId(), decode(r.assumeRolePolicyDocument()), r.createDate(), lastUsed);
    }

    private static String accountOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        return parts.length > 4 ? parts[4] : null;
    }

    /**
     * IAM returns trust policies URL-encoded (RFC 3986: a space is {@code %20}, a {@code +} may stand as it is), which the
     * SDK does not decode; a document that is already JSON is kept as it is.
     */
    static String decode(String document) {
        if (document == null || document.stripLeading().startsWith("{")) {
            return document;
        }
        return URLDecoder.decode(document.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
