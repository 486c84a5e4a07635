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

    /** {@code --format ocsf}: the same findings, in the same order, each one OCSF Detection Finding on its own line. */
    @Test
    void ocsfPrintsTheSameFindingsAsDetectionFindings() throws Exception {
        String policy = QueryCommandTest.EVENTS.resolve("policy.yaml").toString();
        String scenarios = QueryCommandTest.EVENTS.resolve("scenarios").toString();
        QueryCommandTest.Result jsonl = QueryCommandTest.run("replay", "--policy", policy, "--format", "jsonl", scenarios);
        QueryCommandTest.Result ocsf = QueryCommandTest.run("replay", "--policy", policy, "--format", "ocsf", scenarios);
        assertEquals(0, ocsf.exit(), ocsf.err());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> ids = jsonl.out().lines().map(l -> read(json, l).get("id").asText()).toList();
        List<String> uids = ocsf.out().lines().map(l -> read(json, l).at("/finding_info/uid").asText()).toList();
        assertTrue(ids.size() > 5, jsonl.out());
        assertEquals(ids, uids);
        assertTrue(ocsf.out().lines().allMatch(l -> read(json, l).get("class_uid").asInt() == 2004), ocsf.out());
    }

    private static com.fasterxml.jackson.databind.JsonNode read(com.fasterxml.jackson.databind.ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    /** A finding the policy's suppressions: accept is still listed, marked, in every format; an expired entry is refused. */
    @Test
    void aSuppressedFindingIsListedMarkedAndAnExpiredEntryIsRefusedWithItsLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String base = java.nio.file.Files.readString(QueryCommandTest.EVENTS.resolve("policy.yaml"));
        java.nio.file.Path policy = dir.resolve("policy.yaml");
        java.nio.file.Files.writeString(policy, base + """

                suppressions:
                  - type: stale-lock
                    state: "acme-tfstate-prod/infra/queues/*"
                    reason: the queue migration holds its lock (OPS-7)
                """);
        int line = (int) base.lines().count() + 3;
        String scenario = QueryCommandTest.EVENTS.resolve("scenarios/stale-lock").toString();

        QueryCommandTest.Result jsonl = QueryCommandTest.run("replay", "--policy", policy.toString(), "--now", "2026-11-02T11:00:14Z",
                "--format", "jsonl", scenario);
        QueryCommandTest.Result table = QueryCommandTest.run("replay", "--policy", policy.toString(), "--now", "2026-11-02T11:00:14Z",
                "--format", "table", scenario);

        assertEquals(0, jsonl.exit(), jsonl.err());
        com.fasterxml.jackson.databind.JsonNode stale = read(new com.fasterxml.jackson.databind.ObjectMapper(), jsonl.out().lines()
                .filter(l -> l.contains("\"stale-lock\"")).findFirst().orElseThrow(() -> new AssertionError(jsonl.out())));
        assertTrue(stale.get("suppressed").asBoolean(), stale.toString());
        assertEquals("line " + line + ": the queue migration holds its lock (OPS-7)", stale.at("/details/suppressedBy").asText());
        assertTrue(table.out().contains("[suppressed: policy line " + line + ": the queue migration holds its lock (OPS-7)]"), table.out());

        java.nio.file.Files.writeString(policy, java.nio.file.Files.readString(policy) + "    expires: 2020-01-31\n");
        QueryCommandTest.Result expired = QueryCommandTest.run("replay", "--policy", policy.toString(), "--format", "jsonl", scenario);
        assertEquals(2, expired.exit(), expired.err());
        assertTrue(expired.err().contains(":" + (line + 3) + ": suppressions[0].expires: expired on 2020-01-31"), expired.err());
    }
}
