package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.statetrail.api.ApiServer;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.fixture.SampleFindings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code findings}, {@code query} and {@code serve} with {@code --aws}: the code path that reads a deployed table (the
 * SDK's profile chain, a region, signed requests over HTTP) run against DynamoDB Local through {@code --endpoint-url},
 * holding the samples' ingested and swept table. The answers equal the local ones; every write is refused; a wrong
 * table, profile or missing permission is told plainly. The DynamoDB actions it makes are recorded for the analyst
 * policy check ({@link AnalystOperations}).
 */
class AwsTableTest {

    static final Path EVENTS = QueryCommandTest.EVENTS;
    static final String NOW = QueryCommandTest.NOW;

    @TempDir
    static Path dir;

    static LocalTrail local;
    static AutoCloseable recording;
    static String configBefore;
    static String credentialsBefore;

    @BeforeAll
    static void deployedTableAndAnalystProfile() throws Exception {
        Path data = dir.resolve("data");
        String policy = EVENTS.resolve("policy.yaml").toString();
        QueryCommandTest.Result ingest = QueryCommandTest.run("ingest", "--data-dir", data.toString(), "--policy", policy, EVENTS.toString());
        assertEquals(0, ingest.exit(), ingest.err());
        QueryCommandTest.Result sweep = QueryCommandTest.run("sweep", "--data-dir", data.toString(), "--policy", policy, "--now", NOW);
        assertEquals(0, sweep.exit(), sweep.err());
        local = LocalTrail.openExisting(data);
        // A Terraform lock table (key LockID) beside it, to be given by mistake (before recording: not an analyst request).
        try (software.amazon.awssdk.services.dynamodb.DynamoDbClient client = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(local.endpoint()).region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            client.createTable(b -> b.tableName("acme-tf-locks").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType("S"))
                    .keySchema(k -> k.attributeName("LockID").keyType("HASH")));
        }
        // An analyst's profile as `aws configure` writes it; the SDK reads these files where the system properties say.
        Path config = Files.writeString(dir.resolve("config"), "[profile analyst]\nregion = eu-west-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"),
                "[analyst]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        configBefore = System.setProperty("aws.configFile", config.toString());
        credentialsBefore = System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        recording = AnalystOperations.record();
    }

    @AfterAll
    static void close() throws Exception {
        recording.close();
        Set<String> sent = AnalystOperations.actions();
        assertTrue(sent.contains("dynamodb:GetItem") && sent.contains("dynamodb:Query"), "recorded: " + sent);
        Set<String> allowed = new java.util.TreeSet<>(DeployedTable.READS.stream().map(r -> "dynamodb:" + r).toList());
        allowed.add("dynamodb:PutItem"); // finding status items only (aFindingStatusIsTheOneWriteAnAnalystMakes)
        assertTrue(allowed.containsAll(sent), "only reads and status writes were sent: " + sent);
        restore("aws.configFile", configBefore);
        restore("aws.sharedCredentialsFile", credentialsBefore);
        local.close();
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    static String[] aws(String... args) {
        String[] all = new String[args.length + 5];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--aws", "--profile", "analyst", "--endpoint-url", local.endpoint().toString()}, 0, all, args.length, 5);
        return all;
    }

    @Test
    void findingsFromTheDeployedTableAreTheLocalOnes() {
        List<String> expected = IngestCommand.allFindings(local).stream().map(FindingJson::toLine).toList();
        assertTrue(expected.size() > 10, "the samples give findings: " + expected.size());
        QueryCommandTest.Result r = QueryCommandTest.run(aws("findings", "--format", "jsonl"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(Set.copyOf(expected), Set.copyOf(r.out().lines().toList()));
        assertEquals(expected.size(), r.out().lines().count());
        QueryCommandTest.Result ocsf = QueryCommandTest.run(aws("findings", "--format", "ocsf"));
        assertEquals(0, ocsf.exit(), ocsf.err());
        assertEquals(expected.size(), ocsf.out().lines().filter(l -> l.startsWith("{\"activity_id\":")).count(), ocsf.out());
    }

    @Test
    void queriesAnswerAsOnTheLocalTable() {
        QueryCommandTest.Result deployed = QueryCommandTest.run(aws("query", "lineage", "ASIAW6NHX2PAKCWQIIRG", "--format", "csv", "--now", NOW));
        assertEquals(0, deployed.exit(), deployed.err());
        assertTrue(deployed.out().contains("\"2\",\"ASIAW6NHX2PAKCWQIIRG\",\"ASIARZ4TQ7KXMU3CY466\""), deployed.out());
        QueryCommandTest.Result critical = QueryCommandTest.run(aws("query", "findings", "--severity", "critical", "--format", "csv"));
        assertEquals(0, critical.exit(), critical.err());
        assertEquals(1 + SampleFindings.CRITICAL, critical.out().split("\r\n").length, critical.out());
        QueryCommandTest.Result unknown = QueryCommandTest.run(aws("query", "lineage", "ASIAUNKNOWNKEY000000"));
        assertEquals(QueryCommand.EXIT_NOT_FOUND, unknown.exit(), unknown.err());
    }

    /** serve's path: the table serve opens with these options, under the server serve starts. */
    @Test
    void theDashboardAndTheApiServeTheDeployedTable() throws Exception {
        AwsTable options = options("analyst", null);
        try (OpenTable table = LocalCommands.openForReview("serve", null, options, System.err);
             ApiServer server = ApiServer.start(table.store(), 0, NOW)) {
            assertEquals("table statetrail-audit in eu-west-1 as profile analyst at " + local.endpoint(), table.where(),
                    "the region comes from the profile");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> findings = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/findings?severity=critical")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, findings.statusCode(), findings.body());
            assertTrue(findings.body().contains("state-write-unexpected-subject"), findings.body());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());

            // Issue 15: the finding page's evidence and a call's record, read from the deployed table (gsi4, then the item).
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            String id = json.readTree(findings.body()).at("/items/0/id").asText();
            HttpResponse<String> evidence = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/findings/" + id + "/evidence")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, evidence.statusCode(), evidence.body());
            com.fasterxml.jackson.databind.JsonNode call = json.readTree(evidence.body()).at("/calls/0");
            assertTrue(call.get("recordKept").asBoolean(), evidence.body());
            HttpResponse<String> record = http.send(HttpRequest.newBuilder(
                    URI.create(server.uri() + "/api/calls/" + call.get("eventId").asText() + "/record")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, record.statusCode(), record.body());
            assertEquals(call.get("eventId").asText(), json.readTree(record.body()).at("/record/eventID").asText());
        }
    }

    @Test
    void writesAreRefusedBeforeTheyAreSent() {
        try (OpenTable table = LocalCommands.openForReview("serve", null, options("analyst", null), System.err)) {
            Finding any = IngestCommand.allFindings(local).get(0);
            var deliveries = table.store().deliveriesOf(any.id());
            assertFalse(deliveries.isEmpty(), "a finding has pages to cancel");
            RuntimeException refused = assertThrows(RuntimeException.class, () -> table.store().cancel(deliveries.get(0)));
            assertTrue(String.valueOf(refused.getMessage()).contains("reads the deployed table only: refused a DynamoDB"), refused.toString());
        }
        assertEquals(Set.of(), intersect(AnalystOperations.actions(), Set.of("dynamodb:UpdateItem",
                "dynamodb:DeleteItem", "dynamodb:TransactWriteItems", "dynamodb:BatchWriteItem")), "nothing was sent");
    }

    /**
     * Issue 15: {@code finding ack ID --aws} writes the finding's status items (the analyst policy's one write, on
     * STATUS# keys) and nothing else; the status then filters {@code findings --status}. STS cannot be reached from
     * the test, so the change is recorded as the operating-system user, and the command says so.
     */
    @Test
    void aFindingStatusIsTheOneWriteAnAnalystMakes() {
        Finding any = IngestCommand.allFindings(local).stream().filter(f -> f.type().equals("state-write-unexpected-subject")).findFirst().orElseThrow();
        QueryCommandTest.Result noNote = QueryCommandTest.run(aws("finding", "false-positive", any.id()));
        assertEquals(Main.EXIT_USAGE, noNote.exit(), noNote.err());
        assertTrue(noNote.err().contains("--note is required"), noNote.err());
        QueryCommandTest.Result ack = QueryCommandTest.run(aws("finding", "ack", any.id(), "--note", "<b>looking</b>"));
        assertEquals(0, ack.exit(), ack.err());
        assertTrue(ack.out().contains("\"status\":\"acknowledged\"") && ack.out().contains("\"statusHistory\":[{"), ack.out());
        QueryCommandTest.Result acked = QueryCommandTest.run(aws("findings", "--status", "acknowledged", "--format", "jsonl"));
        assertEquals(0, acked.exit(), acked.err());
        assertEquals(List.of(any.id()), acked.out().lines().map(l -> FindingJson.fromLine(l).id()).toList());
        QueryCommandTest.Result unknown = QueryCommandTest.run(aws("finding", "ack", "stale-lock-00000000000000000000"));
        assertEquals(1, unknown.exit(), unknown.err());
        QueryCommandTest.Result bad = QueryCommandTest.run(aws("findings", "--status", "closed"));
        assertEquals(Main.EXIT_USAGE, bad.exit(), bad.err());
        try (OpenTable table = LocalCommands.openForReview("serve", null, options("analyst", null), System.err)) {
            Finding f = table.store().finding(any.id()).orElseThrow();
            RuntimeException refused = assertThrows(RuntimeException.class,
                    () -> table.store().put(new io.statetrail.service.port.Findings.StoredFinding(f, "x", "x|y", null)));
            assertTrue(String.valueOf(refused.getMessage()).contains("refused a DynamoDB PutItem"), "the finding itself stays read-only: " + refused);
        }
    }

    @Test
    void wrongOptionsAreUsageErrors() {
        for (String[] args : List.of(new String[] {"findings", "--table", "statetrail-audit"},
                new String[] {"query", "findings", "--region", "eu-west-1"},
                new String[] {"serve", "--profile", "analyst", "--port", "0"},
                new String[] {"findings", "--aws", "--data-dir", dir.toString()},
                new String[] {"findings", "--aws", "--table", "no/slash"},
                new String[] {"findings", "--aws", "--region", "Europe"})) {
            QueryCommandTest.Result r = QueryCommandTest.run(args);
            assertEquals(Main.EXIT_USAGE, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("statetrail " + args[0] + ": "), r.err());
        }
    }

    @Test
    void aMissingTableOrProfileIsToldAndExits1() {
        QueryCommandTest.Result table = QueryCommandTest.run(aws("findings", "--table", "statetrail-typo"));
        assertEquals(1, table.exit(), table.err());
        assertTrue(table.err().contains("no table statetrail-typo there"), table.err());
        // DynamoDB refuses the probe's key on a lock table: the message says what to check.
        QueryCommandTest.Result locks = QueryCommandTest.run(aws("findings", "--table", "acme-tf-locks"));
        assertEquals(1, locks.exit(), locks.err());
        assertTrue(locks.err().contains("cannot read acme-tf-locks: ValidationException") && locks.err().contains("is it statetrail's audit table?"),
                locks.err());
        QueryCommandTest.Result profile = QueryCommandTest.run("findings", "--aws", "--profile", "nobody", "--region", "eu-west-1");
        assertEquals(1, profile.exit(), profile.err());
        assertTrue(profile.err().contains("no profile 'nobody'"), profile.err());
    }

    /** DynamoDB's own answer to a principal without the analyst policy, from a loopback endpoint. */
    @Test
    void accessDeniedNamesThePolicyToAttach() throws Exception {
        HttpServer denying = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        denying.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User: "
                    + "arn:aws:sts::111111111111:assumed-role/analyst/jdoe is not authorized to perform: dynamodb:GetItem on resource: "
                    + "arn:aws:dynamodb:eu-west-1:111111111111:table/statetrail-audit because no identity-based policy allows the "
                    + "dynamodb:GetItem action\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "R2D2C3PO0EXAMPLE0000000000000000000000000000000000000");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        denying.start();
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            AwsTable options = options("analyst", URI.create("http://127.0.0.1:" + denying.getAddress().getPort()));
            assertEquals(null, LocalCommands.openForReview("findings", null, options, new PrintStream(err, true, StandardCharsets.UTF_8)));
            String told = err.toString(StandardCharsets.UTF_8);
            assertTrue(told.contains("cannot read statetrail-audit: AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/analyst/jdoe"), told);
            assertTrue(told.contains("analyst_policy_arn"), told);
        } finally {
            denying.stop(0);
        }
    }

    private static AwsTable options(String profile, URI endpoint) {
        AwsTable options = new AwsTable();
        options.aws = true;
        options.profile = profile;
        options.endpointUrl = endpoint != null ? endpoint : local.endpoint();
        return options;
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.TreeSet<>(a);
        out.retainAll(b);
        return out;
    }
}
