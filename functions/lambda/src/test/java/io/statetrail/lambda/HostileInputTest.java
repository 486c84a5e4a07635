package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.LoopbackServer;
import io.statetrail.alerts.SnsAlertSink;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Issue 6, hostile strings per sink. Generated runs (from the hostile-branch-name scenario) whose outside-controlled
 * fields — the branch in the OIDC subject, the role session name, the state object key — hold HTML, a Slack mention,
 * a forged log line, a spreadsheet formula, 64 KB, a lone surrogate, and (as raw bytes) invalid UTF-8; and a lock whose
 * {@code Who} holds them all. Ingested through the Lambda handler, then every sink is checked: Slack payloads (loopback
 * webhook), the JSON log lines, SNS publishes (SDK capture), the API's JSON and CSV (local server on 127.0.0.1).
 */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HUGE = "A".repeat(64 * 1024);
    static final List<String> HOSTILE = List.of(
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "<!channel> *urgent* @here",
            "line1\nfake log line {\"level\":\"ERROR\"}",
            "=HYPERLINK(\"http://x\")",
            HUGE,
            "lone\uD800surrogate");
    static final String BYTES_MARK = "HOSTILEBYTESMARK";
    static final byte[] INVALID_UTF8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
    static final String CHANNEL_BRANCH = "refs/heads/<!channel> *urgent*";
    static final String SESSION = "GitHubActions";
    static final String KEY = "infra/payments/terraform.tfstate";

    @Test
    void hostileValuesInEveryOutsideField_areHarmlessInEverySink(@TempDir Path dir) throws Exception {
        List<JsonNode> template = template();
        List<String[]> messages = new ArrayList<>();
        List<byte[]> rawInvocations = new ArrayList<>();
        int variant = 0;
        for (String field : List.of("subject", "session", "key")) {
            for (String h : HOSTILE) {
                for (JsonNode r : variant(template, ++variant, field, h)) {
                    messages.add(new String[] {"h-" + field + "-" + HOSTILE.indexOf(h) + "-" + messages.size(), eventBridge(r)});
                }
            }
            // invalid UTF-8 as raw bytes: a direct (EventBridge) invocation, whose input is bytes
            for (JsonNode r : variant(template, ++variant, field, BYTES_MARK)) {
                rawInvocations.add(replace(eventBridge(r).getBytes(StandardCharsets.UTF_8), BYTES_MARK, INVALID_UTF8));
            }
        }
        String lockState = "acme-tfstate-tooling/bootstrap/org/terraform.tfstate";
        String who = String.join(" ", HOSTILE.subList(0, 5)) + " lone\uD800";
        String info = JSON.writeValueAsString(Map.of("ID", "6f1a0b2e-2c4d-4e6f-8a9b-0c1d2e3f4a5b",
                "Operation", "OperationTypeApply", "Info", "", "Who", who, "Version", "1.11.4",
                "Created", "2026-11-03T09:00:16.123Z", "Path", lockState));
        TestStack.client().putItem(b -> b.tableName(TestStack.LOCK_TABLE).item(Map.of(
                "LockID", AttributeValue.fromS(lockState), "Info", AttributeValue.fromS(info))));
        messages.add(new String[] {"login", TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json")});
        messages.add(new String[] {"lock", TestStack.read("scenarios/bootstrap-dynamodb-lock/02-dynamodb-putitem-lock.json")});

        String table = TestStack.table();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        List<String> failed = new ArrayList<>();
        int rawFailed = 0;
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"));
             ApplicationContext context = TestStack.context(table, Map.of("statetrail.slack-webhook-url", slack.url("/hook"), "micronaut.server.port", -1))) {
            System.setOut(new PrintStream(logs, true, StandardCharsets.UTF_8));
            IngestHandler handler;
            try {
                handler = new IngestHandler(context);
                for (int i = 0; i < messages.size(); i += 10) {
                    JsonNode r = IngestHandlerTest.invoke(handler, TestStack.sqsEvent(messages.subList(i, Math.min(messages.size(), i + 10))));
                    r.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
                }
                for (byte[] raw : rawInvocations) {
                    try {
                        handler.handleRequest(new ByteArrayInputStream(raw), new ByteArrayOutputStream(), null);
                    } catch (IllegalArgumentException unreadable) {
                        rawFailed++; // EventBridge retries it, then its dead-letter queue: refused, not half-stored
                    }
                }
            } finally {
                System.setOut(stdout);
            }
            System.out.printf("hostile messages: %d via SQS (%d refused: the 64 KB ones over the size limit), %d raw-byte invocations (%d refused); %d Slack posts%n",
                    messages.size(), failed.size(), rawInvocations.size(), rawFailed, slack.requests.size());
            // Only the 64 KB values may be refused (RecordReader's size limits: then the message is poison and goes to
            // the dead-letter queue); every other hostile value is data.
            String hugeTag = "-" + HOSTILE.indexOf(HUGE) + "-";
            assertTrue(failed.stream().allMatch(id -> id.contains(hugeTag)), "hostile values are data, not poison: " + failed);
            System.out.println("refused: " + failed);
            for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.contains("store failed") || line.contains("poison")) {
                    System.out.println("  " + clip(line));
                }
            }

            List<Finding> findings = new ArrayList<>();
            TestStack.client().scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
                if (item.get("sk").s().equals("FINDING") && item.containsKey("json")) {
                    findings.add(FindingJson.fromLine(item.get("json").s()));
                }
            });
            assertTrue(findings.size() >= 10, "the hostile runs raised findings: " + findings.size());

            checkSlack(slack.requests);
            checkLogs(logs.toString(StandardCharsets.UTF_8));
            checkSns(findings);
            checkApi(context);
        } finally {
            TestStack.client().deleteItem(b -> b.tableName(TestStack.LOCK_TABLE).key(Map.of("LockID", AttributeValue.fromS(lockState))));
        }
    }

    /** docs/alerts.md: every outside value is escaped (&amp; &lt; &gt;) inside a code span; the only '<' is our link. */
    static void checkSlack(List<LoopbackServer.Request> requests) throws Exception {
        assertFalse(requests.isEmpty(), "alerts reached Slack");
        boolean sawEscapedChannel = false;
        for (LoopbackServer.Request r : requests) {
            JsonNode body = JSON.readTree(r.body());
            List<String> texts = new ArrayList<>();
            strings(body, texts);
            for (String t : texts) {
                String withoutLinks = t.replaceAll("<https://statetrail\\.example/dashboard[^<>|]*\\|[^<>]*>", "");
                assertFalse(withoutLinks.contains("<") || withoutLinks.contains(">"), "raw angle bracket in Slack text: " + clip(t));
                assertFalse(t.contains("<!channel>") || t.contains("<!here>") || t.contains("<img") || t.contains("<script"), clip(t));
                assertTrue(t.length() <= 3000, "Slack text blocks stay within Slack's 3000-character limit: " + t.length());
                sawEscapedChannel |= t.contains("&lt;!channel&gt;");
            }
        }
        assertTrue(sawEscapedChannel, "the mention arrived as escaped text");
    }

    /** One JSON object per line, whatever the input held; the forged line is inside a value, never a line of its own. */
    static void checkLogs(String logs) throws Exception {
        int lines = 0;
        boolean sawForgery = false;
        for (String line : logs.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            lines++;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (Exception e) {
                fail("a log line that is not one JSON object: " + clip(line));
                return;
            }
            assertTrue(n.isObject(), clip(line));
            assertFalse(line.startsWith("fake log line"), line);
            sawForgery |= line.contains("fake log line");
            assertTrue(line.length() < 20_000, "log lines are cut: " + line.length());
        }
        assertTrue(lines > 50, "the handler logged: " + lines);
        assertTrue(sawForgery, "the forged text was logged inside a JSON string");
    }

    /** The body is JSON with the value intact (subscribers escape it for their own medium); attributes stay sane. */
    static void checkSns(List<Finding> findings) throws Exception {
        List<PublishRequest> published = Collections.synchronizedList(new ArrayList<>());
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PublishRequest p) {
                    published.add(p);
                }
            }
        };
        String ok = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
                + "94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult><ResponseMetadata><RequestId>"
                + "f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>";
        try (LoopbackServer sns = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/xml", ok));
             SnsClient client = SnsClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(sns.url("")))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                     .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(c -> c.addExecutionInterceptor(capture)).build()) {
            SnsAlertSink sink = new SnsAlertSink(() -> client, "arn:aws:sns:eu-west-1:111111111111:statetrail-alerts");
            for (Finding f : findings) {
                sink.send(new Alert(AlertDispatcher.groupKey(f), f.type(), f.severity(), List.of(f), "https://statetrail.example/dashboard"));
            }
        }
        assertEquals(findings.size(), published.size());
        boolean intact = false;
        for (PublishRequest p : published) {
            JsonNode body = JSON.readTree(p.message());
            assertTrue(body.isObject());
            intact |= body.toString().contains("<!channel> *urgent* @here") || p.message().contains("\\u003C!channel>");
            assertTrue(p.message().getBytes(StandardCharsets.UTF_8).length <= 256 * 1024, "SNS message limit");
            if (p.subject() != null) {
                assertTrue(p.subject().length() <= 100 && p.subject().chars().noneMatch(c -> c < 0x20), "subject: " + p.subject());
            }
            for (Map.Entry<String, MessageAttributeValue> a : p.messageAttributes().entrySet()) {
                String v = a.getValue().stringValue();
                assertTrue(v == null || (v.length() <= 1024 && v.chars().noneMatch(c -> c < 0x20 || Character.isSurrogate((char) c))),
                        "attribute " + a.getKey() + " = " + clip(v));
            }
        }
        assertTrue(intact, "the hostile value reached SNS intact inside the JSON body");
    }

    /**
     * The query API as deployed (Function URL payload through {@code QueryApiHandler}): JSON typed and parseable, never
     * text/html; no wildcard CORS even for a foreign Origin; CSV cells quoted and formula-neutralised. (The local
     * server's 127.0.0.1 binding is checked in {@code functions/api}: {@code LoopbackBindingTest}.)
     */
    static void checkApi(ApplicationContext context) throws Exception {
        QueryApiHandler handler = new QueryApiHandler(context);
        String range = "from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z";
        for (String[] q : List.of(new String[] {"/api/findings", range}, new String[] {"/api/runs", range},
                new String[] {"/api/locks", ""}, new String[] {"/api/activity", "repository=acme/infra&" + range})) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(get(q[0], q[1]), null);
            assertEquals(200, r.getStatusCode(), q[0] + " " + clip(r.getBody()));
            String type = header(r, "Content-Type");
            assertTrue(type.startsWith("application/json"), q[0] + " " + type);
            JSON.readTree(body(r));
            assertNotEquals("*", header(r, "Access-Control-Allow-Origin"), q[0]);
        }
        String findings = body(handler.handleRequest(get("/api/findings", range), null));
        assertTrue(findings.contains("onerror") && findings.contains("HYPERLINK"), "hostile findings are listed");
        int csvCells = 0;
        for (String[] q : List.of(new String[] {"/api/findings.csv", range}, new String[] {"/api/runs.csv", range},
                new String[] {"/api/locks.csv", ""}, new String[] {"/api/activity.csv", "repository=acme/infra&" + range})) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(get(q[0], q[1]), null);
            assertEquals(200, r.getStatusCode(), q[0] + " " + clip(r.getBody()));
            assertTrue(header(r, "Content-Type").startsWith("text/csv"), q[0] + " " + header(r, "Content-Type"));
            String text = body(r);
            for (List<String> row : csv(text)) {
                for (String cell : row) {
                    csvCells++;
                    if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !cell.matches("-?[0-9.]+")) {
                        fail(q[0] + ": a cell a spreadsheet would evaluate: " + clip(cell));
                    }
                }
            }
        }
        // End to end an outside value never starts a cell (it follows "repo:…", a bucket, …); the writer itself neutralises
        // a formula at the start of any cell:
        for (String h : HOSTILE) {
            String cell = io.statetrail.api.CsvWriter.cell(h);
            assertFalse("=+-@\t\r".indexOf(cell.charAt(0)) >= 0, "CsvWriter.cell leaves a formula: " + clip(cell));
        }
        assertEquals("'=HYPERLINK(\"http://x\")", io.statetrail.api.CsvWriter.cell("=HYPERLINK(\"http://x\")"));
        assertEquals(0, unquoted, "every CSV cell is quoted");
        assertTrue(quotedCells >= csvCells / 2, "cells are quoted: " + quotedCells + " of " + csvCells);
        System.out.println("API checked: JSON endpoints; " + csvCells + " CSV cells, " + quotedCells + " quoted");
    }

    static APIGatewayV2HTTPEvent get(String path, String query) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path).withRawQueryString(query)
                .withQueryStringParameters(query.isEmpty() ? Map.of() : java.util.Arrays.stream(query.split("&"))
                        .map(kv -> kv.split("=", 2)).collect(java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1])))
                .withHeaders(Map.of("accept", "*/*", "host", "abc.lambda-url.eu-west-1.on.aws", "origin", "https://evil.example"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath(path)
                                .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("test").build())
                        .withRequestId("req-1").withStage("$default").withDomainName("abc.lambda-url.eu-west-1.on.aws").build())
                .withIsBase64Encoded(false).build();
    }

    static String header(APIGatewayV2HTTPResponse r, String name) {
        if (r.getHeaders() != null) {
            for (Map.Entry<String, String> e : r.getHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
        }
        if (r.getMultiValueHeaders() != null) {
            for (Map.Entry<String, List<String>> e : r.getMultiValueHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
        }
        return "";
    }

    static String body(APIGatewayV2HTTPResponse r) {
        return r.getIsBase64Encoded() ? new String(java.util.Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8) : r.getBody();
    }

    static int quotedCells;
    static int unquoted;

    /** RFC 4180 rows; fails on a bare quote inside an unquoted cell. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean inCell = false;
        boolean cellQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && !inCell) {
                quotedCells++;
                cellQuoted = true;
                quoted = true;
                inCell = true;
            } else if (c == ',') {
                unquoted += inCell && !cellQuoted ? 1 : 0;
                cellQuoted = false;
                row.add(cell.toString());
                cell.setLength(0);
                inCell = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                unquoted += inCell && !cellQuoted ? 1 : 0;
                cellQuoted = false;
                row.add(cell.toString());
                rows.add(row);
                row = new ArrayList<>();
                cell.setLength(0);
                inCell = false;
            } else {
                assertFalse(c == '"', "bare quote in an unquoted CSV cell near " + clip(text.substring(Math.max(0, i - 40), i + 1)));
                cell.append(c);
                inCell = true;
            }
        }
        assertFalse(quoted, "unterminated quoted CSV cell");
        if (inCell || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    // ---- generating the hostile runs ----

    /** The {@code <!channel>} run of the hostile-branch-name scenario: a login, a locked write of the payments state. */
    static List<JsonNode> template() throws Exception {
        JsonNode all = JSON.readTree(TestStack.read("scenarios/hostile-branch-name/records.json"));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : all) {
            out.add(r);
        }
        return out.subList(5, 11);
    }

    /** A copy of the run with new ids and keys (no duplicates between variants) and {@code h} in one field. */
    static List<JsonNode> variant(List<JsonNode> run, int n, String field, String h) throws Exception {
        Pattern uuid = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        Pattern key = Pattern.compile("ASIA[A-Z0-9]{16}");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : run) {
            String text = JSON.writeValueAsString(r);
            text = replaceAll(uuid, text, m -> UUID.nameUUIDFromBytes((n + ":" + m).getBytes(StandardCharsets.UTF_8)).toString());
            text = replaceAll(key, text, m -> "ASIAH" + String.format("%02d", n) + m.substring(7));
            JsonNode copy = JSON.readTree(text);
            String from = switch (field) {
                case "subject" -> CHANNEL_BRANCH;
                case "session" -> SESSION;
                default -> KEY;
            };
            String to = switch (field) {
                case "subject" -> "refs/heads/" + h;
                case "session" -> h;
                default -> "infra/" + h + "/terraform.tfstate";
            };
            out.add(substitute(copy, from, to));
        }
        return out;
    }

    static String replaceAll(Pattern p, String text, java.util.function.Function<String, String> f) {
        Matcher m = p.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(f.apply(m.group())));
        }
        return m.appendTail(b).toString();
    }

    /** Replaces {@code from} by {@code to} in every string value (so the result is still well-formed JSON). */
    static JsonNode substitute(JsonNode node, String from, String to) {
        if (node.isTextual()) {
            return new TextNode(node.asText().replace(from, to));
        }
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            it.forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> e : entries) {
                o.set(e.getKey(), substitute(e.getValue(), from, to));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, substitute(a.get(i), from, to));
            }
            return a;
        }
        return node;
    }

    static String eventBridge(JsonNode record) throws Exception {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.nameUUIDFromBytes(record.path("eventID").asText().getBytes(StandardCharsets.UTF_8)).toString());
        e.put("detail-type", "AWS API Call via CloudTrail");
        String source = record.path("eventSource").asText("");
        e.put("source", "aws." + source.substring(0, Math.max(0, source.indexOf('.'))));
        e.set("detail", record);
        return JSON.writeValueAsString(e);
    }

    static byte[] replace(byte[] in, String mark, byte[] with) {
        byte[] m = mark.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (i + m.length <= in.length && java.util.Arrays.equals(in, i, i + m.length, m, 0, m.length)) {
                out.writeBytes(with);
                i += m.length - 1;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    static void strings(JsonNode n, List<String> out) {
        if (n.isTextual()) {
            out.add(n.asText());
        }
        n.forEach(c -> strings(c, out));
    }

    static String clip(String s) {
        return s == null ? "null" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
