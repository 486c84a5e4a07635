package io.statetrail.core.cloudtrail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes credentials from raw text before it is kept aside or logged. */
public final class Redaction {
    /** The start of a secret's value: its field name and the opening quote, plain or escaped inside a JSON string. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "\\\\?\"(?:sessionToken|secretAccessKey|SessionToken|SecretAccessKey)\\\\?\"\\s*:\\s*\\\\?\"",
            Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    public static String scrub(String raw) {
        if (raw == null) {
            return null;
        }
        // The value is scanned by hand: a regex repetition over it recurses once per character and overflows the
        // stack on a long token (found by RecordReaderFuzzTest). It ends at a quote, escaped or not, or at the end.
        Matcher m = SECRET_FIELD.matcher(raw);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < raw.length() && m.find(from)) {
            int end = m.end();
            while (end < raw.length() && raw.charAt(end) != '"' && !(raw.charAt(end) == '\\' && end + 1 < raw.length() && raw.charAt(end + 1) == '"')) {
                end++;
            }
            if (out == null) {
                out = new StringBuilder(raw.length());
            }
            out.append(raw, copied, m.end()).append("<redacted>");
            copied = end;
            from = end;
        }
        return out == null ? raw : out.append(raw, copied, raw.length()).toString();
    }

    /** At most {@code max} characters of scrubbed text, for excerpts. */
    public static String excerpt(String raw, int max) {
        String s = scrub(raw);
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
