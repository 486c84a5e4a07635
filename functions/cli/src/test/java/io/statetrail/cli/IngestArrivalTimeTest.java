package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --now T} replays history with realistic delivery times: an unlocked write ingested a minute after it
 * happened is not paged yet (its lock acquisition could still arrive); the sweep once the settle window has passed pages
 * it; an arrival time that is not a time is refused with the documented exit code.
 */
class IngestArrivalTimeTest {

    @TempDir
    Path data;

    @Test
    void aProvisionalFindingPagesOnlyWhenTheArrivalClockHasPassedItsSettleWindow() throws Exception {
        Path scenario = QueryCommandTest.EVENTS.resolve("scenarios/apply-without-lock");
        String policy = QueryCommandTest.EVENTS.resolve("policy.yaml").toString();
        // The run's latest evidence is at 10:02:57Z (events/scenarios/apply-without-lock).
        QueryCommandTest.Result ingest = QueryCommandTest.run("ingest", "--data-dir", data.toString(), "--policy", policy,
                "--now", "2026-11-12T10:04:00Z", scenario.toString());
        assertEquals(0, ingest.exit(), ingest.err());
        assertTrue(ingest.out().contains("\"type\":\"unlocked-state-write\""), "stored at once: " + ingest.out());
        Path alerts = data.resolve("alerts.jsonl");
        assertFalse(Files.exists(alerts) && !Files.readString(alerts).isBlank(), "not paged before its evidence settled");

        QueryCommandTest.Result early = QueryCommandTest.run("sweep", "--data-dir", data.toString(), "--policy", policy,
                "--now", "2026-11-12T10:12:00Z");
        assertEquals(0, early.exit(), early.err());
        assertFalse(Files.exists(alerts) && !Files.readString(alerts).isBlank(), "still within the window");

        QueryCommandTest.Result due = QueryCommandTest.run("sweep", "--data-dir", data.toString(), "--policy", policy,
                "--now", "2026-11-12T10:18:00Z");
        assertEquals(0, due.exit(), due.err());
        List<String> lines = Files.readAllLines(alerts);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("\"type\":\"unlocked-state-write\"") && lines.get(0).contains("\"provisional\":true"), lines.get(0));
    }

    @Test
    void anArrivalTimeThatIsNotATimeIsAUsageError() {
        QueryCommandTest.Result r = QueryCommandTest.run("ingest", "--data-dir", data.toString(), "--now", "yesterday",
                QueryCommandTest.EVENTS.resolve("scenarios/apply-without-lock").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--now 'yesterday' is not an ISO-8601 instant"), r.err());
    }
}
