package io.statetrail.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.statetrail.core.cloudtrail.Redaction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs: one JSON object per line on stdout (the functions' log format is Text, so CloudWatch keeps the line
 * as written and Logs Insights parses its fields). Every line about an event carries {@code eventId} and
 * {@code sessionKey} (the access key of the session that acted). Free text that may hold raw input is scrubbed with
 * {@link Redaction} first: no session token ever reaches a log.
 */
public final class Log {

    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final String function;
    private volatile String requestId;

    public Log(PrintStream out, String function) {
        this.out = out;
        this.function = function;
    }

    public void requestId(String id) {
        this.requestId = id;
    }

    public Line info(String message) {
        return new Line("INFO", message);
    }

    public Line warn(String message) {
        return new Line("WARN", message);
    }

    public Line error(String message) {
        return new Line("ERROR", message);
    }

    /** One log line, written by {@link #write()}. */
    public final class Line {
        private final String level;
        private final String message;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Line(String level, String message) {
            this.level = level;
            this.message = message;
        }

        public Line with(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        /** Raw text (an excerpt of input, an exception message): scrubbed and cut. */
        public Line raw(String key, String value) {
            if (value != null) {
                fields.put(key, Redaction.excerpt(value, 500));
            }
            return this;
        }

        public void write() {
            StringWriter w = new StringWriter(256);
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("level", level);
                g.writeStringField("time", Instant.now().toString());
                g.writeStringField("function", function);
                if (requestId != null) {
                    g.writeStringField("requestId", requestId);
                }
                g.writeStringField("message", message);
                for (Map.Entry<String, Object> e : fields.entrySet()) {
                    Object v = e.getValue();
                    if (v instanceof Number n) {
                        g.writeFieldName(e.getKey());
                        if (n instanceof Integer || n instanceof Long) {
                            g.writeNumber(n.longValue());
                        } else {
                            g.writeNumber(n.doubleValue());
                        }
                    } else if (v instanceof Boolean b) {
                        g.writeBooleanField(e.getKey(), b);
                    } else {
                        g.writeStringField(e.getKey(), String.valueOf(v));
                    }
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println(w);
        }
    }
}
