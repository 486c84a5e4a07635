package io.statetrail.core.record;

import java.util.regex.Pattern;

/** Removes credentials from raw text before it is kept aside or logged. */
public final class Redaction {
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(\\\\?\"(?:sessionToken|secretAccessKey|SessionToken|SecretAccessKey)\\\\?\"\\s*:\\s*\\\\?\")((?:[^\"\\\\]|\\\\(?!\"))*)",
            Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    public static String scrub(String raw) {
        if (raw == null) {
            return null;
        }
        return SECRET_FIELD.matcher(raw).replaceAll("$1<redacted>");
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
