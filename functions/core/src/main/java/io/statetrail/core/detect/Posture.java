package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.core.iam.TrustPolicy;
import io.statetrail.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The roles that exist in one account, judged against the policy (issue 16): CloudTrail shows a trust policy only when
 * it changes, so a role created before statetrail was deployed is seen only here. Findings are a function of what IAM
 * listed and the policy; their time is when they were seen.
 */
public final class Posture {

    public static final List<PostureCheck> ALL = List.of(new OidcTrustTooWide(), new OidcRoleUnlisted());

    private final AccountInventory account;
    private final Policy policy;
    private final Instant now;

    private Posture(AccountInventory account, Policy policy, Instant now) {
        this.account = account;
        this.policy = policy;
        this.now = now;
    }

    /** Every posture check over one account, sorted like the trail's findings. */
    public static List<Finding> run(AccountInventory account, Policy policy, Instant now) {
        Posture p = new Posture(account, policy, now);
        List<Finding> out = new ArrayList<>();
        for (PostureCheck c : ALL) {
            out.addAll(c.check(p));
        }
        out.sort(Detections.ORDER);
        return out;
    }

    public AccountInventory account() {
        return account;
    }

    public Policy policy() {
        return policy;
    }

    /** The roles whose trust policy lets some OIDC provider's tokens assume them, in IAM's order. */
    public List<IamRole> oidcRoles() {
        return account.roles().stream().filter(r -> !r.oidcTrusts().isEmpty()).toList();
    }

    /** The OIDC providers a role trusts, sorted. */
    static List<String> providers(IamRole role) {
        return List.copyOf(new TreeSet<>(role.oidcTrusts().stream().map(TrustPolicy.OidcTrust::provider).toList()));
    }

    /** The {@code sub} conditions of a role's trust, as written: what an entry for it would start from. */
    static String subConditions(IamRole role) {
        List<String> out = new ArrayList<>();
        for (TrustPolicy.OidcTrust t : role.oidcTrusts()) {
            for (TrustPolicy.SubCondition c : t.subConditions()) {
                out.add(c.operator() + " " + String.join(" | ", c.values()));
            }
        }
        return out.isEmpty() ? "none" : String.join("; ", out);
    }

    /** A finding about one role, seen now; its id is the type and the role ARN, so the next run finds it again. */
    FindingDraft draft(FindingType type, IamRole role) {
        List<String> providers = providers(role);
        List<String> missing = providers.stream().filter(p -> !account.oidcProviders().contains(p)).toList();
        return new FindingDraft(type, now, policy)
                .account(role.account() != null ? role.account() : account.account())
                .roleArn(role.arn())
                .detail("roleId", role.roleId())
                .detail("providers", String.join(",", providers))
                // A trust in a provider the account does not have cannot be used until someone creates that provider.
                .detail("providersMissing", missing.isEmpty() ? null : String.join(",", missing))
                .detail("sub", subConditions(role))
                .detail("created", role.created() == null ? null : role.created().toString())
                .detail("lastUsed", role.lastUsed() == null ? null : role.lastUsed().toString())
                .identity(role.arn());
    }
}
