package io.statetrail.core.review;

import io.statetrail.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a drafted policy as commented YAML: every string double-quoted with YAML's escapes (subjects, branch names and
 * keys are attacker-controlled text, so none can end a line or a string early), each line's support in a comment after
 * it, and what a reviewer must decide in comments before an entry.
 */
final class DraftYaml {

    /** Comments after items line up here, or after the item when it is longer. */
    private static final int MAX_ALIGN = 72;

    private DraftYaml() {
    }

    static String render(PolicyDraft.Draft d, List<PolicyDraft.RoleDraft> roles, List<PolicyDraft.StateDraft> states, List<PolicyDraft.Line> tables) {
        StringBuilder y = new StringBuilder();
        y.append("# statetrail policy, drafted by `statetrail policy draft` from ").append(count(d.counts().files(), "file")).append(", ")
                .append(count(d.counts().records(), "record")).append(" (").append(d.counts().relevant()).append(" relevant)")
                .append(d.from() == null ? "" : ", " + d.from() + " to " + d.to()).append(":\n");
        y.append("# ").append(count(d.runs(), "run")).append(", ").append(count(d.roles(), "role entry", "role entries")).append(", ")
                .append(count(d.states(), "state entry", "state entries")).append(", ").append(count(d.lockTables(), "lock table")).append(".\n");
        y.append("# Review every line before you use it: a run in the trail is not yet a run you meant to allow.\n");
        y.append("# The comment after a line says how many runs support it. Globs: * matches any run of characters\n");
        y.append("# (slashes and colons too), ? one character. Format: docs/configuration.md; schema: docs/policy.schema.json.\n");

        y.append("\nroles:");
        if (roles.isEmpty()) {
            y.append(" []  # no web-identity login in the trail\n");
        } else {
            y.append('\n');
        }
        for (PolicyDraft.RoleDraft r : roles) {
            for (String note : r.notes()) {
                y.append("  # ").append(note).append('\n');
            }
            y.append("  - arn: ").append(quote(r.arn()));
            y.append(r.logins() == 0 ? "" : "  # " + count(r.logins(), "login")).append('\n');
            if (!r.providers().isEmpty()) {
                y.append("    providers: [").append(quote(r.providers().get(0))).append("]  # its subjects' shape does not say this issuer\n");
            }
            list(y, "subjects", r.subjects(), List.of(), "");
        }

        y.append("\nstates:");
        y.append(states.isEmpty() ? " []  # no state object in the trail\n" : "\n");
        for (PolicyDraft.StateDraft s : states) {
            StateGlobs.Group g = s.group();
            if (g.isGlob()) {
                y.append("  # ").append(count(g.states().size(), "state")).append(": ").append(listed(g.states())).append('\n');
            }
            y.append("  - key: ").append(quote(g.key())).append("  # ").append(count(s.runs(), "run")).append('\n');
            list(y, "writers", s.writers(), s.otherWriters(), "nobody in the trail wrote it through web identity");
            if (!s.readers().isEmpty() || !s.otherReaders().isEmpty()) {
                list(y, "readers", s.readers(), s.otherReaders(), "");
            }
            if (s.longestLock().compareTo(Policy.DEFAULT_STALE_LOCK_AFTER) > 0) {
                y.append("    # a lock was held ").append(s.longestLock()).append(" in the trail, longer than staleLockAfter's default ")
                        .append(Policy.DEFAULT_STALE_LOCK_AFTER).append(": set staleLockAfter if that is normal here\n");
            }
        }

        y.append("\nlockTables:");
        if (tables.isEmpty()) {
            y.append(" []  # none seen: any DynamoDB table keyed by LockID is taken for a lock table\n");
        } else {
            y.append('\n');
            list(y, null, tables, List.of(), "");
        }
        return y.toString();
    }

    /**
     * A block list under {@code key} (null: the items directly), each with its support; {@code offered} lines commented
     * out, for the reviewer to allow; {@code []} when only comments are left.
     */
    private static void list(StringBuilder y, String key, List<PolicyDraft.Line> items, List<PolicyDraft.Line> offered, String whyEmpty) {
        String indent = key == null ? "  " : "      ";
        List<String> lines = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        for (PolicyDraft.Line l : items) {
            lines.add(indent + "- " + quote(l.text()));
            comments.add(l.note() != null ? l.note() : count(l.runs(), "run"));
        }
        for (PolicyDraft.Line l : offered) {
            lines.add(indent + "# - " + quote(l.text()));
            comments.add(count(l.runs(), "run") + ", not rooted in web identity" + (items.isEmpty() ? "" : ": uncomment to allow it"));
        }
        if (key != null) {
            y.append("    ").append(key).append(':');
            if (items.isEmpty()) {
                String why = offered.isEmpty() ? whyEmpty : (whyEmpty.isEmpty() ? "" : whyEmpty + "; ") + "to allow those below, list them here";
                y.append(" []").append(why.isEmpty() ? "" : "  # " + why);
            }
            y.append('\n');
        }
        int align = 0;
        for (String line : lines) {
            align = Math.max(align, line.length());
        }
        align = Math.min(align, MAX_ALIGN);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            y.append(line).append(" ".repeat(Math.max(0, align - line.length()))).append("  # ").append(comments.get(i)).append('\n');
        }
    }

    /** A few of the states a glob stands for, for the reviewer to see what it means. */
    private static String listed(List<String> states) {
        int shown = Math.min(3, states.size());
        List<String> quoted = new ArrayList<>();
        for (String s : states.subList(0, shown)) {
            quoted.add(quote(s));
        }
        return String.join(", ", quoted) + (states.size() > shown ? ", …" : "");
    }

    private static String count(long n, String one) {
        return count(n, one, one + "s");
    }

    private static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d", n) + " " + (n == 1 ? one : many);
    }

    /** A YAML double-quoted scalar: quotes, backslashes and every character that is not printable escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0xfeff
                    || Character.isSurrogate(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format(Locale.ROOT, "\\u%04x", Character.isSurrogate(c) ? 0xfffd : (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
