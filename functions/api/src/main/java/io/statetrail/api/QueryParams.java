package io.statetrail.api;

import io.statetrail.core.finding.FindingType;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.query.FindingQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How each kind of query parameter is read and checked, in one place, so the API and the CLI refuse the same things
 * with the same words. The request records ({@link FindingsRequest} and the others) say which parameter is which kind;
 * every function takes the parameter's name for its message.
 */
public final class QueryParams {

    /** Largest page the API serves; a bigger {@code limit} is refused rather than silently cut. */
    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 50;

    /** How the start and end of a time range are written, for the request records' descriptions. */
    static final String FROM = "from this time on: an ISO-8601 instant, a date (2026-11-05) or a time before now (30m, 24h, 7d)";
    static final String TO = "up to this time: an ISO-8601 instant, a date (2026-11-05) or a time before now (30m, 24h, 7d)";

    // AKIA (IAM user) and ASIA (STS session) keys are 20 upper-case letters and digits; AWS documents up to 128.
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([mhd])");
    private static final int MAX_TEXT = 1024;

    private QueryParams() {
    }

    /** A value as given, trimmed; an empty one (an empty form field) means "any", so null. */
    static String given(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Refuses a parameter the query does not know, so a typo never silently widens a search. */
    static void allow(Collection<String> given, Collection<String> names) {
        Set<String> known = new TreeSet<>(names);
        for (String k : given) {
            if (!known.contains(k)) {
                throw BadQuery.invalid("unknown parameter '" + clip(k) + "'" + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")"));
            }
        }
    }

    static String text(String name, String v) {
        if (v != null && v.length() > MAX_TEXT) {
            throw BadQuery.invalid(name + " is longer than " + MAX_TEXT + " characters");
        }
        return v;
    }

    /** A page size, {@link #DEFAULT_LIMIT} when not given. */
    static int limit(String v) {
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw BadQuery.invalid("limit '" + clip(v) + "' is not a whole number");
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw BadQuery.invalid("limit " + n + " is outside 1.." + MAX_LIMIT + " (page with the 'next' cursor instead)");
        }
        return n;
    }

    static int intValue(String name, String v, int dflt, int min, int max) {
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BadQuery.invalid(name + " '" + clip(v) + "' is not a whole number in " + min + ".." + max);
    }

    /**
     * An instant: ISO-8601 ({@code 2026-11-05T15:00:00Z}), a date ({@code 2026-11-05}, midnight UTC) or a time before
     * {@code now} ({@code 30m}, {@code 24h}, {@code 7d}).
     */
    static Instant instant(String name, String v, Instant now) {
        if (v == null) {
            return null;
        }
        var m = RELATIVE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            if (v.length() == 10) {
                return Instant.parse(v + "T00:00:00Z");
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw BadQuery.invalid(name + " '" + clip(v) + "' is not a time: use ISO-8601 (2026-11-05T15:00:00Z), a date "
                    + "(2026-11-05) or a time before now (30m, 24h, 7d)");
        }
    }

    /** The range [from, to) of the parameters {@code from} and {@code to}; refused when it is empty or backwards. */
    static Range range(String from, String to, Instant now, Instant defaultFrom, Instant defaultTo) {
        Instant f = instant("from", from, now);
        Instant t = instant("to", to, now);
        f = f != null ? f : defaultFrom;
        t = t != null ? t : defaultTo;
        if (f != null && t != null && !f.isBefore(t)) {
            throw BadQuery.invalid("bad time range: from " + f + " is not before to " + t);
        }
        return new Range(f, t);
    }

    /** As {@link #range}, with open ends set to the epoch and just after now: the store's key ranges need both ends. */
    static Range closedRange(String from, String to, Instant now) {
        return range(from, to, now, Instant.EPOCH, now.plusSeconds(1));
    }

    static String accessKey(String name, String v) {
        if (v == null) {
            throw BadQuery.invalid("missing parameter '" + name + "'");
        }
        if (!ACCESS_KEY.matcher(v).matches()) {
            throw BadQuery.invalid(name + " '" + clip(v) + "' is not an AWS access key id (16-128 upper-case letters and digits, e.g. ASIA...)");
        }
        return v;
    }

    /** {@code <bucket>/<key>}, as findings and the store name a state object. */
    static String stateKey(String name, String v) {
        if (v == null) {
            throw BadQuery.invalid("missing parameter '" + name + "'");
        }
        int slash = v.indexOf('/');
        if (slash < 3 || slash == v.length() - 1 || v.length() > MAX_TEXT) {
            throw BadQuery.invalid(name + " '" + clip(v) + "' is not a state key: expected <bucket>/<key>, e.g. acme-tfstate-prod/infra/terraform.tfstate");
        }
        return v;
    }

    static Severity severity(String name, String v) {
        if (v == null) {
            return null;
        }
        try {
            return Severity.parse(v);
        } catch (IllegalArgumentException e) {
            throw BadQuery.invalid(name + " '" + clip(v) + "': expected low, medium, high or critical");
        }
    }

    static String findingType(String name, String v) {
        if (v == null) {
            return null;
        }
        for (FindingType t : FindingType.values()) {
            if (t.id().equals(v.toLowerCase(Locale.ROOT))) {
                return t.id();
            }
        }
        throw BadQuery.invalid(name + " '" + clip(v) + "' is not a finding type (known: "
                + Arrays.stream(FindingType.values()).map(FindingType::id).collect(Collectors.joining(", ")) + ")");
    }

    /** {@code exclude} (default), {@code include} or {@code only}: which withdrawn findings to list. */
    static FindingQuery.Withdrawn withdrawn(String name, String v) {
        if (v == null) {
            return FindingQuery.Withdrawn.EXCLUDE;
        }
        try {
            return FindingQuery.Withdrawn.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw BadQuery.invalid(name + " '" + clip(v) + "': expected exclude, include or only");
        }
    }

    /** {@code open,acknowledged}: the triage statuses to keep (null: any). */
    static java.util.Set<io.statetrail.core.finding.FindingStatus> statuses(String name, String v) {
        java.util.Set<io.statetrail.core.finding.FindingStatus> out = java.util.EnumSet.noneOf(io.statetrail.core.finding.FindingStatus.class);
        if (v == null) {
            return out;
        }
        for (String part : v.split(",", -1)) {
            try {
                out.add(io.statetrail.core.finding.FindingStatus.parse(part));
            } catch (IllegalArgumentException e) {
                throw BadQuery.invalid(name + " '" + clip(part) + "': expected open, acknowledged, resolved or false-positive, comma-separated");
            }
        }
        return out;
    }

    /** Echoes user text in an error message without letting a huge or control-laden value through. */
    static String clip(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length() && b.length() < 80; i++) {
            char c = v.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return v.length() > 80 ? b + "…" : b.toString();
    }

    /** A time range; either end may be open (null). */
    public record Range(Instant from, Instant to) {
    }
}
