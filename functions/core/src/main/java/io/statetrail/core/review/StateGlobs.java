package io.statetrail.core.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Groups state keys into globs where a folder is shared: every state under {@code <bucket>/<folder>/} with the same
 * writers and readers becomes one entry {@code <bucket>/<folder>/*<suffix>}. The suffix is the ending all their keys share
 * from a separator on ({@code .tfstate}, {@code /terraform.tfstate}), so the glob names no object that is not already
 * a state by its name (Terraform keys end in {@code .tfstate}) or does not end like one; keys sharing no such ending stay
 * literal. A glob never covers a state of another group: it is the folder's own, and the whole folder is one group.
 */
final class StateGlobs {

    private StateGlobs() {
    }

    /** A drafted {@code states} entry: its key (a glob or a state key) and the states it stands for, sorted. */
    record Group(String key, List<String> states) {
        boolean isGlob() {
            return states.size() > 1 || !states.get(0).equals(key);
        }
    }

    /** @param profile what must be equal for states to share an entry (their writers and readers) */
    static <P> List<Group> of(List<String> stateKeys, Function<String, P> profile) {
        Map<String, List<String>> byBucket = new TreeMap<>();
        for (String key : stateKeys) {
            int slash = key.indexOf('/');
            byBucket.computeIfAbsent(slash < 0 ? key : key.substring(0, slash + 1), k -> new ArrayList<>()).add(key);
        }
        List<Group> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> bucket : byBucket.entrySet()) {
            if (!bucket.getKey().endsWith("/")) {
                bucket.getValue().forEach(k -> out.add(new Group(k, List.of(k))));
                continue;
            }
            folder(bucket.getKey(), bucket.getValue(), profile, out);
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    /** The states under {@code prefix} (which ends with a slash): one glob if they may be, else each sub-folder apart. */
    private static <P> void folder(String prefix, List<String> keys, Function<String, P> profile, List<Group> out) {
        if (keys.size() > 1 && keys.stream().map(profile).distinct().count() == 1) {
            String suffix = commonEnding(keys.stream().map(k -> k.substring(prefix.length())).toList());
            if (!suffix.isEmpty()) {
                out.add(new Group(prefix + "*" + suffix, keys.stream().sorted().toList()));
                return;
            }
        }
        Map<String, List<String>> sub = new TreeMap<>();
        for (String key : keys) {
            int slash = key.indexOf('/', prefix.length());
            if (slash < 0) {
                out.add(new Group(key, List.of(key)));
            } else {
                sub.computeIfAbsent(key.substring(0, slash + 1), k -> new ArrayList<>()).add(key);
            }
        }
        sub.forEach((p, k) -> folder(p, k, profile, out));
    }

    /**
     * The longest ending all tails share that starts at a separator ({@code / . - _}) and leaves each tail a non-empty
     * part before it; empty when there is none.
     */
    static String commonEnding(List<String> tails) {
        String first = tails.get(0);
        int n = first.length();
        for (String t : tails) {
            int i = 0;
            while (i < Math.min(n, t.length()) && first.charAt(first.length() - 1 - i) == t.charAt(t.length() - 1 - i)) {
                i++;
            }
            n = i;
        }
        String shortest = tails.stream().min((a, b) -> Integer.compare(a.length(), b.length())).orElse(first);
        for (int len = Math.min(n, shortest.length() - 1); len > 0; len--) {
            char c = first.charAt(first.length() - len);
            if ("/.-_".indexOf(c) >= 0) {
                return first.substring(first.length() - len);
            }
        }
        return "";
    }
}
