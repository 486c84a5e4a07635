package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code statetrail replay}'s stderr report (issue 13): digest, Insights and network-activity records and skipped files
 * are counted apart from malformed ones, and each skipped file is listed with its reason.
 */
class ReplayCommandTest {

    @Test
    void theSummaryCountsSkippedRecordsAndFilesApartFromMalformedOnes() {
        QueryCommandTest.Result r = QueryCommandTest.run("replay", "--policy", QueryCommandTest.EVENTS.resolve("policy.yaml").toString(),
                "--format", "jsonl", QueryCommandTest.EVENTS.resolve("scenarios/vpc-endpoint-insights-digest").toString(),
                QueryCommandTest.EVENTS.resolve("scenarios/firehose-and-exported-files").toString());

        assertEquals(0, r.exit(), r.err());
        List<String> findings = r.out().lines().toList();
        assertEquals(1, findings.size(), r.out());
        assertTrue(findings.get(0).startsWith("{\"type\":\"unlocked-state-write\""), findings.get(0));
        assertTrue(r.err().contains(", 0 malformed, skipped 1 digest, 2 insights, 2 network-activity records and 5 files, 1 findings"), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("  skipped ") && l.endsWith("NOTES.txt: not JSON or gzip (starts with 'E')")), r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("  malformed ")), "nothing here is malformed: " + r.err());
    }
}
