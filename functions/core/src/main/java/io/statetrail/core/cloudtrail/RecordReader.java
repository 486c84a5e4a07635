package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.TrailEvent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads CloudTrail in every shape it comes in, with Jackson's streaming parser: EventBridge events, log files as
 * stored in S3 ({@code {"Records":[…]}}), bare records, JSON arrays, JSON Lines, LookupEvents responses (records as
 * strings), SQS messages whose body holds any of these, each optionally gzipped.
 *
 * <p>Irrelevant records are skipped without building a tree: only {@code userIdentity} is read field by field, and
 * {@code requestParameters} / {@code responseElements} are materialised only for records that may matter.
 * A syntax error stops the current value; reading resumes at the next line that opens an object, so one
 * broken line of a JSON Lines file loses only that line.
 */
public final class RecordReader {

    /** CloudTrail caps requestParameters at 100 KB; anything near a megabyte in one string is not CloudTrail. */
    public static final int MAX_STRING = 1 << 20;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NESTED_DOCUMENTS = 4;

    /** Turns the {@link LogFileScanner} fast path off (for comparisons): {@code -Dstatetrail.reader.fast=false}. */
    static final boolean FAST_DEFAULT = !"false".equals(System.getProperty("statetrail.reader.fast"));

    /** Each reading thread keeps its scanner window from file to file (one file at a time per thread). */
    private static final ThreadLocal<byte[]> WINDOW = new ThreadLocal<>();
    private static final int KEPT_WINDOW = 1 << 22;

    final JsonFactory factory;
    private final ObjectMapper mapper;
    private final RecordClassifier classifier;
    private final boolean fast;

    public RecordReader(RecordClassifier classifier) {
        this(classifier, FAST_DEFAULT);
    }

    /** @param fast whether log files go through {@link LogFileScanner} first (same results either way) */
    RecordReader(RecordClassifier classifier, boolean fast) {
        this.classifier = classifier;
        this.fast = fast;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING).maxNestingDepth(MAX_DEPTH).build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    RecordClassifier classifier() {
        return classifier;
    }

    /** Reads one file, whatever its name: JSON, JSON Lines, either gzipped (see {@link #open}). */
    public void readFile(Path file, RecordSink sink) {
        readDocument(file.toString(), () -> open(file), sink);
    }

    /**
     * Reads a whole document held in memory (an S3 object as downloaded), gzipped or not, exactly as
     * {@link #readFile} reads the same bytes from a file: the log-file fast path first, the Jackson path where it gives
     * up, resuming after a syntax error.
     */
    public void readBytes(String source, byte[] document, RecordSink sink) {
        readDocument(source, () -> open(new java.io.ByteArrayInputStream(document)), sink);
    }

    /** Opens the document again from its start (the fast path and a resumed read each need a fresh stream). */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private void readDocument(String source, Opener opener, RecordSink sink) {
        if (fast) {
            CountingSink counted = new CountingSink(sink);
            if (scan(opener, source, counted)) {
                return;
            }
            // The Jackson path makes the calls already made again, identically: drop those.
            if (counted.calls > 0) {
                sink = new SkippingSink(sink, counted.calls);
            }
        }
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

    /**
     * The log-file fast path alone, on an uncompressed document (for benchmarks): true when it read the whole of it,
     * false when it would hand it back to the Jackson path.
     */
    public boolean fastPathOnly(String source, InputStream in, RecordSink sink) {
        LogFileScanner scanner = new LogFileScanner(this, classifier.stateObjects(), source, in, sink, WINDOW.get());
        try {
            return scanner.run();
        } catch (LogFileScanner.Bail bail) {
            return false;
        } finally {
            byte[] window = scanner.window();
            WINDOW.set(window.length <= KEPT_WINDOW ? window : null);
        }
    }

    /** The fast path; false when the file is left (or handed back) to the Jackson path. */
    private boolean scan(Opener opener, String source, CountingSink sink) {
        InputStream in;
        try {
            in = opener.open();
        } catch (IOException e) {
            return false;
        }
        LogFileScanner scanner = new LogFileScanner(this, classifier.stateObjects(), source, in, sink, WINDOW.get());
        boolean done;
        try {
            done = scanner.run();
        } catch (LogFileScanner.Bail bail) {
            done = false;
        } finally {
            byte[] window = scanner.window();
            WINDOW.set(window.length <= KEPT_WINDOW ? window : null);
        }
        try {
            in.close();
        } catch (IOException e) {
            if (done) {
                // Where the Jackson path closes the stream (its parser does) and reports a failure.
                sink.malformed(new Malformed(source, 0, "cannot read: " + e.getMessage(), ""));
            }
        }
        return done;
    }

    /** Reads a stream of JSON values; returns the line of a syntax error (so a file can be resumed), or -1. */
    public long read(String source, InputStream in, long lineOffset, RecordSink sink) {
        Context ctx = new Context(source, lineOffset, sink);
        JsonParser parser = null;
        try (JsonParser p = factory.createParser(in)) {
            parser = p;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                value(p, t, ctx);
                ctx.lastValueEndLine = line(p.currentLocation(), ctx);
            }
            return -1;
        } catch (JsonProcessingException e) {
            // StreamConstraintsException (string too long, nesting too deep) carries no location: ask the parser.
            JsonLocation loc = e.getLocation() != null ? e.getLocation() : parser == null ? null : parser.currentLocation();
            long line = loc == null ? 0 : loc.getLineNr() + lineOffset;
            // After resuming mid-array, the separator that follows a record is expected, not an error.
            boolean separator = lineOffset > 0 && line == ctx.lastValueEndLine && isSeparatorError(e);
            if (!separator) {
                sink.malformed(new Malformed(source, line, reason(e), ""));
            }
            return Math.max(line, lineOffset + 1);
        } catch (IOException e) {
            sink.malformed(new Malformed(source, 0, "cannot read: " + e.getMessage(), ""));
            return -1;
        }
    }

    /** Reads one document held in a string (an SQS body, a LookupEvents CloudTrailEvent). */
    public void readString(String source, String json, RecordSink sink) {
        Context ctx = new Context(source, 0, sink);
        nested(json, 0, ctx);
    }

    void value(JsonParser p, JsonToken t, Context ctx) throws IOException {
        long line = line(p.currentTokenLocation(), ctx);
        switch (t) {
            case START_ARRAY -> {
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    value(p, e, ctx);
                }
            }
            case START_OBJECT -> object(p, ctx, line);
            default -> ctx.sink.malformed(new Malformed(ctx.source, line,
                    "unknown shape: " + describe(t) + " where a CloudTrail record, log file or event was expected", ""));
        }
    }

    private void object(JsonParser p, Context ctx, long line) throws IOException {
        RawRecord r = new RawRecord(line);
        boolean container = false;
        String nestedDocument = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "Records", "Events" -> {
                    if (t == JsonToken.START_ARRAY) {
                        container = true;
                        value(p, t, ctx);
                    } else {
                        r.problem(name + " is " + describe(t) + ", expected a list");
                        p.skipChildren();
                    }
                }
                case "detail" -> {
                    if (t == JsonToken.START_OBJECT) {
                        container = true;
                        object(p, ctx, line(p.currentTokenLocation(), ctx));
                    } else {
                        p.skipChildren();
                    }
                }
                case "body", "CloudTrailEvent", "Message" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        nestedDocument = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                case "eventVersion" -> r.eventVersion = string(p, t, name, r);
                case "eventTime" -> r.eventTime = string(p, t, name, r);
                case "eventSource" -> r.eventSource = string(p, t, name, r);
                case "eventName" -> r.eventName = string(p, t, name, r);
                case "eventID" -> r.eventId = string(p, t, name, r);
                case "recipientAccountId" -> r.recipientAccountId = string(p, t, name, r);
                case "sharedEventID" -> r.sharedEventId = string(p, t, name, r);
                case "awsRegion" -> r.awsRegion = string(p, t, name, r);
                case "sourceIPAddress" -> r.sourceIp = string(p, t, name, r);
                case "userAgent" -> r.userAgent = string(p, t, name, r);
                case "errorCode" -> r.errorCode = string(p, t, name, r);
                case "errorMessage" -> r.errorMessage = string(p, t, name, r);
                case "eventCategory" -> r.eventCategory = string(p, t, name, r);
                case "eventType" -> r.eventType = string(p, t, name, r);
                case "vpcEndpointId" -> r.vpcEndpointId = lenient(p, t);
                case "vpcEndpointAccountId" -> r.vpcEndpointAccountId = lenient(p, t);
                case "insightDetails" -> {
                    r.insightDetails = true;
                    p.skipChildren();
                }
                case "digestStartTime", "digestPublicKeyFingerprint", "logFiles" -> {
                    r.digestFields = true;
                    p.skipChildren();
                }
                case "userIdentity" -> r.actor = actor(p, t, r);
                case "requestParameters", "responseElements", "resources" -> {
                    if (t == JsonToken.VALUE_NULL || !RecordClassifier.mayMatter(r.eventSource, r.eventName)) {
                        p.skipChildren();
                    } else {
                        com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(p);
                        switch (name) {
                            case "requestParameters" -> r.requestParameters = tree;
                            case "responseElements" -> r.responseElements = tree;
                            default -> r.resources = tree;
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (nestedDocument != null && r.eventName == null) {
            container = true;
            nested(nestedDocument, line, ctx);
        }
        // A wrapper, not a record; an SQS message has an eventSource ("aws:sqs") of its own but no eventName.
        if (container && r.eventName == null && (r.eventSource == null || nestedDocument != null)) {
            return;
        }
        if (r.eventTime != null) {
            ctx.sink.eventTime(r.eventTime);
        }
        Skipped skipped = RecordClassifier.skipped(r);
        if (skipped != null) {
            ctx.sink.skipped(skipped);
            return;
        }
        List<TrailEvent> events;
        try {
            events = classifier.classify(r);
        } catch (RecordClassifier.MalformedRecord e) {
            ctx.sink.malformed(new Malformed(ctx.source, line, e.getMessage(), ""));
            return;
        }
        if (events.isEmpty()) {
            ctx.sink.irrelevant();
        } else {
            ctx.sink.relevant(ctx.source, line, events);
        }
    }

    private void nested(String json, long line, Context ctx) {
        if (ctx.depth >= MAX_NESTED_DOCUMENTS) {
            ctx.sink.malformed(new Malformed(ctx.source, line, "documents nested in strings too deeply", ""));
            return;
        }
        ctx.depth++;
        try (JsonParser p = factory.createParser(json)) {
            JsonToken t;
            Context inner = new Context(ctx.source, 0, ctx.sink);
            inner.depth = ctx.depth;
            inner.fixedLine = line;
            while ((t = p.nextToken()) != null) {
                value(p, t, inner);
            }
        } catch (JsonProcessingException e) {
            ctx.sink.malformed(new Malformed(ctx.source, line, "embedded document: " + reason(e), Redaction.excerpt(json, 200)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ctx.depth--;
        }
    }

    private Actor actor(JsonParser p, JsonToken t, RawRecord r) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            r.problem("userIdentity is " + describe(t) + ", expected an object");
            p.skipChildren();
            return null;
        }
        String type = null, principalId = null, arn = null, accountId = null, accessKeyId = null, userName = null;
        String identityProvider = null, issuerArn = null, federatedProvider = null, invokedBy = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> type = string(p, v, "userIdentity.type", r);
                case "principalId" -> principalId = string(p, v, "userIdentity.principalId", r);
                case "arn" -> arn = string(p, v, "userIdentity.arn", r);
                case "accountId" -> accountId = string(p, v, "userIdentity.accountId", r);
                case "accessKeyId" -> accessKeyId = string(p, v, "userIdentity.accessKeyId", r);
                case "userName" -> userName = string(p, v, "userIdentity.userName", r);
                case "identityProvider" -> identityProvider = string(p, v, "userIdentity.identityProvider", r);
                case "invokedBy" -> invokedBy = string(p, v, "userIdentity.invokedBy", r);
                case "sessionContext" -> {
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String section = p.currentName();
                        JsonToken s = p.nextToken();
                        if (s == JsonToken.START_OBJECT && ("sessionIssuer".equals(section) || "webIdFederationData".equals(section))) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String field = p.currentName();
                                JsonToken fv = p.nextToken();
                                if ("sessionIssuer".equals(section) && "arn".equals(field)) {
                                    issuerArn = string(p, fv, "sessionIssuer.arn", r);
                                } else if ("webIdFederationData".equals(section) && "federatedProvider".equals(field)) {
                                    federatedProvider = string(p, fv, "webIdFederationData.federatedProvider", r);
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Actor(type, principalId, arn, accountId, emptyToNull(accessKeyId), userName, identityProvider, issuerArn,
                federatedProvider, invokedBy);
    }

    private static String string(JsonParser p, JsonToken t, String name, RawRecord r) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t != JsonToken.VALUE_NULL) {
            r.problem(name + " is " + describe(t) + ", expected a string");
            p.skipChildren();
        }
        return null;
    }

    /**
     * A string, or null for anything else, without making the record malformed: for fields that add detail but on which
     * reading the record does not depend (the fast path, which reads past irrelevant records, never looks at them).
     */
    private static String lenient(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return emptyToNull(p.getText());
        }
        p.skipChildren();
        return null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            default -> String.valueOf(t);
        };
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "too large or deeply nested: " + e.getOriginalMessage();
        }
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        msg = nl >= 0 ? msg.substring(0, nl) : msg;
        if (msg.contains("end-of-input")) {
            return "invalid JSON (truncated): " + msg;
        }
        return "invalid JSON: " + msg;
    }

    private static boolean isSeparatorError(JsonProcessingException e) {
        String msg = String.valueOf(e.getOriginalMessage());
        return msg.startsWith("Unexpected character (','") || msg.startsWith("Unexpected close marker ']'")
                || msg.startsWith("Unexpected close marker '}'") || msg.startsWith("Unexpected character (']'")
                || msg.startsWith("Unexpected character ('}'");
    }

    private static long line(JsonLocation loc, Context ctx) {
        if (ctx.fixedLine >= 0) {
            return ctx.fixedLine;
        }
        return loc == null ? 0 : loc.getLineNr() + ctx.lineOffset;
    }

    /**
     * Opens a file for reading, inflating it when its first bytes are gzip's magic number (1f 8b), whatever its name:
     * CloudTrail's {@code .json.gz}, Firehose's extensionless or {@code .gz} objects, {@code .log} exports.
     */
    public static InputStream open(Path file) throws IOException {
        return open(Files.newInputStream(file));
    }

    /** A stream inflated when its first bytes are gzip's, as {@link #open(Path)} decides for a file. */
    public static InputStream open(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        if (isGzip(in)) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    /** Peeks at the first two bytes of a stream that supports mark/reset. */
    static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** Skips {@code lines} lines of {@code in}; shared with the raw-record reader that resumes after a bad line. */
    public static void skipLines(InputStream in, long lines) throws IOException {
        long seen = 0;
        int b;
        while (seen < lines && (b = in.read()) >= 0) {
            if (b == '\n') {
                seen++;
            }
        }
    }

    /** The first line after {@code afterLine} whose first non-blank character opens an object, or -1. */
    public static long nextObjectLine(Opener opener, long afterLine) throws IOException {
        try (InputStream in = opener.open()) {
            skipLines(in, afterLine);
            long line = afterLine + 1;
            boolean atStart = true;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    line++;
                    atStart = true;
                } else if (atStart && b != ' ' && b != '\t' && b != '\r') {
                    if (b == '{') {
                        return line;
                    }
                    atStart = false;
                }
            }
            return -1;
        }
    }

    static final class Context {
        final String source;
        final long lineOffset;
        final RecordSink sink;
        long lastValueEndLine = -1;
        long fixedLine = -1;
        int depth;

        Context(String source, long lineOffset, RecordSink sink) {
            this.source = source;
            this.lineOffset = lineOffset;
            this.sink = sink;
        }
    }
}
