package io.statetrail.service.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordReader.Opener;
import io.statetrail.core.cloudtrail.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Splits CloudTrail files into single raw records, each with its line, so that a local run can hand them one by one to
 * the {@link Ingestor} exactly as the live service receives them (one EventBridge event per record). Containers are
 * unwrapped the way {@link RecordReader} reads them: log files ({@code {"Records":[…]}}), LookupEvents responses
 * (records as strings), EventBridge envelopes, SQS messages, JSON arrays and JSON Lines, optionally gzipped (by content). Whether a
 * record is valid is left to the ingestor's {@code RecordReader}; only a syntax error is reported here, with its line,
 * and reading resumes at the next line that opens an object.
 */
public final class RawRecords {

    /** Where the records go. */
    public interface Sink {
        /** One record (or something in a record's place, which the ingestor will judge), as compact JSON. */
        void record(String source, long line, String json);

        void malformed(Malformed malformed);
    }

    private static final int MAX_NESTED = 4;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(RecordReader.MAX_STRING).maxNestingDepth(64).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private RawRecords() {
    }

    /** The EventBridge event the live service receives for this record. */
    public static String asEventBridge(String recordJson) {
        try {
            JsonNode record = MAPPER.readTree(recordJson);
            ObjectNode envelope = MAPPER.createObjectNode();
            envelope.put("detail-type", "AWS API Call via CloudTrail");
            String source = record.path("eventSource").asText("");
            int dot = source.indexOf('.');
            envelope.put("source", dot > 0 ? "aws." + source.substring(0, dot) : "aws.unknown");
            envelope.set("detail", record);
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    public static void readFile(Path file, Sink sink) {
        readDocument(file.toString(), () -> open(file), sink);
    }

    /** The records of a whole document held in memory (an S3 object as downloaded), gzipped or not. */
    public static void readBytes(String source, byte[] document, Sink sink) {
        readDocument(source, () -> RecordReader.open(new java.io.ByteArrayInputStream(document)), sink);
    }

    private static void readDocument(String source, Opener opener, Sink sink) {
        long startLine = 1;
        while (startLine > 0) {
            try (InputStream in = opener.open()) {
                skipLines(in, startLine - 1);
                long errorLine = read(source, in, startLine - 1, sink);
                startLine = errorLine > 0 ? nextObjectLine(opener, errorLine) : -1;
            } catch (IOException e) {
                sink.malformed(new Malformed(source, 0, "cannot read file: " + e.getMessage(), ""));
                return;
            }
        }
    }

    /** Reads a stream of JSON values; returns the line of a syntax error (to resume after it), or -1. */
    static long read(String source, InputStream in, long lineOffset, Sink sink) throws IOException {
        long lastValueEndLine = -1;
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                value(p, t, source, lineOffset, -1, 0, sink);
                lastValueEndLine = p.currentLocation().getLineNr() + lineOffset;
            }
            return -1;
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? lineOffset + 1 : e.getLocation().getLineNr() + lineOffset;
            String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            // After resuming inside an array, the separator that follows a record is expected, not an error.
            if (lineOffset > 0 && line == lastValueEndLine && isSeparatorError(msg)) {
                return Math.max(line, lineOffset + 1);
            }
            sink.malformed(new Malformed(source, line, "invalid JSON" + (msg.contains("end-of-input") ? " (truncated)" : "") + ": "
                    + (nl >= 0 ? msg.substring(0, nl) : msg), ""));
            return Math.max(line, lineOffset + 1);
        }
    }

    private static boolean isSeparatorError(String msg) {
        return msg.startsWith("Unexpected character (','") || msg.startsWith("Unexpected close marker ']'")
                || msg.startsWith("Unexpected close marker '}'") || msg.startsWith("Unexpected character (']'")
                || msg.startsWith("Unexpected character ('}'");
    }

    private static void value(JsonParser p, JsonToken t, String source, long lineOffset, long fixedLine, int depth, Sink sink)
            throws IOException {
        long line = fixedLine >= 0 ? fixedLine : p.currentTokenLocation().getLineNr() + lineOffset;
        if (t == JsonToken.START_ARRAY) {
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                value(p, e, source, lineOffset, fixedLine, depth, sink);
            }
        } else if (t == JsonToken.START_OBJECT) {
            object(p, source, lineOffset, fixedLine, line, depth, sink);
        } else {
            p.skipChildren();
            sink.malformed(new Malformed(source, line, "unknown shape: a JSON " + t.name().toLowerCase(java.util.Locale.ROOT)
                    + " where a CloudTrail record, log file or event was expected", ""));
        }
    }

    private static void object(JsonParser p, String source, long lineOffset, long fixedLine, long line, int depth, Sink sink)
            throws IOException {
        ObjectNode node = MAPPER.createObjectNode();
        boolean container = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (("Records".equals(name) || "Events".equals(name)) && t == JsonToken.START_ARRAY) {
                container = true;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    long elementLine = fixedLine >= 0 ? fixedLine : p.currentTokenLocation().getLineNr() + lineOffset;
                    if (e != JsonToken.START_OBJECT) {
                        value(p, e, source, lineOffset, fixedLine, depth, sink);
                        continue;
                    }
                    JsonNode element = MAPPER.readTree(p);
                    JsonNode nested = element.get("CloudTrailEvent") != null ? element.get("CloudTrailEvent")
                            : element.get("body") != null && !element.has("eventName") ? element.get("body") : null;
                    if (nested != null && nested.isTextual()) {
                        nested(nested.asText(), source, elementLine, depth, sink);
                    } else {
                        emit(element, source, elementLine, sink);
                    }
                }
            } else {
                node.set(name, MAPPER.readTree(p));
            }
        }
        if (container && !node.has("eventName")) {
            return;
        }
        if (!node.has("eventName") && node.path("detail").isObject() && node.has("detail-type")) {
            emit(node.get("detail"), source, line, sink);
        } else if (!node.has("eventName") && node.path("body").isTextual()) {
            nested(node.get("body").asText(), source, line, depth, sink);
        } else {
            emit(node, source, line, sink);
        }
    }

    private static void nested(String json, String source, long line, int depth, Sink sink) throws IOException {
        if (depth >= MAX_NESTED) {
            sink.malformed(new Malformed(source, line, "documents nested in strings too deeply", ""));
            return;
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                value(p, t, source, 0, line, depth + 1, sink);
            }
        } catch (JsonProcessingException e) {
            sink.malformed(new Malformed(source, line, "embedded document: invalid JSON: " + e.getOriginalMessage(), Redaction.excerpt(json, 200)));
        }
    }

    private static void emit(JsonNode record, String source, long line, Sink sink) throws JsonProcessingException {
        sink.record(source, line, MAPPER.writeValueAsString(record));
    }

    /** Gzip or not by the file's first bytes, as {@link RecordReader#open} decides. */
    static InputStream open(Path file) throws IOException {
        return RecordReader.open(file);
    }

    private static void skipLines(InputStream in, long lines) throws IOException {
        RecordReader.skipLines(in, lines);
    }

    private static long nextObjectLine(Opener opener, long afterLine) {
        try {
            return RecordReader.nextObjectLine(opener, afterLine);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
