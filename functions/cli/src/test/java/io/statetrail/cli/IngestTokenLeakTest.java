package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.replay.Replay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, session tokens, CLI side: {@code ./statetrail ingest events/} keeps malformed records aside in
 * {@code DIR/malformed.jsonl} and writes a function log; no {@code sessionToken} value of the samples appears in the
 * kept-aside file, the function log, stdout/stderr, nor in any byte of the data folder (DynamoDB Local's files).
 */
class IngestTokenLeakTest {

    @TempDir
    Path data;

    @Test
    void ingestingTheSamples_leavesNoSessionTokenAnywhere() throws Exception {
        TreeSet<String> tokens = tokens();
        assertTrue(tokens.size() >= 5, "the samples hold tokens: " + tokens.size());

        QueryCommandTest.Result r = QueryCommandTest.run("ingest", "--data-dir", data.toString(), "--policy",
                QueryCommandTest.EVENTS.resolve("policy.yaml").toString(), QueryCommandTest.EVENTS.toString());
        assertEquals(0, r.exit(), r.err());

        Path aside = data.resolve("malformed.jsonl");
        assertTrue(Files.exists(aside), "malformed records were kept aside");
        String asideText = Files.readString(aside);
        assertFalse(asideText.isBlank());

        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        long bytes = 0;
        for (String token : tokens) {
            for (String piece : List.of(token, token.substring(16, Math.min(token.length(), 40)))) {
                assertFalse(r.out().contains(piece), "token on stdout");
                assertFalse(r.err().contains(piece), "token on stderr");
                for (Path f : files) {
                    byte[] content = Files.readAllBytes(f);
                    assertFalse(contains(content, piece.getBytes(StandardCharsets.UTF_8)), "token in " + data.relativize(f));
                }
            }
        }
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("statetrail ingest: %d tokens checked in %d files (%d bytes) of the data folder, malformed.jsonl %d chars%n",
                tokens.size(), files.size(), bytes, asideText.length());
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static TreeSet<String> tokens() {
        Pattern token = Pattern.compile("\\\\?\"sessionToken\\\\?\"\\s*:\\s*\\\\?\"([^\"\\\\]+)");
        TreeSet<String> out = new TreeSet<>();
        for (Path f : Replay.files(List.of(QueryCommandTest.EVENTS))) {
            try (InputStream in = io.statetrail.core.cloudtrail.RecordReader.open(f)) {
                Matcher m = token.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    out.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
