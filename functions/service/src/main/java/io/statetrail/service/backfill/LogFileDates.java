package io.statetrail.service.backfill;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery day of a CloudTrail log file, from its key: {@code AWSLogs/[<org>/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>}
 * (the layout CloudTrail writes, documented under "Finding your CloudTrail log files"), or else the {@code YYYYMMDDTHHMMZ}
 * stamp of its file name ({@code <account>_CloudTrail_<region>_20261104T1005Z_<random>.json.gz}). The day is when the
 * file was delivered (UTC), not when its calls happened: a file holds calls of the minutes before, so a range's first
 * file may hold a few calls of the day before.
 */
public final class LogFileDates {

    private static final Pattern FOLDER = Pattern.compile("/CloudTrail/[^/]+/(\\d{4})/(\\d{2})/(\\d{2})/");
    private static final Pattern STAMP = Pattern.compile("_(\\d{4})(\\d{2})(\\d{2})T\\d{4}Z_");

    private LogFileDates() {
    }

    /** The day of the key, or empty when the key shows none (such a file is read whatever the range). */
    public static Optional<LocalDate> dayOf(String key) {
        for (Pattern p : new Pattern[] {FOLDER, STAMP}) {
            Matcher m = p.matcher(key);
            if (m.find()) {
                try {
                    return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
                } catch (DateTimeException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the file belongs to the days {@code from} to {@code to}, both included (a key without a day does). */
    public static boolean inRange(String key, LocalDate from, LocalDate to) {
        return dayOf(key).map(d -> !d.isBefore(from) && !d.isAfter(to)).orElse(true);
    }
}
