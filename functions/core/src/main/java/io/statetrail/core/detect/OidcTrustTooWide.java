package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.iam.IamRole;
import io.statetrail.core.iam.TrustBreadth;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * An existing role's web-identity trust is wider than the policy allows, judged as {@code trust-policy-weakened} judges a
 * changed one ({@link TrustBreadth}): no {@code sub} condition, {@code ForAnyValue}/{@code ForAllValues} on {@code sub}, or
 * a value that admits subjects the policy's entries for the role do not. For a role no entry covers, only what no policy
 * could allow (no {@code sub}, a set operator, a wildcard owner); the rest is {@code oidc-role-unlisted}.
 */
public final class OidcTrustTooWide implements PostureCheck {

    @Override
    public FindingType type() {
        return FindingType.OIDC_TRUST_TOO_WIDE;
    }

    @Override
    public List<Finding> check(Posture p) {
        List<Finding> out = new ArrayList<>();
        for (IamRole role : p.oidcRoles()) {
            List<Policy.RoleEntry> entries = role.entriesIn(p.policy());
            List<String> problems;
            if (entries.isEmpty()) {
                problems = TrustBreadth.problemsUnderAnyPolicy(role.trustPolicy());
            } else {
                List<Glob> allowed = new ArrayList<>();
                entries.forEach(e -> allowed.addAll(e.subjects()));
                problems = TrustBreadth.problems(role.trustPolicy(), allowed);
            }
            if (problems.isEmpty()) {
                continue;
            }
            out.add(p.draft(type(), role)
                    .detail("problems", String.join("; ", problems))
                    .detail("policyEntries", entries.isEmpty() ? "none" : String.join(",", entries.stream().map(e -> "line " + e.line()).toList()))
                    .summary("Role " + role.arn() + " trusts OIDC tokens more widely than "
                            + (entries.isEmpty() ? "any policy could allow" : "the policy allows") + ": " + String.join("; ", problems))
                    .build());
        }
        return out;
    }
}
