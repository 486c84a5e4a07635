package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, session tokens: every sample under {@code events/} holds {@code sessionToken} values (IQoJb3JpZ2luX2VjE…).
 * After ingesting all of them through the Lambda handler (each record as an EventBridge event, and each file whole,
 * malformed ones included, so the malformed-input excerpts are logged too), none of those values appears in the audit
 * table (the calls' kept records inflated and read too), in anything the handler wrote to stdout/stderr (JSON logs, EMF metrics), nor in the alert file.
 */
class SessionTokenLeakTest {

    @Test
    void noSessionTokenFromTheSamples_reachesTheTable_theLogs_orTheAlertFile(@TempDir Path dir) throws Exception {
        TreeSet<String> tokens = SampleMessages.sessionTokens();
        assertTrue(tokens.size() >= 5, "the samples hold session tokens: " + tokens.size());
        assertTrue(tokens.stream().allMatch(t -> t.startsWith("IQoJb3JpZ2luX2Vj")), tokens.toString());

        String table = TestStack.table();
        Path alerts = dir.resolve("alerts.jsonl");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try (ApplicationContext context = TestStack.context(table, Map.of("statetrail.alert-file", alerts.toString()))) {
            // Log, Metrics and FileAlertSink take System.out/err when the handler is built: they write to `both`.
            IngestHandler handler = new IngestHandler(context);
            List<String[]> messages = new ArrayList<>(SampleMessages.perRecord());
            messages.addAll(SampleMessages.perFile());
            for (int i = 0; i < messages.size(); i += 10) {
                IngestHandlerTest.invoke(handler, TestStack.sqsEvent(messages.subList(i, Math.min(messages.size(), i + 10))));
            }
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        String alertText = Files.exists(alerts) ? Files.readString(alerts) : "";
        StringBuilder tableText = new StringBuilder();
        SampleMessages.snapshot(TestStack.client(), table).forEach((k, v) -> tableText.append(k).append(' ').append(v).append('\n'));

        assertTrue(tableText.length() > 10_000, "the samples were stored: " + tableText.length());
        assertTrue(tableText.toString().contains("GZ:{"), "the calls' records were kept (and are checked here)");
        assertTrue(tableText.toString().contains("\"sessionToken\":\"<redacted>\""),
                "logins' records are kept with their token removed");
        assertTrue(logs.contains("\"event ingested\""), "the handler logged");
        assertTrue(logs.contains("\"malformed input\""), "malformed excerpts were logged too");
        assertFalse(alertText.isEmpty(), "alerts were written to the file");
        for (String token : tokens) {
            // The whole value, and any 24-character piece of it past the shared prefix (an excerpt cut mid-token).
            for (String piece : List.of(token, token.substring(16, Math.min(token.length(), 40)))) {
                assertFalse(tableText.toString().contains(piece), "token in the table: " + piece);
                assertFalse(logs.contains(piece), "token in the logs: " + piece);
                assertFalse(alertText.contains(piece), "token in the alert file: " + piece);
            }
        }
        System.out.printf("session tokens checked: %d; table %d chars, logs %d chars, alert file %d chars%n",
                tokens.size(), tableText.length(), logs.length(), alertText.length());
    }
}
