package io.statetrail.core.cloudtrail;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** CloudTrail's two time formats. */
public final class CloudTrailTimes {

    /**
     * STS logs {@code credentials.expiration} as English UTC text, with ("Apr 16, 2025, 3:46:56 AM") or, in older
     * records, without ("Sep 15, 2021 4:00:36 AM") a comma after the year.
     */
    private static final DateTimeFormatter EXPIRATION = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("MMM d, yyyy[,] h:mm:ss a")
            .toFormatter(Locale.ENGLISH);

    private CloudTrailTimes() {
    }

    /** {@code eventTime}: ISO-8601 UTC; also accepts an offset (LookupEvents renders local time). */
    public static Instant eventTime(String text) {
        Instant plain = plainEventTime(text);
        if (plain != null) {
            return plain;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return java.time.OffsetDateTime.parse(text).toInstant();
        }
    }

    /** The session's expiry, or null when the text is in neither format. */
    public static Instant expiration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim().replace('\u202f', ' ');
        Instant plain = plainExpiration(t);
        if (plain != null) {
            return plain;
        }
        try {
            return LocalDateTime.parse(t, EXPIRATION).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return eventTime(text.trim());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * The usual {@code 2026-11-20T12:34:56Z} without the formatter machinery (the hot path of every relevant record);
     * null for anything else, which {@link Instant#parse} then decides. Same instant as {@link Instant#parse}.
     */
    static Instant plainEventTime(String s) {
        if (s == null || s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
    }

    /**
     * The usual {@code Nov 20, 2026, 4:00:04 PM} (or without the comma after the year) without the formatter; null
     * for anything else, which the formatter then decides. Same instant as the formatter.
     */
    static Instant plainExpiration(String s) {
        int n = s.length();
        if (n < 22 || s.charAt(3) != ' ') {
            return null;
        }
        int month = MONTHS.indexOf(s.substring(0, 3));
        if (month < 0 || month % 3 != 0) {
            return null;
        }
        month = month / 3 + 1;
        int i = 4;
        int dayDigits = s.charAt(5) == ',' ? 1 : 2;
        int day = digits(s, i, dayDigits);
        i += dayDigits;
        if (!s.startsWith(", ", i)) {
            return null;
        }
        i += 2;
        int year = digits(s, i, 4);
        i += 4;
        if (i < n && s.charAt(i) == ',') {
            i++;
        }
        if (i >= n || s.charAt(i) != ' ') {
            return null;
        }
        i++;
        int hourDigits = i + 1 < n && s.charAt(i + 1) == ':' ? 1 : 2;
        int hour = digits(s, i, hourDigits);
        i += hourDigits;
        if (n != i + 9 || s.charAt(i) != ':' || s.charAt(i + 3) != ':' || s.charAt(i + 6) != ' ' || s.charAt(i + 8) != 'M') {
            return null;
        }
        int minute = digits(s, i + 1, 2), second = digits(s, i + 4, 2);
        char half = s.charAt(i + 7);
        if (year < 1000 || day < 1 || day > daysIn(year, month) || hour < 1 || hour > 12 || minute < 0 || minute > 59
                || second < 0 || second > 59 || (half != 'A' && half != 'P')) {
            return null;
        }
        int hour24 = hour % 12 + (half == 'P' ? 12 : 0);
        return LocalDateTime.of(year, month, day, hour24, minute, second).toInstant(ZoneOffset.UTC);
    }

    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < from + count; k++) {
            int d = s.charAt(k) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
