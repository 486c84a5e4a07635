package io.statetrail.api;

import io.statetrail.core.finding.FindingType;
import io.statetrail.core.finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Query parameters as the user wrote them (HTTP query string or CLI options), read and checked in one place so the API
 * and the CLI refuse the same things with the same words.
 */
public final class QueryParams {

    /** Largest page the API serves; a bigger {@code limit} is refused rather than silently cut. */
    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 50;

    // AKIA (IAM user) and ASIA (STS session) keys are 20 upper-case letters and digits; AWS documents up to 128.
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([mhd])");
    private static final int MAX_TEXT = 1024;

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** Parameters with empty values dropped (an empty form field means "any"). */
    public static QueryParams of(Map<String, String> raw) {
        Map<String, String> v = new LinkedHashMap<>();
        raw.forEach((k, val) -> {
            if (val != null && !val.isBlank()) {
                v.put(k, val.trim());
            }
        });
        return new QueryParams(Collections.unmodifiableMap(v));
    }

    public static QueryParams empty() {
        return new QueryParams(Map.of());
    }

    /** Refuses a parameter this query does not know, so a typo never silently widens a search. */
    public QueryParams allow(String... names) {
        Set<String> known = new TreeSet<>(Arrays.asList(names));
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw BadQuery.invalid("unknown parameter '" + clip(k) + "'" + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")"));
            }
        }
        return this;
    }

    public String text(String name) {
        String v = values.get(name);
        if (v != null && v.length() > MAX_TEXT) {
            throw BadQuery.invalid(name + " is longer than " + MAX_TEXT + " characters");
        }
        return v;
    }

    public String required(String name) {
        String v = text(name);
        if (v == null) {
            throw BadQuery.invalid("missing parameter '" + name + "'");
        }
        return v;
    }

    public int limit() {
        String v = values.get("limit");
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

    public int intValue(String name, int dflt, int min, int max) {
        String v = values.get(name);
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
    public Instant instant(String name, Instant now) {
        String v = values.get(name);
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

    /** The range [from, to); refused when it is empty or backwards. */
    public Range range(Instant now, Instant defaultFrom, Instant defaultTo) {
        Instant from = instant("from", now);
        Instant to = instant("to", now);
        from = from != null ? from : defaultFrom;
        to = to != null ? to : defaultTo;
        if (from != null && to != null && !from.isBefore(to)) {
            throw BadQuery.invalid("bad time range: from " + from + " is not before to " + to);
        }
        return new Range(from, to);
    }

    public String accessKey(String name) {
        String v = required(name);
        return accessKey(name, v);
    }

    static String accessKey(String name, String v) {
        if (!ACCESS_KEY.matcher(v).matches()) {
            throw BadQuery.invalid(name + " '" + clip(v) + "' is not an AWS access key id (16-128 upper-case letters and digits, e.g. ASIA...)");
        }
        return v;
    }

    /** {@code <bucket>/<key>}, as findings and the store name a state object. */
    public static String stateKey(String name, String v) {
        if (v == null) {
            throw BadQuery.invalid("missing parameter '" + name + "'");
        }
        int slash = v.indexOf('/');
        if (slash < 3 || slash == v.length() - 1 || v.length() > MAX_TEXT) {
            throw BadQuery.invalid(name + " '" + clip(v) + "' is not a state key: expected <bucket>/<key>, e.g. acme-tfstate-prod/infra/terraform.tfstate");
        }
        return v;
    }

    public Severity severity(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Severity.parse(v);
        } catch (IllegalArgumentException e) {
            throw BadQuery.invalid(name + " '" + clip(v) + "': expected low, medium, high or critical");
        }
    }

    public String findingType(String name) {
        String v = values.get(name);
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
    public io.statetrail.service.query.FindingQuery.Withdrawn withdrawn(String name) {
        String v = values.get(name);
        if (v == null) {
            return io.statetrail.service.query.FindingQuery.Withdrawn.EXCLUDE;
        }
        try {
            return io.statetrail.service.query.FindingQuery.Withdrawn.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw BadQuery.invalid(name + " '" + clip(v) + "': expected exclude, include or only");
        }
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
