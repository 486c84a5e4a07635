package io.statetrail.core.record;

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
        try {
            return LocalDateTime.parse(text.trim().replace('\u202f', ' '), EXPIRATION).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return eventTime(text.trim());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
