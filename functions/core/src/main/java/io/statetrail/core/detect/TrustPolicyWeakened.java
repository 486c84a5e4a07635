package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.iam.TrustBreadth;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.TrustPolicyChanged;
import java.util.ArrayList;
import java.util.List;

/**
 * A role's trust in an OIDC provider became wider than the policy allows: no {@code sub} condition (any repository
 * on GitHub can assume it), a {@code ForAnyValue}/{@code ForAllValues} set operator on the single-valued {@code sub}
 * (ForAllValues is true when the key is absent), a pattern such as {@code repo:acme/*} or <code>repo:acme@*&#47;…</code>
 * that admits subjects the policy's entry for the role does not, or a {@code StringEqualsIgnoreCase} pin, which admits
 * {@code refs/heads/MAIN} (another branch, which branch protection on main does not cover) where the policy names main.
 */
public final class TrustPolicyWeakened implements Detection {

    @Override
    public FindingType type() {
        return FindingType.TRUST_POLICY_WEAKENED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (TrustPolicyChanged change : e.trustPolicyChanges()) {
            List<String> problems = problems(change, e.policy());
            if (problems.isEmpty()) {
                continue;
            }
            out.add(e.draft(type(), change)
                    .chain(e.chainOf(change))
                    .roleArn(change.roleArn())
                    .detail("problems", String.join("; ", problems))
                    .detail("changedBy", change.meta().actor().arn())
                    .detail("eventName", change.meta().eventName())
                    .summary(change.meta().eventName() + " on " + change.roleArn() + " weakened its OIDC trust: " + String.join("; ", problems))
                    .identity(change.meta().callKey(), change.roleArn())
                    .build());
        }
        return out;
    }

    static List<String> problems(TrustPolicyChanged change, Policy policy) {
        List<Glob> allowed = new ArrayList<>();
        for (Policy.RoleEntry entry : rolesFor(policy, change)) {
            allowed.addAll(entry.subjects());
        }
        return TrustBreadth.problems(change.document(), allowed);
    }

    /** Entries for the role; UpdateAssumeRolePolicy names the role without its path, so match on the name too. */
    private static List<Policy.RoleEntry> rolesFor(Policy policy, TrustPolicyChanged change) {
        List<Policy.RoleEntry> entries = new ArrayList<>(policy.rolesFor(change.roleArn()));
        if (entries.isEmpty()) {
            for (Policy.RoleEntry entry : policy.roles()) {
                String p = entry.arn().pattern();
                if (p.endsWith("/" + change.roleName()) && change.meta().account() != null && p.contains(":" + change.meta().account() + ":")) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }
}
