package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code backfill --aws} against Step Functions on loopback, answering in its own wire format (AWS JSON 1.0,
 * {@code X-Amz-Target: AWSStepFunctions.*}): the execution it starts (its input exactly), how it follows it, what it
 * prints and its exit code.
 */
class BackfillCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MACHINE = "arn:aws:states:eu-west-1:111111111111:stateMachine:statetrail-backfill";
    static final String EXECUTION = "arn:aws:states:eu-west-1:111111111111:execution:statetrail-backfill:backfill-2026-11-01-2026-11-30-x";
    static final String MAP_RUN = "arn:aws:states:eu-west-1:111111111111:mapRun:statetrail-backfill/backfill-2026-11-01-2026-11-30-x:5f2c";

    record Call(String target, JsonNode body) {
    }

    /** A Step Functions endpoint whose execution runs for {@code runningPolls} DescribeExecution calls, then ends so. */
    static final class LoopbackSfn implements AutoCloseable {
        final HttpServer server;
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger describes = new AtomicInteger();
        final int runningPolls;
        final String endStatus;
        final String output;

        LoopbackSfn(int runningPolls, String endStatus, String output) throws IOException {
            this.runningPolls = runningPolls;
            this.endStatus = endStatus;
            this.output = output;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", x -> {
                String target = x.getRequestHeaders().getFirst("X-Amz-Target");
                JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
                calls.add(new Call(target, body));
                byte[] answer = JSON.writeValueAsBytes(answer(target));
                x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                x.sendResponseHeaders(200, answer.length);
                x.getResponseBody().write(answer);
                x.close();
            });
            server.start();
        }

        private ObjectNode answer(String target) {
            ObjectNode a = JSON.createObjectNode();
            switch (target) {
                case "AWSStepFunctions.StartExecution" -> a.put("executionArn", EXECUTION).put("startDate", 1.7949888E9);
                case "AWSStepFunctions.DescribeExecution" -> {
                    boolean running = describes.getAndIncrement() < runningPolls;
                    a.put("executionArn", EXECUTION).put("stateMachineArn", MACHINE).put("startDate", 1.7949888E9)
                            .put("status", running ? "RUNNING" : endStatus);
                    if (!running && "SUCCEEDED".equals(endStatus)) {
                        a.put("output", output).put("stopDate", 1.7949900E9);
                    } else if (!running) {
                        a.put("error", "States.Runtime").put("cause", "An error occurred while executing the state 'Files'.\u001b[2J");
                    }
                }
                case "AWSStepFunctions.ListMapRuns" -> a.putArray("mapRuns").addObject().put("executionArn", EXECUTION)
                        .put("mapRunArn", MAP_RUN).put("stateMachineArn", MACHINE).put("startDate", 1.7949889E9);
                case "AWSStepFunctions.DescribeMapRun" -> {
                    a.put("mapRunArn", MAP_RUN).put("executionArn", EXECUTION).put("status", "RUNNING").put("startDate", 1.7949889E9)
                            .put("maxConcurrency", 40).put("toleratedFailurePercentage", 100).put("toleratedFailureCount", 0);
                    int done = Math.min(describes.get(), 2) * 4000;
                    a.putObject("itemCounts").put("pending", 8640 - done).put("running", 0).put("succeeded", done).put("failed", 0)
                            .put("timedOut", 0).put("aborted", 0).put("total", 8640).put("resultsWritten", done);
                    a.putObject("executionCounts").put("pending", 0).put("running", 1).put("succeeded", 1).put("failed", 0)
                            .put("timedOut", 0).put("aborted", 0).put("total", 173).put("resultsWritten", 1);
                }
                default -> a.put("__type", "UnknownOperationException");
            }
            return a;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeAll
    static void credentials() {
        // The SDK's default chain reads these first: no profile or environment is needed, nor touched.
        System.setProperty("aws.accessKeyId", "AKIDLOOPBACK");
        System.setProperty("aws.secretAccessKey", "loopback");
    }

    @AfterAll
    static void noCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static QueryCommandTest.Result backfill(LoopbackSfn sfn, String... more) {
        List<String> args = new ArrayList<>(List.of("backfill", "--aws", "--bucket", "acme-org-trail", "--from", "2026-11-01", "--to", "2026-11-30",
                "--state-machine", MACHINE, "--region", "eu-west-1", "--endpoint-url", sfn.url(), "--poll", "PT0.01S"));
        args.addAll(List.of(more));
        return QueryCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void itStartsTheExecutionWithTheRangeAndLimits_followsIt_andPrintsTheTotals() throws Exception {
        String totals = "{\"files\":8640,\"outsideRange\":0,\"records\":41207718,\"relevant\":18377,\"sent\":18377,\"messages\":2204,"
                + "\"malformed\":0,\"skipped\":288,\"failedFiles\":[],\"failedBatches\":0,\"mapRunArn\":\"" + MAP_RUN + "\"}";
        try (LoopbackSfn sfn = new LoopbackSfn(2, "SUCCEEDED", totals)) {
            QueryCommandTest.Result r = backfill(sfn, "--prefix", "AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/",
                    "--concurrency", "100", "--rate", "2000");

            assertEquals(0, r.exit(), r.err());
            Call start = sfn.calls.get(0);
            assertEquals("AWSStepFunctions.StartExecution", start.target());
            assertEquals(MACHINE, start.body().path("stateMachineArn").asText());
            assertTrue(start.body().path("name").asText().matches("backfill-2026-11-01-2026-11-30-[a-z0-9]+"), start.body().toString());
            assertEquals(JSON.readTree("{\"bucket\":\"acme-org-trail\",\"prefix\":\"AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/2026/11/\","
                    + "\"from\":\"2026-11-01\",\"to\":\"2026-11-30\",\"concurrency\":100,\"filesPerBatch\":50,\"rate\":2000}"),
                    JSON.readTree(start.body().path("input").asText()));
            assertEquals(3, sfn.describes.get(), "followed until it ended");
            assertEquals(JSON.readTree(totals), JSON.readTree(r.out()));
            assertTrue(r.err().contains("statetrail: backfill running, 4000 of 8640 listed files done"), r.err());
            assertTrue(r.err().contains("backfilled 8640 log files (0 outside the range): 41207718 records, 18377 relevant, 18377 sent, 0 malformed"),
                    r.err());
        }
    }

    @Test
    void filesThatCouldNotBeBackfilled_areListed_andTheExitCodeSaysSo() throws Exception {
        String totals = "{\"files\":3,\"outsideRange\":0,\"records\":10,\"relevant\":2,\"sent\":2,\"messages\":1,\"malformed\":0,\"skipped\":0,"
                + "\"failedFiles\":[{\"key\":\"AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11/02/f\\u001b[31m.json.gz\","
                + "\"reason\":\"cannot read: AccessDenied (HTTP 403)\"}],\"failedBatches\":0}";
        try (LoopbackSfn sfn = new LoopbackSfn(0, "SUCCEEDED", totals)) {
            QueryCommandTest.Result r = backfill(sfn);
            assertEquals(BackfillCommand.EXIT_FILES_FAILED, r.exit(), r.err());
            assertTrue(r.err().contains("not backfilled: AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11/02/f\\u001b[31m.json.gz: "
                    + "cannot read: AccessDenied (HTTP 403)"), "listed, the key's escape sequence made harmless: " + r.err());
            assertEquals("AWSLogs/", JSON.readTree(sfn.calls.get(0).body().path("input").asText()).path("prefix").asText());
        }
    }

    @Test
    void aFailedExecution_endsWithItsErrorAndExitCode1() throws Exception {
        try (LoopbackSfn sfn = new LoopbackSfn(1, "FAILED", null)) {
            QueryCommandTest.Result r = backfill(sfn);
            assertEquals(BackfillCommand.EXIT_FAILED, r.exit());
            assertTrue(r.err().contains("the execution ended FAILED: States.Runtime An error occurred while executing the state 'Files'.\\u001b[2J"),
                    r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void usageErrors_areRefusedBeforeAnythingStarts() throws Exception {
        try (LoopbackSfn sfn = new LoopbackSfn(0, "SUCCEEDED", "{}")) {
            QueryCommandTest.Result r = QueryCommandTest.run("backfill", "--aws", "--bucket", "acme-org-trail", "--from", "2026-11-01",
                    "--to", "2026-10-01", "--state-machine", MACHINE, "--region", "eu-west-1", "--endpoint-url", sfn.url());
            assertEquals(Main.EXIT_USAGE, r.exit());
            assertTrue(r.err().contains("--to (2026-10-01) is before --from (2026-11-01)"), r.err());
            r = backfill(sfn, "--concurrency", "0");
            assertEquals(Main.EXIT_USAGE, r.exit());
            assertTrue(r.err().contains("--concurrency must be between 1 and 10000"), r.err());
            assertTrue(sfn.calls.isEmpty());
        }
        QueryCommandTest.Result r = QueryCommandTest.run("backfill", "--bucket", "b", "--from", "2026-11-01", "--to", "2026-11-02");
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("--aws"), r.err());
    }

    @Test
    void aRegionFolderIsNarrowedToTheRangesCommonYearMonthOrDay() {
        String region = "AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/";
        assertEquals(region + "2026/11/04/", BackfillCommand.narrowed(region, LocalDate.parse("2026-11-04"), LocalDate.parse("2026-11-04")));
        assertEquals(region + "2026/11/", BackfillCommand.narrowed(region, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30")));
        assertEquals(region + "2026/", BackfillCommand.narrowed(region, LocalDate.parse("2026-09-01"), LocalDate.parse("2026-11-30")));
        assertEquals(region, BackfillCommand.narrowed(region, LocalDate.parse("2025-12-01"), LocalDate.parse("2026-01-31")));
        assertEquals("AWSLogs/", BackfillCommand.narrowed("AWSLogs/", LocalDate.parse("2026-11-04"), LocalDate.parse("2026-11-04")));
    }
}
