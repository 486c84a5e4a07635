package io.statetrail.core.policy;

/**
 * An IAM {@code StringLike} pattern: {@code *} matches any run of characters (slashes and colons too),
 * {@code ?} exactly one. No escapes, case-sensitive, as IAM evaluates trust-policy conditions.
 *
 * <p>Matching is the two-pointer wildcard algorithm (no regex), so hostile subjects cannot cause
 * catastrophic backtracking.
 */
public record Glob(String pattern) {

    public Glob {
        if (pattern == null) {
            throw new IllegalArgumentException("pattern is null");
        }
    }

    public static Glob of(String pattern) {
        return new Glob(pattern);
    }

    public boolean matches(String text) {
        return text != null && matches(pattern, text);
    }

    public boolean isLiteral() {
        return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }

    static boolean matches(String p, String s) {
        int pi = 0, si = 0, star = -1, mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || (p.charAt(pi) != '*' && p.charAt(pi) == s.charAt(si)))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /**
     * True when every string this glob matches is also matched by {@code broader}: treats this pattern's
     * wildcards as symbols that only an equal-or-wider wildcard of {@code broader} may absorb. Sound (never
     * says "covered" wrongly); used to tell whether a trust-policy pattern admits more than our policy allows.
     */
    public boolean isCoveredBy(Glob broader) {
        return covers(broader.pattern, pattern, (ac, pc) -> ac == '?' ? pc != '*' : (pc == ac && pc != '*' && pc != '?'));
    }

    /** Whether a non-{@code *} character of the broader pattern absorbs one symbol of the other text. */
    private interface Absorbs {
        boolean test(char broader, char symbol);
    }

    /** {@code a} covers every string {@code p} stands for: a {@code *} of {@code a} absorbs any run of symbols of {@code p}. */
    private static boolean covers(String a, String p, Absorbs one) {
        // dp[i][j]: a[i..] covers p[j..]
        boolean[][] dp = new boolean[a.length() + 1][p.length() + 1];
        dp[a.length()][p.length()] = true;
        for (int i = a.length() - 1; i >= 0; i--) {
            char ac = a.charAt(i);
            for (int j = p.length(); j >= 0; j--) {
                if (ac == '*') {
                    dp[i][j] = dp[i + 1][j] || (j < p.length() && dp[i][j + 1]);
                } else if (j < p.length()) {
                    dp[i][j] = one.test(ac, p.charAt(j)) && dp[i + 1][j + 1];
                }
            }
        }
        return dp[0][0];
    }

    /** Whether some string that starts with {@code prefix} matches: the glob can match once the prefix is read. */
    public boolean matchesSomeStringStartingWith(String prefix) {
        // The pattern positions reachable after reading the prefix; any of them can then be completed.
        boolean[] at = new boolean[pattern.length() + 1];
        at[0] = true;
        closeStars(at);
        for (int k = 0; k < prefix.length(); k++) {
            char c = prefix.charAt(k);
            boolean[] next = new boolean[pattern.length() + 1];
            boolean any = false;
            for (int i = 0; i < pattern.length(); i++) {
                if (!at[i]) {
                    continue;
                }
                char pc = pattern.charAt(i);
                if (pc == '*') {
                    next[i] = true;
                    any = true;
                } else if (pc == '?' || pc == c) {
                    next[i + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
            closeStars(next);
            at = next;
        }
        return true;
    }

    /** A {@code *} also matches nothing: the position after it is reachable too. */
    private void closeStars(boolean[] at) {
        for (int i = 0; i < pattern.length(); i++) {
            if (at[i] && pattern.charAt(i) == '*') {
                at[i + 1] = true;
            }
        }
    }

    /**
     * True when this glob matches every case variant of {@code literal}, as a {@code StringEqualsIgnoreCase} condition on
     * it admits them all: a letter with case variants must fall to a wildcard, since literal pattern text is
     * case-sensitive. Sound, like {@link #isCoveredBy}.
     */
    public boolean matchesEveryCaseVariantOf(String literal) {
        // Each character of the literal is a symbol: '?' absorbs it, a literal character only when it has one case.
        return covers(pattern, literal, (ac, lc) -> ac == '?' || (ac == lc && !hasCaseVariants(lc)));
    }

    private static boolean hasCaseVariants(char c) {
        return Character.toUpperCase(c) != c || Character.toLowerCase(c) != c || Character.toTitleCase(c) != c;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
