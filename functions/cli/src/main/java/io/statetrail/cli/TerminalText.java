package io.statetrail.cli;

/**
 * Makes outside text safe for a terminal: subjects, branch names and lock holders are attacker-controlled, and
 * an escape sequence in a branch name must not rewrite the operator's screen.
 */
public final class TerminalText {
    private TerminalText() {
    }

    public static String safe(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Safe, and cut to {@code width} characters with an ellipsis. */
    public static String fit(String s, int width) {
        String t = safe(s);
        if (t.length() <= width) {
            return t;
        }
        return width <= 1 ? t.substring(0, width) : t.substring(0, width - 1) + "…";
    }

    public static String pad(String s, int width) {
        String t = fit(s, width);
        return t + " ".repeat(Math.max(0, width - t.length()));
    }
}
