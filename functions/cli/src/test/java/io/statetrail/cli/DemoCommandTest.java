package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.api.ApiServer;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's end-to-end command: the live path (ingest function into DynamoDB Local, then a sweep) ends with exactly
 * the findings the batch replay gives on the same samples, and the alerts it prints are only those findings.
 */
class DemoCommandTest {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    @Test
    void demoOnTheSamplesGivesTheReplaysFindingsAndAlertsNothingItLaterWithdraws(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("demo");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            rc = Main.commandLine().execute("demo", "--no-serve", "--format", "jsonl", "--data-dir", data.toString(),
                    "--events", EVENTS.toString(), "--policy", EVENTS.resolve("policy.yaml").toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(0, rc, stderr.toString(StandardCharsets.UTF_8));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("the table stays in " + data + "; ask it more with ./statetrail query findings --data-dir " + data),
                "the demo says where its table is and how to query it: " + stderr);

        TreeSet<String> demo = new TreeSet<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                demo.add(key(FindingJson.fromLine(line)));
            }
        }
        List<Finding> replayed = new Replay(PolicyLoader.load(EVENTS.resolve("policy.yaml"))).run(List.of(EVENTS), null).findings();
        TreeSet<String> expected = new TreeSet<>();
        replayed.forEach(f -> expected.add(key(f)));
        assertEquals(expected, demo);

        List<String> alerts = Files.readAllLines(data.resolve("alerts.jsonl"));
        assertFalse(alerts.isEmpty());
        for (String alert : alerts) {
            assertTrue(expected.stream().anyMatch(k -> alert.contains(k.split(" ")[0])), alert);
        }
        String log = Files.readString(data.resolve(LocalLambda.LOG_FILE));
        assertTrue(log.contains("\"message\":\"event ingested\""), "the ingest function's log is kept beside the table");
        assertFalse(log.contains("IQoJb3JpZ2luX2VjE"), "no session token in the function log");
    }

    /**
     * What the demo then serves, as {@code ./statetrail serve} starts it: on the CLI's class path, where the Lambda
     * module's bean factory is too (its store once made every API query fail with two candidate stores).
     */
    @Test
    void theDashboardAndItsApiAnswerOverTheDemosData(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, Main.commandLine().execute("demo", "--no-serve", "--format", "jsonl", "--data-dir", data.toString(),
                "--events", EVENTS.toString(), "--policy", EVENTS.resolve("policy.yaml").toString()));
        HttpClient http = HttpClient.newHttpClient();
        try (LocalTrail trail = LocalTrail.open(data); ApiServer server = ApiServer.start(trail.store(), 0, "2026-11-20T00:00:00Z")) {
            for (String path : List.of("/", "/runs", "/api/runs", "/api/runs?subject=repo%3Aacme%2F*", "/api/locks", "/api/findings",
                    "/api/overview", "/api/state/timeline?key=acme-tfstate-prod%2Finfra%2Fqueues%2Fterraform.tfstate")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + ": " + r.body());
            }
            HttpResponse<String> runs = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/runs?subject=repo%3Aacme%2F*")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(runs.body().contains("\"subject\":\"repo:acme/"), runs.body());
        }
    }

    private static String key(Finding f) {
        return f.id() + " " + f.type() + " " + f.stateKey() + " " + f.subject();
    }
}
