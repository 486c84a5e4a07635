package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.iam.TrustPolicy;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.subject.SubjectParser;
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
        List<TrustPolicy.OidcTrust> trusts;
        try {
            trusts = TrustPolicy.oidcTrusts(change.document());
        } catch (IllegalArgumentException ex) {
            return List.of();
        }
        List<Glob> allowed = new ArrayList<>();
        for (Policy.RoleEntry entry : rolesFor(policy, change)) {
            allowed.addAll(entry.subjects());
        }
        List<String> problems = new ArrayList<>();
        for (TrustPolicy.OidcTrust trust : trusts) {
            String where = "statement " + trust.statement() + " (" + trust.provider() + ")";
            List<TrustPolicy.SubCondition> positive = trust.subConditions().stream().filter(TrustPolicy.SubCondition::isPositive).toList();
            for (TrustPolicy.SubCondition c : trust.subConditions()) {
                if (c.isSetOperator()) {
                    problems.add(where + ": " + c.operator() + " on " + trust.subKey());
                }
            }
            if (positive.isEmpty()) {
                problems.add(where + ": no condition on " + trust.subKey());
                continue;
            }
            for (TrustPolicy.SubCondition c : positive) {
                if (c.isSetOperator()) {
                    continue;
                }
                for (String value : c.values()) {
                    if (!covered(value, c.isPattern(), c.ignoresCase(), allowed)) {
                        problems.add(where + ": " + trust.subKey() + " " + c.operator() + " '" + value + "' admits subjects the policy does not allow for this role");
                    }
                }
            }
        }
        return problems;
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

    static boolean covered(String value, boolean pattern, boolean ignoreCase, List<Glob> allowed) {
        for (Glob a : allowed) {
            if (a.pattern().startsWith("arn:")) {
                continue;
            }
            // A classic-form entry accepts a repository under any immutable ids, but only ids the trust pins:
            // a wildcard id (repo:acme@*/…) admits whoever re-creates the owner or repository under that name.
            boolean stripIds = !SubjectParser.pinsImmutableIds(a.pattern()) && !wildcardIds(value);
            String candidate = value;
            if (pattern) {
                if (Glob.of(candidate).isCoveredBy(a) || (stripIds && Glob.of(strip(candidate)).isCoveredBy(a))) {
                    return true;
                }
            } else if (ignoreCase) {
                if (a.matchesEveryCaseVariantOf(candidate) || (stripIds && a.matchesEveryCaseVariantOf(strip(candidate)))) {
                    return true;
                }
            } else if (a.matches(candidate) || (stripIds && a.matches(strip(candidate)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the {@code repo:} claim's owner or repository id holds a wildcard. */
    static boolean wildcardIds(String value) {
        if (!value.startsWith("repo:")) {
            return false;
        }
        int end = value.indexOf(':', 5);
        String repo = end < 0 ? value.substring(5) : value.substring(5, end);
        int at = repo.indexOf('@');
        return at >= 0 && (repo.indexOf('*', at) >= 0 || repo.indexOf('?', at) >= 0);
    }

    private static String strip(String s) {
        return SubjectParser.parse(s).withoutImmutableIds();
    }
}
