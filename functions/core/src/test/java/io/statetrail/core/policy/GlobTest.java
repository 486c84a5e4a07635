package io.statetrail.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "repo:acme/infra:ref:refs/heads/main | repo:acme/infra:ref:refs/heads/main  | true",
            "repo:acme/infra:ref:refs/heads/main | repo:acme/infra:ref:refs/heads/mainx | false",
            "repo:acme/infra:*                   | repo:acme/infra:pull_request         | true",
            "repo:acme/infra:*                   | repo:acme/infra                      | false",
            "repo:acme/*                         | repo:acme/infra:ref:refs/heads/x/y   | true",
            "repo:acme/*:pull_request            | repo:acme/infra:ref:x:pull_request   | true",
            "repo:acme/infra:ref:refs/heads/v?   | repo:acme/infra:ref:refs/heads/v1    | true",
            "repo:acme/infra:ref:refs/heads/v?   | repo:acme/infra:ref:refs/heads/v     | false",
            "repo:acme/infra:ref:refs/heads/v?   | repo:acme/infra:ref:refs/heads/v10   | false",
            "*                                   | ''                                   | true",
            "''                                  | ''                                   | true",
            "''                                  | x                                    | false",
            "**a**                               | bab                                  | true",
            "REPO:acme/*                         | repo:acme/infra                      | false",
            "acme-tfstate-prod/env:/prod/*       | acme-tfstate-prod/env:/prod/app/terraform.tfstate | true",
    })
    void matchesLikeIamStringLike(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.of(pattern).matches(text));
    }

    @Test
    void nullTextMatchesNothing() {
        assertFalse(Glob.of("*").matches(null));
    }

    @Test
    void nullPatternIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Glob.of(null));
    }

    @Test
    void literalIsToldFromPattern() {
        assertTrue(Glob.of("repo:acme/infra:pull_request").isLiteral());
        assertFalse(Glob.of("repo:acme/*").isLiteral());
        assertFalse(Glob.of("repo:acme/infr?").isLiteral());
    }

    @Test
    void hostileSubjectCannotMakeMatchingSlow() {
        String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        String text = "a".repeat(20_000);

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(Glob.of(pattern).matches(text)));
    }

    @ParameterizedTest(name = "{0} covered by {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "repo:acme/infra:ref:refs/heads/main | repo:acme/infra:*      | true",
            "repo:acme/infra:*                   | repo:acme/*            | true",
            "repo:acme/*                         | repo:acme/infra:*      | false",
            "repo:acme/infra:*                   | repo:acme/infra:ref:*  | false",
            "repo:acme/infra:ref:refs/heads/v?   | repo:acme/infra:ref:*  | true",
            "repo:acme/infra:ref:refs/heads/v?   | repo:acme/infra:ref:refs/heads/v1 | false",
            "repo:acme/infra:ref:refs/heads/v?   | repo:acme/infra:ref:refs/heads/?? | true",
            "repo:acme/infra:ref:refs/heads/v*   | repo:acme/infra:ref:refs/heads/v? | false",
            "anything                            | *                      | true",
            "*                                   | anything               | false",
            "*                                   | *                      | true",
            "''                                  | *                      | true",
            "''                                  | ''                     | true",
    })
    void coverageOfOnePatternByAnother(String narrow, String broad, boolean expected) {
        assertEquals(expected, Glob.of(narrow).isCoveredBy(Glob.of(broad)));
    }

    /**
     * Soundness, checked exhaustively on a small alphabet: whenever {@code p.isCoveredBy(a)}, every string {@code p}
     * matches is matched by {@code a}. Strings include a letter no pattern names, which only wildcards can match.
     */
    @Test
    void coverageIsSoundForEveryPairOfSmallPatterns() {
        List<String> patterns = strings("ab*?", 4);
        List<String> texts = strings("abc", 5);
        int coveredPairs = 0;
        for (String p : patterns) {
            Glob narrow = Glob.of(p);
            List<String> matched = texts.stream().filter(narrow::matches).toList();
            for (String a : patterns) {
                Glob broad = Glob.of(a);
                if (narrow.isCoveredBy(broad)) {
                    coveredPairs++;
                    for (String t : matched) {
                        assertTrue(broad.matches(t), () -> "'" + p + "' covered by '" + a + "' but '" + t + "' matches only the first");
                    }
                }
            }
        }
        assertTrue(coveredPairs > 1000, "the check must exercise many covered pairs, got " + coveredPairs);
    }

    /** Coverage is not trivially "equal patterns only": every literal is covered by every pattern matching it. */
    @Test
    void literalIsCoveredExactlyByThePatternsThatMatchIt() {
        for (String literal : strings("ab", 4)) {
            for (String a : strings("ab*?", 3)) {
                assertEquals(Glob.of(a).matches(literal), Glob.of(literal).isCoveredBy(Glob.of(a)), literal + " by " + a);
            }
        }
    }

    /** Matching agrees with a regular-expression reading of the same pattern. */
    @Test
    void matchingAgreesWithARegexReference() {
        for (String p : strings("ab*?", 4)) {
            Pattern regex = Pattern.compile(p.chars().mapToObj(c -> c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf((char) c)))
                    .reduce("", String::concat), Pattern.DOTALL);
            for (String t : strings("abc", 5)) {
                assertEquals(regex.matcher(t).matches(), Glob.of(p).matches(t), "'" + p + "' ~ '" + t + "'");
            }
        }
    }

    @Test
    void aLiteralWithLettersIsNotMatchedInEveryCaseVariantByLiteralPatternText() {
        assertFalse(Glob.of("repo:acme/infra:ref:refs/heads/main").matchesEveryCaseVariantOf("repo:acme/infra:ref:refs/heads/main"));
        assertFalse(Glob.of("repo:acme/infra:ref:refs/heads/*").matchesEveryCaseVariantOf("repo:acme/infra:ref:refs/heads/main"));
        assertFalse(Glob.of("repo:*").matchesEveryCaseVariantOf("repo:acme/infra:ref:refs/heads/main"));
        assertTrue(Glob.of("*").matchesEveryCaseVariantOf("repo:acme/infra:ref:refs/heads/main"));
        assertTrue(Glob.of("????").matchesEveryCaseVariantOf("main"));
        assertTrue(Glob.of("12-3*").matchesEveryCaseVariantOf("12-34"));
    }

    /** Agrees with trying every case variant of short literals over a small alphabet. */
    @Test
    void everyCaseVariantAgreesWithEnumeratingThem() {
        for (String p : strings("aA1*?", 3)) {
            for (String literal : strings("aA1", 3)) {
                boolean all = true;
                for (String variant : caseVariants(literal)) {
                    all &= Glob.of(p).matches(variant);
                }
                assertEquals(all, Glob.of(p).matchesEveryCaseVariantOf(literal), "'" + p + "' ~ every case of '" + literal + "'");
            }
        }
    }

    private static List<String> caseVariants(String s) {
        List<String> out = new ArrayList<>(List.of(""));
        for (char c : s.toCharArray()) {
            List<String> next = new ArrayList<>();
            for (String prefix : out) {
                next.add(prefix + Character.toLowerCase(c));
                if (Character.toUpperCase(c) != Character.toLowerCase(c)) {
                    next.add(prefix + Character.toUpperCase(c));
                }
            }
            out = next;
        }
        return out;
    }

    /** Every string over the alphabet of length 0..max. */
    private static List<String> strings(String alphabet, int max) {
        List<String> out = new ArrayList<>();
        out.add("");
        List<String> layer = List.of("");
        for (int len = 1; len <= max; len++) {
            List<String> next = new ArrayList<>();
            for (String s : layer) {
                for (char c : alphabet.toCharArray()) {
                    next.add(s + c);
                }
            }
            out.addAll(next);
            layer = next;
        }
        return out;
    }
}
