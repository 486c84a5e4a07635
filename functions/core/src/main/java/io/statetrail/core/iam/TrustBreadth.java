package io.statetrail.core.iam;

import io.statetrail.core.policy.Glob;
import io.statetrail.core.subject.SubjectParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How wide a role's OIDC trust is: the problems of its {@code sub} conditions, as {@code trust-policy-weakened} judges
 * a changed trust policy and posture judges a role that exists ({@code oidc-trust-too-wide}).
 *
 * <p>Against the subjects the policy allows for the role: no {@code sub} condition (any repository on GitHub can assume
 * it), a {@code ForAnyValue}/{@code ForAllValues} set operator on the single-valued {@code sub} (ForAllValues is true
 * when the key is absent), a value that admits subjects the policy does not (a pattern such as {@code repo:acme/*}, a
 * wildcard immutable id, or a {@code StringEqualsIgnoreCase} pin, which admits {@code refs/heads/MAIN}: another branch,
 * which branch protection on main does not cover).
 *
 * <p>For a role no policy entry covers, only what no policy could allow: no {@code sub} condition, a set operator, or a
 * value whose owner (GitHub owner, GitLab group, HCP Terraform organization) holds a wildcard, since anyone can register
 * an owner that matches it.
 */
public final class TrustBreadth {

    /** Claims whose value starts with the owner: a wildcard there admits owners anyone can register. */
    private static final Set<String> OWNER_CLAIMS = Set.of("repo", "repository", "repository_owner", "repository_owner_id",
            "project_path", "namespace_path", "namespace_id", "organization", "organization_id");

    private TrustBreadth() {
    }

    /**
     * Problems of the trust against the subject patterns the policy allows for the role; none for a document that is not
     * JSON (IAM would have refused it).
     */
    public static List<String> problems(String document, List<Glob> allowed) {
        return judge(document, allowed, false);
    }

    /** Problems no policy entry could allow: for a role the policy does not list. */
    public static List<String> problemsUnderAnyPolicy(String document) {
        return judge(document, List.of(), true);
    }

    private static List<String> judge(String document, List<Glob> allowed, boolean anyPolicy) {
        List<TrustPolicy.OidcTrust> trusts;
        try {
            trusts = TrustPolicy.oidcTrusts(document);
        } catch (IllegalArgumentException ex) {
            return List.of();
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
                    if (anyPolicy) {
                        if (c.isPattern() && ownerIsWildcard(value)) {
                            problems.add(where + ": " + trust.subKey() + " " + c.operator() + " '" + value + "' admits any owner");
                        }
                    } else if (!covered(value, c.isPattern(), c.ignoresCase(), allowed)) {
                        problems.add(where + ": " + trust.subKey() + " " + c.operator() + " '" + value + "' admits subjects the policy does not allow for this role");
                    }
                }
            }
        }
        return problems;
    }

    /** Whether every subject the condition value admits is allowed by one of the patterns. */
    static boolean covered(String value, boolean pattern, boolean ignoreCase, List<Glob> allowed) {
        for (Glob a : allowed) {
            if (a.pattern().startsWith("arn:")) {
                continue;
            }
            // A classic-form entry accepts a repository under any immutable ids, but only ids the trust pins:
            // a wildcard id (repo:acme@*/…) admits whoever re-creates the owner or repository under that name.
            boolean stripIds = !SubjectParser.pinsImmutableIds(a.pattern()) && !wildcardIds(value);
            if (pattern) {
                if (Glob.of(value).isCoveredBy(a) || (stripIds && Glob.of(strip(value)).isCoveredBy(a))) {
                    return true;
                }
            } else if (ignoreCase) {
                if (a.matchesEveryCaseVariantOf(value) || (stripIds && a.matchesEveryCaseVariantOf(strip(value)))) {
                    return true;
                }
            } else if (a.matches(value) || (stripIds && a.matches(strip(value)))) {
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

    /**
     * Whether a {@code StringLike} value admits subjects of owners anyone can register: a wildcard in its first claim's key
     * ({@code *}, {@code repo*}) or in the owner at the start of an owner claim ({@code repo:*}, {@code repo:acme*&#47;infra:…},
     * {@code project_path:*&#47;…}, {@code organization:*:…}).
     */
    static boolean ownerIsWildcard(String value) {
        int colon = value.indexOf(':');
        String key = colon < 0 ? value : value.substring(0, colon);
        if (hasWildcard(key)) {
            return true;
        }
        if (colon < 0 || !OWNER_CLAIMS.contains(key)) {
            return false;
        }
        int end = colon + 1;
        while (end < value.length() && "/@:".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return hasWildcard(value.substring(colon + 1, end));
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    private static String strip(String s) {
        return SubjectParser.parse(s).withoutImmutableIds();
    }
}
