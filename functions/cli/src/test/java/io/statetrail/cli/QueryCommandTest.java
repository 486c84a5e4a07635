package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.fixture.SampleFindings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code statetrail query …} on the samples in {@code events/}, ingested and swept with the CLI itself: each query
 * answers, tables fit 100 columns and escape outside text, CSV and JSON Lines are machine-readable, bad queries exit 2
 * and unknown keys exit 4.
 */
class QueryCommandTest {


    static final Path EVENTS = Path.of("../../events");
    static final String NOW = "2026-11-21T00:00:00Z"; // after the latest sample (2026-11-20)

    @TempDir
    static Path data;

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    static Result query(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "query";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = data.toString();
        all[args.length + 3] = "--now";
        all[args.length + 4] = NOW;
        return run(all);
    }

    @BeforeAll
    static void ingest() {
        Result ingest = run("ingest", "--data-dir", data.toString(), "--policy", EVENTS.resolve("policy.yaml").toString(), EVENTS.toString());
        assertEquals(0, ingest.exit(), ingest.err());
        Result sweep = run("sweep", "--data-dir", data.toString(), "--policy", EVENTS.resolve("policy.yaml").toString(), "--now", NOW);
        assertEquals(0, sweep.exit(), sweep.err());
    }

    @Test
    void lineageTableShowsTheChainRootFirstWithinOneHundredColumns() {
        Result r = query("lineage", "ASIAW6NHX2PAKCWQIIRG", "--format", "table");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("run ASIARZ4TQ7KXBTKIKGKC  repo:acme/infra:pull_request"), r.out());
        int tooling = indexOf(lines, "→ gha-tooling-plan @111111111111");
        int runner = indexOf(lines, "→ terraform-runner @111111111111");
        int prod = indexOf(lines, "→ terraform-prod @222222222222");
        assertTrue(tooling < runner && runner < prod, r.out());
        assertTrue(r.out().contains("write  acme-tfstate-prod/infra/database/terraform.tfstate"), r.out());
        assertTrue(r.out().contains("state-write-unexpected-subject"), r.out());
        assertFitsAndIsClean(r.out());
    }

    @Test
    void lineageAsCsvHasARowPerHopAndActivity() {
        Result r = query("lineage", "ASIAW6NHX2PAKCWQIIRG", "--format", "csv");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("\"depth\",\"hopKey\",\"parentKey\",\"method\""), r.out());
        assertTrue(r.out().contains("\"2\",\"ASIAW6NHX2PAKCWQIIRG\",\"ASIARZ4TQ7KXMU3CY466\""), r.out());
    }

    @Test
    void runsStateRepoLocksAndFindings() throws Exception {
        Result runs = query("runs", "--subject", "repo:acme/infra:ref:refs/heads/<img*", "--format", "table");
        assertEquals(0, runs.exit(), runs.err());
        assertTrue(runs.out().contains("ASIAW6NHX2PA25SDGE2H"), runs.out());
        assertTrue(runs.out().endsWith("1 run\n"), runs.out());
        assertFitsAndIsClean(runs.out());

        Result state = query("state", "acme-tfstate-prod/infra/database/terraform.tfstate", "--format", "jsonl");
        assertEquals(0, state.exit(), state.err());
        ObjectMapper m = new ObjectMapper();
        List<String> lines = state.out().lines().toList();
        assertTrue(lines.size() >= 4, state.out());
        JsonNode newest = m.readTree(lines.get(0));
        assertEquals("unlock", newest.get("kind").asText());
        assertEquals("ASIARZ4TQ7KXBTKIKGKC", newest.get("runKey").asText());

        Result repo = query("repo", "acme/website", "--format", "table");
        assertEquals(0, repo.exit(), repo.err());
        assertTrue(repo.out().contains("acme-tfstate-prod/infra/vpc/"), repo.out());
        assertFitsAndIsClean(repo.out());

        Result locks = query("locks", "--format", "table");
        assertEquals(0, locks.exit(), locks.err());
        assertTrue(locks.out().contains("acme-tfstate-prod/infra/queues/terraform.tfstate"), locks.out());
        assertTrue(locks.out().contains("18d15h"), "age at --now: " + locks.out());
        assertTrue(locks.out().endsWith("3 open locks\n"), locks.out());

        Result findings = query("findings", "--severity", "critical", "--format", "csv");
        assertEquals(0, findings.exit(), findings.err());
        assertEquals(1 + SampleFindings.CRITICAL, findings.out().split("\r\n").length, findings.out());
    }

    @Test
    void dynamoDbLocalsBannerIsNotPrinted() {
        Result r = query("findings", "--format", "jsonl");
        assertEquals(0, r.exit(), r.err());
        for (String printed : List.of(r.out(), r.err())) {
            assertFalse(printed.contains("Initializing DynamoDB Local"), printed);
            assertFalse(printed.contains("shouldDelayTransientStatuses"), printed);
        }
    }

    @Test
    void badQueriesExit2AndUnknownKeysExit4() {
        Result bad = query("runs", "--from", "2026-11-10", "--to", "2026-11-01");
        assertEquals(Main.EXIT_USAGE, bad.exit());
        assertTrue(bad.err().contains("bad time range"), bad.err());
        Result unknown = query("lineage", "ASIAUNKNOWNKEY000000");
        assertEquals(QueryCommand.EXIT_NOT_FOUND, unknown.exit());
        assertTrue(unknown.err().contains("no session with access key ASIAUNKNOWNKEY000000"), unknown.err());
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text);
    }

    private static void assertFitsAndIsClean(String out) {
        for (String line : out.lines().toList()) {
            assertTrue(line.codePointCount(0, line.length()) <= 100, "wider than 100 columns: " + line);
            assertTrue(line.chars().noneMatch(c -> c < 0x20 && c != '\t'), "control character in: " + line);
        }
    }
}
