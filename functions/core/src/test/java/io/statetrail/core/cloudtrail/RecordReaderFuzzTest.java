package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.TrailEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statetrail.core.fixture.Quickly;
import io.statetrail.core.fixture.Acme;
import io.statetrail.core.terraform.StateObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any bytes, read as a file: the reader reports what it cannot read and never throws. Seeds in
 * {@code src/test/resources/io/statetrail/core/record/RecordReaderFuzzTestInputs/}; see docs/testing.md to fuzz longer.
 */
class RecordReaderFuzzTest {

    private static final RecordClassifier CLASSIFIER = new RecordClassifier(new StateObjects(Acme.POLICY));
    private static final RecordReader READER = new RecordReader(CLASSIFIER);
    private static final RecordReader FAST = new RecordReader(CLASSIFIER, true);
    private static final RecordReader JACKSON = new RecordReader(CLASSIFIER, false);
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("statetrail-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** The first byte picks the file name (plain, JSON Lines or gzip); the rest is the content. */
    @FuzzTest
    void anyFileIsReadOrReportedNeverThrown(byte[] data) {
        Quickly.run(() -> check(data));
    }

    private static void check(byte[] data) {
        Path file = write(data);

        READER.readFile(file, new RecordSink() {
            @Override
            public void relevant(String source, long line, List<TrailEvent> events) {
                assertEquals(file.toString(), source);
                assertTrue(line >= 0);
                assertTrue(!events.isEmpty());
                for (TrailEvent e : events) {
                    assertNotNull(e.meta().time());
                    assertNotNull(e.meta().eventId());
                    assertNotNull(e.meta().actor());
                    assertNotNull(e.meta().callKey());
                    assertNotNull(e.kind());
                }
            }

            @Override
            public void irrelevant() {
            }

            @Override
            public void malformed(Malformed m) {
                assertEquals(file.toString(), m.source());
                assertTrue(m.line() >= 0);
                assertNotNull(m.reason());
                assertTrue(m.excerpt() == null || m.excerpt().length() <= 201 + 1);
            }
        });
    }

    /**
     * The log-file fast path ({@code LogFileScanner}) promises exactly the sink calls of the Jackson path, in the same
     * order. Same input convention as above.
     */
    @FuzzTest
    void fastPathMakesTheSameCallsAsTheJacksonPath(byte[] data) {
        Quickly.run(() -> {
            Path file = write(data);
            assertEquals(calls(JACKSON, file), calls(FAST, file));
        });
    }

    private static Path write(byte[] data) {
        String name = data.length == 0 ? "empty.json" : switch (data[0] & 3) {
            case 0 -> "records.jsonl";
            case 1 -> "records.json.gz";
            default -> "records.json";
        };
        Path file = dir.resolve(name);
        try {
            Files.write(file, data.length == 0 ? data : java.util.Arrays.copyOfRange(data, 1, data.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Every call the reader makes on its sink, in order, as text. */
    private static List<String> calls(RecordReader reader, Path file) {
        List<String> calls = new java.util.ArrayList<>();
        reader.readFile(file, new RecordSink() {
            @Override
            public void relevant(String source, long line, List<TrailEvent> events) {
                calls.add("relevant " + source + ":" + line + " " + events);
            }

            @Override
            public void irrelevant() {
                calls.add("irrelevant");
            }

            @Override
            public void malformed(Malformed m) {
                calls.add("malformed " + m);
            }

            @Override
            public void eventTime(String raw) {
                calls.add("eventTime " + raw);
            }
        });
        return calls;
    }
}
