package io.statetrail.alerts;

/**
 * Makes outside text (subjects, branch names, session names, lock {@code Who}) literal in Slack mrkdwn.
 *
 * <p>Slack has no backslash escape. It decodes exactly three entities, {@code &amp; &lt; &gt;}, so escaping
 * {@code & < >} stops every {@code <…>} token: {@code <!channel>}, {@code <!here>}, {@code <@U…>} mentions and
 * {@code <url|label>} links. For {@code * _ ~ `} formatting and plain {@code @here} the value is shown as an inline
 * code span, inside which Slack applies no formatting, no emoji shortcodes, no mentions and no auto-links; the only
 * character that could close the span early, a backtick, is replaced by {@code ˋ} (U+02CB). Control characters and
 * bidirectional overrides are shown as a backslash, u and four hex digits, and whitespace at either end of the span as {@code ␣} (a span
 * must start and end with a visible character to be one). See {@code docs/alerts.md}.
 */
public final class SlackText {

    /** Slack's limits on text objects: section text 3000, section field 2000, header 150 characters. */
    public static final int SECTION_TEXT = 3000;
    public static final int FIELD_TEXT = 2000;
    public static final int HEADER_TEXT = 150;
    /** Shown for a missing value. */
    public static final String NONE = "–";

    private SlackText() {
    }

    /** The value as a literal inline code span, at most 300 characters of mrkdwn. */
    public static String escape(String value) {
        return escape(value, 300);
    }

    /**
     * The value as a literal inline code span of at most {@code max} characters of mrkdwn (entities included), cut
     * with {@code …} when longer. Null or empty gives {@link #NONE}.
     */
    public static String escape(String value, int max) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        int budget = max - 2 - 1; // two backticks, one ellipsis
        StringBuilder body = new StringBuilder();
        int first = firstVisible(value);
        int last = lastVisible(value);
        boolean cut = false;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            boolean edge = i < first || i > last;
            i += Character.charCount(cp);
            String unit = unit(cp, edge);
            if (body.length() + unit.length() > budget) {
                cut = true;
                break;
            }
            body.append(unit);
        }
        if (cut) {
            body.append('…');
        }
        return "`" + body + "`";
    }

    /** Our own text (labels, times, counts) with only the three entities escaped. */
    public static String entities(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unit(int cp, boolean edge) {
        if (edge && Character.isWhitespace(cp)) {
            return "␣";
        }
        switch (cp) {
            case '&':
                return "&amp;";
            case '<':
                return "&lt;";
            case '>':
                return "&gt;";
            case '`':
                return "ˋ";
            default:
                break;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200b || cp == 0x200e || cp == 0x200f || cp == 0xfeff) {
            return String.format("\\u%04x", cp);
        }
        return new String(Character.toChars(cp));
    }

    private static int firstVisible(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lastVisible(String s) {
        int i = s.length() - 1;
        while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
            i--;
        }
        return i;
    }
}
