package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, first hour: a missing policy says it does not exist and where to start from; nothing to read is an error,
 * not a run over no files "now 1970-01-01"; a command that falls back to the samples' policy says so.
 */
class MessagesTest {

    static final Path POLICY = QueryCommandTest.EVENTS.resolve("policy.yaml");

    @Test
    void aMissingPolicySaysItDoesNotExistAndPointsAtAnExample() {
        QueryCommandTest.Result r = QueryCommandTest.run("replay", "--policy", "polcy.yaml", QueryCommandTest.EVENTS.toString());
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("no policy file polcy.yaml"), r.err());
        assertTrue(r.err().contains("events/policy.yaml") && r.err().contains("docs/configuration.md"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anEmptyFolderIsNothingToReplayNotARunAtTheEpoch(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not events");
        for (String[] args : new String[][] {{"replay", "--policy", POLICY.toString(), dir.toString()},
                {"ingest", "--policy", POLICY.toString(), "--data-dir", dir.resolve("data").toString(), dir.toString()}}) {
            QueryCommandTest.Result r = QueryCommandTest.run(args);
            assertEquals(Main.EXIT_USAGE, r.exit(), args[0] + ": " + r.err());
            assertTrue(r.err().contains("no CloudTrail files in " + dir), r.err());
            assertFalse(r.err().contains("1970"), r.err());
        }
        assertFalse(Files.exists(dir.resolve("data")), "ingest made no table for nothing");
    }

    @Test
    void filesWithoutRecordsAreWarnedAboutAndNoEpochIsPrinted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("111111111111_CloudTrail_eu-west-1_20261118T0605Z_empty.json"), "{\"Records\":[]}");
        QueryCommandTest.Result r = QueryCommandTest.run("replay", "--policy", POLICY.toString(), dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("(no eventTime read)"), r.err());
        assertTrue(r.err().contains("warning: no CloudTrail record in 1 file"), r.err());
        assertFalse(r.err().contains("1970"), r.err());
    }

    @Test
    void theFallbackPolicyIsNamed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertNotNull(LocalCommands.policy("ingest", null, POLICY, err));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no --policy given: using " + POLICY), bytes.toString(StandardCharsets.UTF_8));

        bytes.reset();
        assertNull(LocalCommands.policy("sweep", null, Path.of("no/such/policy.yaml"), err));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no --policy given and no no/such/policy.yaml here"));

        bytes.reset();
        assertNotNull(LocalCommands.policy("sweep", POLICY, Path.of("no/such/policy.yaml"), err));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "a policy given is not announced");
    }
}
