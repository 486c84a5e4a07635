package io.statetrail.core.cloudtrail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.statetrail.core.terraform.StateObjects;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link RecordReader#readFile} for CloudTrail log files as stored in S3 ({@code {"Records":[…]}},
 * gzipped or not): a validating byte scanner that reads past irrelevant records without building tokens or strings,
 * and hands every record that may matter to the regular Jackson path ({@link RecordReader#value}) as a byte slice.
 *
 * <p>It is exact, not a heuristic: it emits to the sink precisely the calls the Jackson path would make, in the same
 * order, or gives up. It gives up ({@link #BAIL}) on anything it does not handle or cannot prove identical (another
 * shape of file, a syntax error, an escape in a key or tracked value, a line ending in CR, a token or depth near a
 * Jackson limit, a record too big for its window); the reader then replays the file through the Jackson path and
 * drops the calls already made, which that path makes again identically. To be safe it must be at least as strict
 * as Jackson everywhere: whitespace, literals, numbers (no leading zeros, no '+'), strings (no raw control
 * characters, only JSON escapes, strict UTF-8), trailing commas, nesting.
 *
 * <p>A record it reads past is one whose {@code eventSource}/{@code eventName} cannot matter
 * ({@link RecordClassifier#mayMatter}), or an S3 {@code GetObject}/{@code PutObject} whose bucket and key are no
 * Terraform state or lock and that the classifier would not reject as malformed (checked here conservatively:
 * no field of the wrong type, a plain UTC {@code eventTime}, an {@code eventID}, a 1.x {@code eventVersion}). For such
 * a record the Jackson path calls {@code eventTime(raw)} then {@code irrelevant()}; so does this one.
 *
 * <p>Reads are 8000-byte requests on the same stream stack as the Jackson path (8000 is Jackson's read buffer), so a
 * stream that fails midway (a truncated or corrupt gzip) has delivered exactly the same bytes to both paths when
 * the error is reported.
 */
final class LogFileScanner {

    /** Jackson's read buffer ({@code BufferRecycler}); every read asks for exactly this much, as Jackson does. */
    static final int READ_CHUNK = 8000;
    private static final int INITIAL_WINDOW = 1 << 18;
    private static final int MAX_WINDOW = 1 << 26;
    /** Room past {@link #end} so that 8-byte words can always be read. */
    private static final int SLACK = 32;
    /** Below {@link RecordReader}'s nesting limit (64), so that Jackson never fails where this path did not. */
    static final int MAX_DEPTH = 60;
    /** Well below Jackson's limits (strings read 1 MB, names 50,000, numbers 1,000): longer ones go to Jackson. */
    static final int MAX_STRING = 1 << 19;
    static final int MAX_NAME = 4096;
    static final int MAX_NUMBER = 100;

    /** Not handled here: the reader replays the file through the Jackson path. */
    static final class Bail extends RuntimeException {
        Bail(boolean trace) {
            super("fast path gives up", null, false, trace);
        }
    }

    /** The window ended inside the current unit: refill and scan the unit again. */
    private static final class NeedMore extends RuntimeException {
        NeedMore() {
            super(null, null, false, false);
        }
    }

    /** {@code -Dstatetrail.scanner.debug=true}: where each bail happens, with a stack trace. */
    private static final boolean DEBUG = Boolean.getBoolean("statetrail.scanner.debug");
    private static final Bail BAIL_ = new Bail(false);
    private static final NeedMore NEED_MORE = new NeedMore();

    static Bail bail() {
        return DEBUG ? new Bail(true) : BAIL_;
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private static final int ESCAPED = 1, NON_ASCII = 2;

    // Kinds of a tracked value.
    private static final int ABSENT = 0, STR = 1, STR_NON_ASCII = 2, STR_ESCAPED = 3, NOT_STRING = 4;

    // Top-level keys of a record.
    private static final int K_OTHER = 0, K_VERSION = 1, K_TIME = 2, K_SOURCE = 3, K_NAME = 4, K_ID = 5, K_STRING = 6,
            K_USER = 7, K_REQUEST = 8, K_CONTAINER = 9, K_CATEGORY = 10, K_TYPE = 11;

    // Event sources that may matter.
    private static final int SRC_OTHER = 0, SRC_STS = 1, SRC_S3 = 2, SRC_DYNAMODB = 3, SRC_IAM = 4, SRC_KMS = 5;

    private static final int HEADER = 0, FIRST = 1, NEXT = 2, AFTER_ARRAY = 3, AFTER_ROOT = 4;

    private final RecordReader reader;
    private final StateObjects stateObjects;
    private final String source;
    private final RecordSink sink;
    private final InputStream in;

    private byte[] b;
    private int end;
    private boolean eof;
    private IOException readError;
    private boolean firstRead = true;
    private long line = 1;
    private int unitStart;
    private long unitLine = 1;

    /** Flags of the last string scanned. */
    private int strFlags;

    // The record being scanned.
    private boolean mustDelegate;
    private boolean maybeProblem;
    private boolean requestUncertain;
    private int requestCount;
    private int userCount;
    private int userS;
    private int requestS;
    private int timeKind, timeS, timeLen;
    private int sourceKind, sourceS, sourceLen;
    private int nameKind, nameS, nameLen;
    private int idKind, idS, idLen;
    private int versionKind, versionS, versionLen;
    private int bucketKind, bucketS, bucketLen;
    private int keyKind, keyS, keyLen;
    private int categoryKind, categoryS, categoryLen;
    private int typeKind, typeS, typeLen;
    /** Set by {@link #trackedString}. */
    private int lastKind, lastS, lastLen;

    LogFileScanner(RecordReader reader, StateObjects stateObjects, String source, InputStream in, RecordSink sink, byte[] window) {
        this.reader = reader;
        this.stateObjects = stateObjects;
        this.source = source;
        this.in = in;
        this.sink = sink;
        this.b = window != null && window.length >= INITIAL_WINDOW + SLACK ? window : new byte[INITIAL_WINDOW + SLACK];
    }

    /** The window, to reuse for the next file of this thread. */
    byte[] window() {
        return b;
    }

    /**
     * Reads the whole stream.
     *
     * @return true when done (every call made); false when nothing was read and the Jackson path should take the file
     * @throws Bail when the Jackson path must take the file over (some calls may already have been made)
     */
    boolean run() {
        if (!fill()) {
            // Empty stream (or an error before any byte): the Jackson path reports it its own way.
            return false;
        }
        int state = HEADER;
        int i = 0;
        while (true) {
            try {
                switch (state) {
                    case HEADER -> {
                        i = header(i);
                        state = FIRST;
                    }
                    case FIRST -> {
                        i = ws(i);
                        if (b[i] == ']') {
                            i++;
                            state = AFTER_ARRAY;
                        } else {
                            i = element(i);
                            state = NEXT;
                        }
                    }
                    case NEXT -> {
                        i = ws(i);
                        byte c = b[i];
                        if (c == ',') {
                            i = element(ws(i + 1));
                        } else if (c == ']') {
                            i++;
                            state = AFTER_ARRAY;
                        } else {
                            throw bail();
                        }
                    }
                    case AFTER_ARRAY -> {
                        i = ws(i);
                        if (b[i] != '}') {
                            throw bail();
                        }
                        i++;
                        state = AFTER_ROOT;
                    }
                    default -> {
                        i = wsOrEnd(i);
                        if (i < 0) {
                            return true;
                        }
                        if (b[i] != '{') {
                            throw bail();
                        }
                        state = HEADER;
                    }
                }
                unitStart = i;
                unitLine = line;
            } catch (NeedMore more) {
                line = unitLine;
                boolean read = fill();
                if (!read) {
                    if (readError != null) {
                        // As the Jackson path: every record before the failure was read, then this.
                        sink.malformed(new Malformed(source, 0, "cannot read: " + readError.getMessage(), ""));
                        return true;
                    }
                    if (state != AFTER_ROOT) {
                        throw bail(); // truncated: the Jackson path says where and how
                    }
                    // Between values at the end of the input: scan once more, now knowing it is the end.
                }
                i = unitStart;
            }
        }
    }

    // ---- input ------------------------------------------------------------------------------------------------

    /** Moves the current unit to the start of the window and reads until the window is full; false if nothing came. */
    private boolean fill() {
        if (eof) {
            return false;
        }
        if (unitStart > 0) {
            System.arraycopy(b, unitStart, b, 0, end - unitStart);
            end -= unitStart;
            unitStart = 0;
        }
        if (b.length - SLACK - end < READ_CHUNK) {
            if (b.length - SLACK >= MAX_WINDOW) {
                throw bail(); // a record larger than the window: Jackson streams it
            }
            byte[] bigger = new byte[(b.length - SLACK) * 2 + SLACK];
            System.arraycopy(b, 0, bigger, 0, end);
            b = bigger;
        }
        int added = 0;
        while (b.length - SLACK - end >= READ_CHUNK) {
            int n;
            try {
                n = in.read(b, end, READ_CHUNK);
            } catch (IOException e) {
                readError = e;
                eof = true;
                break;
            }
            if (n < 0) {
                eof = true;
                break;
            }
            if (firstRead && n < 4) {
                // Jackson's bootstrapper would ask again for the rest of its buffer: not the same reads.
                throw bail();
            }
            firstRead = false;
            end += n;
            added += n;
        }
        return added > 0;
    }

    // ---- structure --------------------------------------------------------------------------------------------

    /** {@code {"Records":[}, with any whitespace. */
    private int header(int i) {
        i = ws(i);
        if (b[i] != '{') {
            throw bail();
        }
        i = ws(i + 1);
        if (b[i] != '"') {
            throw bail();
        }
        need(i + 9);
        if (b[i + 1] != 'R' || b[i + 2] != 'e' || b[i + 3] != 'c' || b[i + 4] != 'o' || b[i + 5] != 'r' || b[i + 6] != 'd'
                || b[i + 7] != 's' || b[i + 8] != '"') {
            throw bail();
        }
        i = ws(i + 9);
        if (b[i] != ':') {
            throw bail();
        }
        i = ws(i + 1);
        if (b[i] != '[') {
            throw bail();
        }
        return i + 1;
    }

    /** One record of the Records array: scan, decide, emit. */
    private int element(int i) {
        if (b[i] != '{') {
            throw bail(); // not an object: the Jackson path reports it
        }
        int start = i;
        long recordLine = line;
        int after = record(i);
        decide(start, after, recordLine);
        return after;
    }

    private int ws(int i) {
        while (true) {
            if (i >= end) {
                throw NEED_MORE;
            }
            byte c = b[i];
            if (c > ' ') {
                return i;
            }
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\n') {
                line++;
                i++;
            } else if (c == '\r') {
                throw bail(); // Jackson's CR/CRLF line counting is not worth copying
            } else {
                return i; // not whitespace: the caller rejects it
            }
        }
    }

    /** Whitespace then a byte, or -1 at a clean end of input. */
    private int wsOrEnd(int i) {
        while (true) {
            if (i >= end) {
                if (eof && readError == null) {
                    return -1;
                }
                throw NEED_MORE;
            }
            byte c = b[i];
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\n') {
                line++;
                i++;
            } else if (c == '\r') {
                throw bail();
            } else {
                return i;
            }
        }
    }

    private void need(int index) {
        if (index >= end) {
            throw NEED_MORE;
        }
    }

    private int literal(int i, char c0, char c1, char c2, char c3) {
        need(i + 3);
        if (b[i] != c0 || b[i + 1] != c1 || b[i + 2] != c2 || b[i + 3] != c3) {
            throw bail();
        }
        return i + 4; // the caller requires a separator next
    }

    private int number(int i) {
        int s = i;
        need(i);
        if (b[i] == '-') {
            i++;
            need(i);
        }
        int c = b[i];
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            i = digits(i + 1);
        } else {
            throw bail();
        }
        need(i);
        if (b[i] == '.') {
            i++;
            need(i);
            if (b[i] < '0' || b[i] > '9') {
                throw bail();
            }
            i = digits(i + 1);
            need(i);
        }
        if (b[i] == 'e' || b[i] == 'E') {
            i++;
            need(i);
            if (b[i] == '+' || b[i] == '-') {
                i++;
                need(i);
            }
            if (b[i] < '0' || b[i] > '9') {
                throw bail();
            }
            i = digits(i + 1);
        }
        if (i - s > MAX_NUMBER) {
            throw bail();
        }
        return i;
    }

    private int digits(int i) {
        while (true) {
            need(i);
            byte c = b[i];
            if (c < '0' || c > '9') {
                return i;
            }
            i++;
        }
    }

    /**
     * Skips one value at {@code b[i]} (no whitespace before it), validating it; returns the index after it.
     * {@code depth} is that of the enclosing container. Iterative, with the open containers as bits of a long
     * (1 = object), so that the common case runs in one frame with everything in registers.
     */
    private int skip(int i, int depth) {
        final byte[] b = this.b;
        final int end = this.end;
        long stack = 0;
        int level = 0;
        while (true) {
            // A value starts at i.
            if (i >= end) {
                throw NEED_MORE;
            }
            int c = b[i];
            if (c == '"') {
                i = skipString(b, i + 1, end);
            } else if (c == '{' || c == '[') {
                if (depth + level + 1 > MAX_DEPTH || level >= 62) {
                    throw bail();
                }
                level++;
                i++;
                if (i >= end) {
                    throw NEED_MORE;
                }
                int d = b[i];
                if (d <= ' ') {
                    i = ws(i);
                    d = b[i];
                }
                if (c == '{') {
                    stack = (stack << 1) | 1;
                    if (d == '}') {
                        i++;
                        level--;
                        stack >>>= 1;
                    } else {
                        i = member(b, i, end);
                        continue; // the member's value
                    }
                } else {
                    stack <<= 1;
                    if (d == ']') {
                        i++;
                        level--;
                        stack >>>= 1;
                    } else {
                        continue; // the first element
                    }
                }
            } else if (c == 't') {
                i = literal(i, 't', 'r', 'u', 'e');
            } else if (c == 'n') {
                i = literal(i, 'n', 'u', 'l', 'l');
            } else if (c == 'f') {
                need(i + 4);
                if (b[i + 4] != 'e') {
                    throw bail();
                }
                i = literal(i, 'f', 'a', 'l', 's') + 1;
            } else {
                i = number(i);
            }
            // After a value: close containers, or go on to the next member or element.
            while (true) {
                if (level == 0) {
                    return i;
                }
                if (i >= end) {
                    throw NEED_MORE;
                }
                c = b[i];
                if (c <= ' ') {
                    i = ws(i);
                    c = b[i];
                }
                if (c == ',') {
                    i++;
                    if (i >= end) {
                        throw NEED_MORE;
                    }
                    if (b[i] <= ' ') {
                        i = ws(i);
                    }
                    if ((stack & 1) != 0) {
                        i = member(b, i, end);
                    }
                    break; // the next value
                }
                if ((stack & 1) != 0 ? c != '}' : c != ']') {
                    throw bail();
                }
                i++;
                level--;
                stack >>>= 1;
            }
        }
    }

    /** {@code "name"} then ':' at {@code b[i]}; returns the start of the value. */
    private int member(byte[] b, int i, int end) {
        if (b[i] != '"') {
            throw bail();
        }
        int after = skipString(b, i + 1, end);
        if (after - i > MAX_NAME) {
            throw bail();
        }
        i = after;
        if (i >= end) {
            throw NEED_MORE;
        }
        if (b[i] <= ' ') {
            i = ws(i);
        }
        if (b[i] != ':') {
            throw bail();
        }
        i++;
        if (i >= end) {
            throw NEED_MORE;
        }
        if (b[i] <= ' ') {
            i = ws(i);
        }
        return i;
    }

    /** Like {@link #string} without flags: the index after the closing quote of the string starting at {@code i}. */
    private static int skipString(byte[] b, int i, int end) {
        final int start = i;
        while (true) {
            long mask = 0;
            while (i + 8 <= end) {
                long w = (long) LONG.get(b, i);
                long q = w ^ QUOTES;
                long s = w ^ BACKSLASHES;
                mask = (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w) | w) & HIGHS;
                if (mask != 0) {
                    break;
                }
                i += 8;
            }
            if (mask != 0) {
                i += Long.numberOfTrailingZeros(mask) >>> 3;
            } else {
                while (true) {
                    if (i >= end) {
                        throw NEED_MORE;
                    }
                    int c = b[i];
                    if (c == '"' || c == '\\' || c < 0x20) {
                        break;
                    }
                    i++;
                }
            }
            int c = b[i] & 0xFF;
            if (c == '"') {
                if (i - start > MAX_STRING) {
                    throw bail();
                }
                return i + 1;
            }
            if (c == '\\') {
                i = escape(b, i + 1, end);
            } else if (c < 0x20) {
                throw bail();
            } else {
                i = utf8(b, i, c, end);
            }
        }
    }

    /** After a name: whitespace, ':', whitespace; returns the start of the value. */
    private int colon(int i) {
        i = ws(i);
        if (b[i] != ':') {
            throw bail();
        }
        return ws(i + 1);
    }

    private int name(int i) {
        int after = string(i);
        if (after - i > MAX_NAME) {
            throw bail();
        }
        return after;
    }

    /**
     * A string after its opening quote; returns the index after the closing quote and leaves {@link #strFlags}.
     * Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII.
     */
    private int string(int i) {
        final byte[] b = this.b;
        final int end = this.end;
        final int start = i;
        int flags = 0;
        while (true) {
            long mask = 0;
            while (i + 8 <= end) {
                long w = (long) LONG.get(b, i);
                long q = w ^ QUOTES;
                long s = w ^ BACKSLASHES;
                mask = (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w) | w) & HIGHS;
                if (mask != 0) {
                    break;
                }
                i += 8;
            }
            if (mask != 0) {
                i += Long.numberOfTrailingZeros(mask) >>> 3;
            } else {
                while (true) {
                    if (i >= end) {
                        throw NEED_MORE;
                    }
                    int c = b[i];
                    if (c == '"' || c == '\\' || c < 0x20) {
                        break; // c < 0x20 includes every non-ASCII byte (negative)
                    }
                    i++;
                }
            }
            int c = b[i] & 0xFF;
            if (c == '"') {
                if (i - start > MAX_STRING) {
                    throw bail();
                }
                strFlags = flags;
                return i + 1;
            }
            if (c == '\\') {
                flags |= ESCAPED;
                i = escape(i + 1);
            } else if (c < 0x20) {
                throw bail(); // raw control character: invalid JSON
            } else {
                flags |= NON_ASCII;
                i = utf8(i, c);
            }
        }
    }

    private int escape(int i) {
        return escape(b, i, end);
    }

    private static int escape(byte[] b, int i, int end) {
        if (i >= end) {
            throw NEED_MORE;
        }
        switch (b[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 1;
            }
            case 'u' -> {
                if (i + 4 >= end) {
                    throw NEED_MORE;
                }
                for (int k = 1; k <= 4; k++) {
                    int h = b[i + k];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
                        throw bail();
                    }
                }
                return i + 5;
            }
            default -> throw bail();
        }
    }

    /** Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF): Jackson accepts all of it. */
    private int utf8(int i, int c) {
        return utf8(b, i, c, end);
    }

    private static int utf8(byte[] b, int i, int c, int end) {
        if (c < 0xC2) {
            throw bail();
        }
        int n = c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF5 ? 3 : -1;
        if (n < 0) {
            throw bail();
        }
        if (i + n >= end) {
            throw NEED_MORE;
        }
        int c1 = b[i + 1] & 0xFF;
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
            throw bail();
        }
        for (int k = 1; k <= n; k++) {
            continuation(b[i + k]);
        }
        return i + n + 1;
    }

    private static void continuation(int c) {
        if ((c & 0xC0) != 0x80) {
            throw bail();
        }
    }

    // ---- one record -------------------------------------------------------------------------------------------

    /** A record at {@code b[i] == '{'} (depth 3: root object, Records array, record). */
    private int record(int i) {
        final int depth = 3;
        mustDelegate = false;
        maybeProblem = false;
        requestUncertain = false;
        requestCount = 0;
        userCount = 0;
        timeKind = sourceKind = nameKind = idKind = versionKind = bucketKind = keyKind = categoryKind = typeKind = ABSENT;
        i = ws(i + 1);
        if (b[i] == '}') {
            mustDelegate = true; // no eventSource nor eventName: malformed, Jackson says so
            return i + 1;
        }
        while (true) {
            if (b[i] != '"') {
                throw bail();
            }
            int ks = i + 1;
            i = name(ks);
            int kflags = strFlags;
            int key = kflags == 0 ? topKey(ks, i - 1 - ks) : (kflags & ESCAPED) != 0 ? K_CONTAINER : K_OTHER;
            i = colon(i);
            switch (key) {
                case K_OTHER -> i = skip(i, depth);
                case K_TIME -> {
                    i = trackedString(i, depth);
                    timeKind = lastKind;
                    timeS = lastS;
                    timeLen = lastLen;
                }
                case K_SOURCE -> {
                    i = trackedString(i, depth);
                    sourceKind = lastKind;
                    sourceS = lastS;
                    sourceLen = lastLen;
                }
                case K_NAME -> {
                    i = trackedString(i, depth);
                    nameKind = lastKind;
                    nameS = lastS;
                    nameLen = lastLen;
                }
                case K_ID -> {
                    i = trackedString(i, depth);
                    idKind = lastKind;
                    idS = lastS;
                    idLen = lastLen;
                }
                case K_VERSION -> {
                    i = trackedString(i, depth);
                    versionKind = lastKind;
                    versionS = lastS;
                    versionLen = lastLen;
                }
                case K_STRING -> i = trackedString(i, depth);
                case K_CATEGORY -> {
                    i = trackedString(i, depth);
                    categoryKind = lastKind;
                    categoryS = lastS;
                    categoryLen = lastLen;
                }
                case K_TYPE -> {
                    i = trackedString(i, depth);
                    typeKind = lastKind;
                    typeS = lastS;
                    typeLen = lastLen;
                }
                case K_USER -> {
                    userCount++;
                    userS = i;
                    i = skip(i, depth);
                }
                case K_REQUEST -> {
                    requestCount++;
                    requestS = i;
                    i = skip(i, depth);
                }
                default -> {
                    // Records, Events, detail, body, CloudTrailEvent, Message, insightDetails, or an escaped key that may be one.
                    mustDelegate = true;
                    i = skip(i, depth);
                }
            }
            i = ws(i);
            byte c = b[i];
            if (c == ',') {
                i = ws(i + 1);
            } else if (c == '}') {
                return i + 1;
            } else {
                throw bail();
            }
        }
    }

    /**
     * A field the Jackson path reads as a string: leaves {@link #lastKind} and the range. Any other type but null is a
     * "problem" there (the record is malformed if it matters).
     */
    private int trackedString(int i, int depth) {
        byte c = b[i];
        if (c == '"') {
            int s = i + 1;
            i = string(s);
            lastS = s;
            lastLen = i - 1 - s;
            lastKind = strFlags == 0 ? STR : (strFlags & ESCAPED) != 0 ? STR_ESCAPED : STR_NON_ASCII;
            return i;
        }
        if (c == 'n') {
            lastKind = ABSENT;
            return literal(i, 'n', 'u', 'l', 'l');
        }
        lastKind = NOT_STRING;
        maybeProblem = true;
        return skip(i, depth);
    }

    /** A string-or-null field of userIdentity: anything else is a problem for the Jackson path. */
    private int checkedString(int i, int depth) {
        byte c = b[i];
        if (c == '"') {
            return string(i + 1);
        }
        if (c == 'n') {
            return literal(i, 'n', 'u', 'l', 'l');
        }
        maybeProblem = true;
        return skip(i, depth);
    }

    private int userIdentity(int i, int depth) {
        byte c = b[i];
        if (c == 'n') {
            return literal(i, 'n', 'u', 'l', 'l');
        }
        if (c != '{') {
            maybeProblem = true;
            return skip(i, depth);
        }
        int d = depth + 1;
        i = ws(i + 1);
        if (b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (b[i] != '"') {
                throw bail();
            }
            int ks = i + 1;
            i = name(ks);
            int len = i - 1 - ks;
            boolean escaped = (strFlags & ESCAPED) != 0;
            i = colon(i);
            if (escaped) {
                maybeProblem = true;
                i = skip(i, d);
            } else if (isIdentityString(ks, len)) {
                i = checkedString(i, d);
            } else if (len == 14 && is(ks, W_SESSION_CONTEXT) && b[i] == '{') {
                i = sessionContext(i, d);
            } else {
                i = skip(i, d);
            }
            i = ws(i);
            c = b[i];
            if (c == ',') {
                i = ws(i + 1);
            } else if (c == '}') {
                return i + 1;
            } else {
                throw bail();
            }
        }
    }

    private boolean isIdentityString(int s, int len) {
        return switch (len) {
            case 3 -> is(s, W_ARN);
            case 4 -> is(s, W_TYPE);
            case 8 -> is(s, W_USER_NAME);
            case 9 -> is(s, W_ACCOUNT_ID) || is(s, W_INVOKED_BY);
            case 11 -> is(s, W_PRINCIPAL_ID) || is(s, W_ACCESS_KEY_ID);
            case 16 -> is(s, W_IDENTITY_PROVIDER);
            default -> false;
        };
    }

    /** {@code sessionContext}: only {@code sessionIssuer.arn} and {@code webIdFederationData.federatedProvider} are read. */
    private int sessionContext(int i, int depth) {
        int d = depth + 1;
        if (d > MAX_DEPTH) {
            throw bail();
        }
        i = ws(i + 1);
        if (b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (b[i] != '"') {
                throw bail();
            }
            int ks = i + 1;
            i = name(ks);
            int len = i - 1 - ks;
            boolean escaped = (strFlags & ESCAPED) != 0;
            i = colon(i);
            if (escaped) {
                maybeProblem = true;
                i = skip(i, d);
            } else if (b[i] == '{' && len == 13 && is(ks, W_SESSION_ISSUER)) {
                i = section(i, d, W_ARN);
            } else if (b[i] == '{' && len == 19 && is(ks, W_WEB_ID_FEDERATION_DATA)) {
                i = section(i, d, W_FEDERATED_PROVIDER);
            } else {
                i = skip(i, d);
            }
            i = ws(i);
            byte c = b[i];
            if (c == ',') {
                i = ws(i + 1);
            } else if (c == '}') {
                return i + 1;
            } else {
                throw bail();
            }
        }
    }

    private int section(int i, int depth, Word field) {
        int d = depth + 1;
        if (d > MAX_DEPTH) {
            throw bail();
        }
        i = ws(i + 1);
        if (b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (b[i] != '"') {
                throw bail();
            }
            int ks = i + 1;
            i = name(ks);
            int len = i - 1 - ks;
            boolean escaped = (strFlags & ESCAPED) != 0;
            i = colon(i);
            if (escaped) {
                maybeProblem = true;
                i = skip(i, d);
            } else if (len == field.length && is(ks, field)) {
                i = checkedString(i, d);
            } else {
                i = skip(i, d);
            }
            i = ws(i);
            byte c = b[i];
            if (c == ',') {
                i = ws(i + 1);
            } else if (c == '}') {
                return i + 1;
            } else {
                throw bail();
            }
        }
    }

    /** {@code requestParameters}: keeps {@code bucketName} and {@code key} as the tree the Jackson path builds would. */
    private int requestParameters(int i, int depth) {
        byte c = b[i];
        if (c == 'n') {
            return literal(i, 'n', 'u', 'l', 'l');
        }
        if (c != '{') {
            requestUncertain = true;
            return skip(i, depth);
        }
        int d = depth + 1;
        i = ws(i + 1);
        if (b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (b[i] != '"') {
                throw bail();
            }
            int ks = i + 1;
            i = name(ks);
            int len = i - 1 - ks;
            boolean escaped = (strFlags & ESCAPED) != 0;
            i = colon(i);
            if (escaped) {
                requestUncertain = true;
                i = skip(i, d);
            } else if (len == 10 && is(ks, W_BUCKET_NAME)) {
                i = plainValue(i, d);
                bucketKind = lastKind;
                bucketS = lastS;
                bucketLen = lastLen;
            } else if (len == 3 && is(ks, W_KEY)) {
                i = plainValue(i, d);
                keyKind = lastKind;
                keyS = lastS;
                keyLen = lastLen;
            } else {
                i = skip(i, d);
            }
            i = ws(i);
            c = b[i];
            if (c == ',') {
                i = ws(i + 1);
            } else if (c == '}') {
                return i + 1;
            } else {
                throw bail();
            }
        }
    }

    /** A tree value read with {@code text()}: a string, or anything else (which reads as null). */
    private int plainValue(int i, int depth) {
        if (b[i] == '"') {
            int s = i + 1;
            i = string(s);
            lastS = s;
            lastLen = i - 1 - s;
            lastKind = strFlags == 0 ? STR : (strFlags & ESCAPED) != 0 ? STR_ESCAPED : STR_NON_ASCII;
            return i;
        }
        lastKind = NOT_STRING;
        return skip(i, depth);
    }

    private int topKey(int s, int len) {
        switch (len) {
            case 4:
                return is(s, W_BODY) ? K_CONTAINER : K_OTHER;
            case 6:
                return is(s, W_EVENTS) || is(s, W_DETAIL) ? K_CONTAINER : K_OTHER;
            case 7:
                if (is(s, W_EVENT_ID)) {
                    return K_ID;
                }
                return is(s, W_RECORDS) || is(s, W_MESSAGE) ? K_CONTAINER : K_OTHER;
            case 9:
                if (b[s] == 'e' && b[s + 1] == 'v') {
                    return is(s, W_EVENT_TIME) ? K_TIME : is(s, W_EVENT_NAME) ? K_NAME : is(s, W_EVENT_TYPE) ? K_TYPE : K_OTHER;
                }
                return is(s, W_AWS_REGION) || is(s, W_USER_AGENT) || is(s, W_ERROR_CODE) ? K_STRING : K_OTHER;
            case 11:
                return is(s, W_EVENT_SOURCE) ? K_SOURCE : K_OTHER;
            case 12:
                if (is(s, W_USER_IDENTITY)) {
                    return K_USER;
                }
                if (is(s, W_EVENT_VERSION)) {
                    return K_VERSION;
                }
                return is(s, W_ERROR_MESSAGE) ? K_STRING : K_OTHER;
            case 13:
                return is(s, W_SHARED_EVENT_ID) ? K_STRING : is(s, W_EVENT_CATEGORY) ? K_CATEGORY : K_OTHER;
            case 14:
                // Only Insights records have it: the Jackson path skips them.
                return is(s, W_INSIGHT_DETAILS) ? K_CONTAINER : K_OTHER;
            case 15:
                if (is(s, W_SOURCE_IPADDRESS)) {
                    return K_STRING;
                }
                return is(s, W_CLOUD_TRAIL_EVENT) ? K_CONTAINER : K_OTHER;
            case 17:
                return is(s, W_REQUEST_PARAMETERS) ? K_REQUEST : K_OTHER;
            case 18:
                return is(s, W_RECIPIENT_ACCOUNT_ID) ? K_STRING : K_OTHER;
            default:
                return K_OTHER;
        }
    }

    /** A name to compare with bytes, as little-endian words (the last one masked to the name's length). */
    static final class Word {
        final int length;
        final long[] words;
        final long lastMask;

        Word(String text) {
            byte[] t = text.getBytes(StandardCharsets.US_ASCII);
            length = t.length;
            if (length == 0 || length > SLACK) {
                throw new IllegalArgumentException(text);
            }
            int n = (length + 7) / 8;
            byte[] padded = java.util.Arrays.copyOf(t, n * 8);
            words = new long[n];
            for (int k = 0; k < n; k++) {
                words[k] = (long) LONG.get(padded, 8 * k);
            }
            int tail = length - 8 * (n - 1);
            lastMask = tail == 8 ? -1L : (1L << (8 * tail)) - 1;
        }
    }

    private static final Word W_ACCESS_KEY_ID = new Word("accessKeyId");
    private static final Word W_ACCOUNT_ID = new Word("accountId");
    private static final Word W_ARN = new Word("arn");
    private static final Word W_ASSUME_ROLE = new Word("AssumeRole");
    private static final Word W_ASSUME_ROLE_WITH_SAML = new Word("AssumeRoleWithSAML");
    private static final Word W_ASSUME_ROLE_WITH_WEB_IDENTITY = new Word("AssumeRoleWithWebIdentity");
    private static final Word W_AWS_REGION = new Word("awsRegion");
    private static final Word W_BODY = new Word("body");
    private static final Word W_BUCKET_NAME = new Word("bucketName");
    private static final Word W_CLOUD_TRAIL_EVENT = new Word("CloudTrailEvent");
    private static final Word W_COMPLETE_MULTIPART_UPLOAD = new Word("CompleteMultipartUpload");
    private static final Word W_COPY_OBJECT = new Word("CopyObject");
    private static final Word W_CREATE_ROLE = new Word("CreateRole");
    private static final Word W_DELETE_ITEM = new Word("DeleteItem");
    private static final Word W_DELETE_OBJECT = new Word("DeleteObject");
    private static final Word W_DELETE_OBJECTS = new Word("DeleteObjects");
    private static final Word W_DETAIL = new Word("detail");
    private static final Word W_DYNAMODB_AMAZONAWS_COM = new Word("dynamodb.amazonaws.com");
    private static final Word W_ERROR_CODE = new Word("errorCode");
    private static final Word W_ERROR_MESSAGE = new Word("errorMessage");
    private static final Word W_EVENTS = new Word("Events");
    private static final Word W_EVENT_CATEGORY = new Word("eventCategory");
    private static final Word W_EVENT_ID = new Word("eventID");
    private static final Word W_EVENT_NAME = new Word("eventName");
    private static final Word W_EVENT_SOURCE = new Word("eventSource");
    private static final Word W_EVENT_TIME = new Word("eventTime");
    private static final Word W_EVENT_TYPE = new Word("eventType");
    private static final Word W_INSIGHT_DETAILS = new Word("insightDetails");
    private static final Word W_MANAGEMENT = new Word("Management");
    private static final Word W_DATA = new Word("Data");
    private static final Word W_AWS_VPCE_EVENT = new Word("AwsVpceEvent");
    private static final Word W_AWS_CLOUD_TRAIL_INSIGHT = new Word("AwsCloudTrailInsight");
    private static final Word W_EVENT_VERSION = new Word("eventVersion");
    private static final Word W_FEDERATED_PROVIDER = new Word("federatedProvider");
    private static final Word W_GET_OBJECT = new Word("GetObject");
    private static final Word W_IAM_AMAZONAWS_COM = new Word("iam.amazonaws.com");
    private static final Word W_KMS_AMAZONAWS_COM = new Word("kms.amazonaws.com");
    /** The store's own calls (issue 19), as {@link StoreRecords#mayMatter} lists them. */
    private static final Word[] W_STORE_S3 = words(StoreRecords.S3_BUCKET);
    private static final Word[] W_STORE_DYNAMODB = words(StoreRecords.DYNAMODB_TABLE);
    private static final Word[] W_STORE_KMS = words(StoreRecords.KMS);

    private static Word[] words(java.util.Set<String> names) {
        return names.stream().sorted().map(Word::new).toArray(Word[]::new);
    }

    private boolean equalAny(int s, int len, Word[] words) {
        for (Word w : words) {
            if (equal(s, len, w)) {
                return true;
            }
        }
        return false;
    }
    private static final Word W_IDENTITY_PROVIDER = new Word("identityProvider");
    private static final Word W_INVOKED_BY = new Word("invokedBy");
    private static final Word W_KEY = new Word("key");
    private static final Word W_MESSAGE = new Word("Message");
    private static final Word W_PRINCIPAL_ID = new Word("principalId");
    private static final Word W_PUT_ITEM = new Word("PutItem");
    private static final Word W_UPDATE_ITEM = new Word("UpdateItem");
    private static final Word W_BATCH_WRITE_ITEM = new Word("BatchWriteItem");
    private static final Word W_TRANSACT_WRITE_ITEMS = new Word("TransactWriteItems");
    private static final Word W_EXECUTE_STATEMENT = new Word("ExecuteStatement");
    private static final Word W_BATCH_EXECUTE_STATEMENT = new Word("BatchExecuteStatement");
    private static final Word W_PUT_OBJECT = new Word("PutObject");
    private static final Word W_RECIPIENT_ACCOUNT_ID = new Word("recipientAccountId");
    private static final Word W_RECORDS = new Word("Records");
    private static final Word W_REQUEST_PARAMETERS = new Word("requestParameters");
    private static final Word W_S3_AMAZONAWS_COM = new Word("s3.amazonaws.com");
    private static final Word W_SESSION_CONTEXT = new Word("sessionContext");
    private static final Word W_SESSION_ISSUER = new Word("sessionIssuer");
    private static final Word W_SHARED_EVENT_ID = new Word("sharedEventID");
    private static final Word W_SOURCE_IPADDRESS = new Word("sourceIPAddress");
    private static final Word W_STS_AMAZONAWS_COM = new Word("sts.amazonaws.com");
    private static final Word W_TYPE = new Word("type");
    private static final Word W_UPDATE_ASSUME_ROLE_POLICY = new Word("UpdateAssumeRolePolicy");
    private static final Word W_USER_AGENT = new Word("userAgent");
    private static final Word W_USER_IDENTITY = new Word("userIdentity");
    private static final Word W_USER_NAME = new Word("userName");
    private static final Word W_WEB_ID_FEDERATION_DATA = new Word("webIdFederationData");

    /** Whether the bytes at {@code s} spell {@code w} (the caller checked the length; the window has slack after it). */
    private boolean is(int s, Word w) {
        final byte[] b = this.b;
        final long[] words = w.words;
        int last = words.length - 1;
        for (int k = 0; k < last; k++) {
            if ((long) LONG.get(b, s + 8 * k) != words[k]) {
                return false;
            }
        }
        return ((long) LONG.get(b, s + 8 * last) & w.lastMask) == words[last];
    }

    private boolean equal(int s, int len, Word w) {
        return len == w.length && is(s, w);
    }

    // ---- the decision -----------------------------------------------------------------------------------------

    private void decide(int start, int after, long recordLine) {
        if (!mustDelegate && mayBeSkipped()) {
            mustDelegate = true;
        }
        if (!mustDelegate && sourceKind != STR_ESCAPED && nameKind != STR_ESCAPED && timeKind != STR_ESCAPED
                && sourceKind != ABSENT && sourceKind != NOT_STRING && nameKind != ABSENT && nameKind != NOT_STRING
                && !mayMatter()) {
            irrelevant();
            return;
        }
        if (!mustDelegate && timeKind == STR && sourceKind == STR && nameKind == STR && s3Irrelevant()) {
            irrelevant();
            return;
        }
        delegate(start, after, recordLine);
    }

    /**
     * Whether {@link RecordClassifier#skipped} may say Insight or NetworkActivity: an {@code eventCategory} other than
     * Management or Data, or an {@code eventType} that names them (or text this path does not decode). Such records go to
     * the Jackson path, which counts them as skipped.
     */
    private boolean mayBeSkipped() {
        boolean category = categoryKind == STR_ESCAPED || categoryKind == STR_NON_ASCII
                || (categoryKind == STR && !equal(categoryS, categoryLen, W_MANAGEMENT) && !equal(categoryS, categoryLen, W_DATA));
        boolean type = typeKind == STR_ESCAPED || typeKind == STR_NON_ASCII
                || (typeKind == STR && (equal(typeS, typeLen, W_AWS_VPCE_EVENT) || equal(typeS, typeLen, W_AWS_CLOUD_TRAIL_INSIGHT)));
        return category || type;
    }

    /** {@link RecordClassifier#mayMatter} on the bytes: false only for a source or name no classifier rule reads. */
    private boolean mayMatter() {
        if (sourceKind != STR || nameKind != STR) {
            return false; // non-ASCII text equals none of the ASCII names below
        }
        int s = sourceS, len = sourceLen, n = nameS, nl = nameLen;
        return switch (sourceId(s, len)) {
            case SRC_STS -> equal(n, nl, W_ASSUME_ROLE_WITH_WEB_IDENTITY) || equal(n, nl, W_ASSUME_ROLE) || equal(n, nl, W_ASSUME_ROLE_WITH_SAML);
            case SRC_S3 -> equal(n, nl, W_GET_OBJECT) || equal(n, nl, W_PUT_OBJECT) || equal(n, nl, W_COPY_OBJECT)
                    || equal(n, nl, W_COMPLETE_MULTIPART_UPLOAD) || equal(n, nl, W_DELETE_OBJECT) || equal(n, nl, W_DELETE_OBJECTS)
                    || equalAny(n, nl, W_STORE_S3);
            case SRC_DYNAMODB -> equal(n, nl, W_PUT_ITEM) || equal(n, nl, W_DELETE_ITEM) || equal(n, nl, W_UPDATE_ITEM)
                    || equal(n, nl, W_BATCH_WRITE_ITEM) || equal(n, nl, W_TRANSACT_WRITE_ITEMS) || equal(n, nl, W_EXECUTE_STATEMENT)
                    || equal(n, nl, W_BATCH_EXECUTE_STATEMENT) || equalAny(n, nl, W_STORE_DYNAMODB);
            case SRC_IAM -> equal(n, nl, W_CREATE_ROLE) || equal(n, nl, W_UPDATE_ASSUME_ROLE_POLICY);
            case SRC_KMS -> equalAny(n, nl, W_STORE_KMS);
            default -> false;
        };
    }

    private int sourceId(int s, int len) {
        return switch (len) {
            case 16 -> is(s, W_S3_AMAZONAWS_COM) ? SRC_S3 : SRC_OTHER;
            case 17 -> is(s, W_STS_AMAZONAWS_COM) ? SRC_STS : is(s, W_IAM_AMAZONAWS_COM) ? SRC_IAM
                    : is(s, W_KMS_AMAZONAWS_COM) ? SRC_KMS : SRC_OTHER;
            case 22 -> is(s, W_DYNAMODB_AMAZONAWS_COM) ? SRC_DYNAMODB : SRC_OTHER;
            default -> SRC_OTHER;
        };
    }

    /**
     * An S3 GetObject or PutObject that the classifier would read without complaint and find to touch no state and
     * no lock (a GetObject of a lock is not an event either).
     */
    private boolean s3Irrelevant() {
        if (maybeProblem || userCount > 1 || requestCount > 1 || sourceId(sourceS, sourceLen) != SRC_S3) {
            return false;
        }
        boolean get = equal(nameS, nameLen, W_GET_OBJECT);
        if (!get && !equal(nameS, nameLen, W_PUT_OBJECT)) {
            return false;
        }
        if (versionKind != ABSENT && !(versionKind == STR && versionLen >= 2 && b[versionS] == '1' && b[versionS + 1] == '.')) {
            return false;
        }
        if (idKind != STR || blank(idS, idLen) || !plainUtc(b, timeS, timeLen)) {
            return false;
        }
        // Only now look into userIdentity and requestParameters (already validated) as the Jackson path reads them.
        long savedLine = line;
        try {
            if (userCount == 1) {
                userIdentity(userS, 3);
            }
            if (requestCount == 1) {
                requestParameters(requestS, 3);
            }
        } finally {
            line = savedLine;
        }
        if (maybeProblem || requestUncertain) {
            return false;
        }
        String bucket = treeText(bucketKind, bucketS, bucketLen);
        String key = treeText(keyKind, keyS, keyLen);
        if (bucket == null || key == null) {
            // Escaped or non-ASCII text (Jackson decodes it), or no bucket or key: the classifier then reads the object
            // from the resources' AWS::S3::Object ARN.
            return false;
        }
        StateObjects.Classified c = stateObjects.classifyObject(bucket, key);
        return switch (c.kind()) {
            case NONE -> true;
            case LOCK -> get;
            case STATE -> false;
        };
    }

    /** {@code RecordClassifier.text}: non-empty text or null; null too for text this path will not decode. */
    private String treeText(int kind, int s, int len) {
        return kind == STR && len > 0 ? new String(b, s, len, StandardCharsets.ISO_8859_1) : null;
    }

    private boolean blank(int s, int len) {
        for (int k = 0; k < len; k++) {
            if (b[s + k] != ' ') {
                return false; // no escapes and no control characters: a space is the only whitespace left
            }
        }
        return true;
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SSZ} with a real date and time of day: {@link java.time.Instant#parse} accepts every
     * such text (it accepts more; anything else goes to the classifier itself).
     */
    static boolean plainUtc(byte[] b, int s, int len) {
        if (len != 20 || b[s + 4] != '-' || b[s + 7] != '-' || b[s + 10] != 'T' || b[s + 13] != ':' || b[s + 16] != ':'
                || b[s + 19] != 'Z') {
            return false;
        }
        int year = num(b, s, 4), month = num(b, s + 5, 2), day = num(b, s + 8, 2);
        int hour = num(b, s + 11, 2), minute = num(b, s + 14, 2), second = num(b, s + 17, 2);
        if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return false;
        }
        int days = switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= days;
    }

    private static int num(byte[] b, int s, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            int d = b[s + k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private void irrelevant() {
        if (timeKind == STR) {
            sink.eventTime(new String(b, timeS, timeLen, StandardCharsets.ISO_8859_1));
        } else if (timeKind == STR_NON_ASCII) {
            sink.eventTime(new String(b, timeS, timeLen, StandardCharsets.UTF_8));
        }
        sink.irrelevant();
    }

    /** The record through the Jackson path, on its bytes alone, with its line in the file. */
    private void delegate(int start, int after, long recordLine) {
        try (JsonParser p = reader.factory.createParser(b, start, after - start)) {
            reader.value(p, p.nextToken(), new RecordReader.Context(source, recordLine - 1, sink));
        } catch (IOException | RuntimeException e) {
            // Cannot happen for bytes this scanner accepted; if it does, the Jackson path takes the file over.
            throw bail();
        }
    }
}
