package io.statetrail.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch Embedded Metric Format, written by hand (lighter than a metrics library): namespace {@code statetrail},
 * {@code EventsIn}, {@code Duplicates}, {@code Malformed}, {@code AlertFailures} without dimensions (the alarms in
 * {@code infra/modules/statetrail/monitoring.tf} read them so), and {@code Findings} with dimension {@code type}.
 * Counts accumulate over one invocation and are written as EMF lines on stdout by {@link #flush()}.
 */
public final class Metrics {

    public static final String NAMESPACE = "statetrail";
    public static final String EVENTS_IN = "EventsIn";
    public static final String DUPLICATES = "Duplicates";
    public static final String MALFORMED = "Malformed";
    public static final String ALERT_FAILURES = "AlertFailures";
    public static final String FINDINGS = "Findings";
    /** Accounts whose IAM roles the daily posture run could not read. */
    public static final String POSTURE_FAILURES = "PostureAccountsFailed";
    /** Suppressions the daily run found expired, expiring within a week, or matching nothing for 30 days. */
    public static final String SUPPRESSIONS_TO_REVIEW = "SuppressionsToReview";

    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final Clock clock;
    private final Map<String, Long> plain = new TreeMap<>();
    private final Map<String, Long> findings = new TreeMap<>();

    public Metrics(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public synchronized void count(String metric, long n) {
        plain.merge(metric, n, Long::sum);
    }

    public synchronized void finding(String type, long n) {
        findings.merge(type, n, Long::sum);
    }

    /** Writes what was counted (zeros included, so the graphs show the function ran) and starts over. */
    public synchronized void flush(String... always) {
        for (String m : always) {
            plain.putIfAbsent(m, 0L);
        }
        long now = clock.millis();
        if (!plain.isEmpty()) {
            out.println(line(now, null, null, plain));
        }
        for (Map.Entry<String, Long> e : findings.entrySet()) {
            out.println(line(now, "type", e.getKey(), Map.of(FINDINGS, e.getValue())));
        }
        plain.clear();
        findings.clear();
    }

    static String line(long timestamp, String dimension, String value, Map<String, Long> metrics) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestamp);
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", NAMESPACE);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            if (dimension != null) {
                g.writeString(dimension);
            }
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            for (String name : metrics.keySet()) {
                g.writeStartObject();
                g.writeStringField("Name", name);
                g.writeStringField("Unit", "Count");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            if (dimension != null) {
                g.writeStringField(dimension, value);
            }
            for (Map.Entry<String, Long> e : metrics.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
