package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.LoopbackServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweeperHandlerTest {

    @Test
    void aStaleLock_isRaisedBySweeping_andItsAlertGoesOut() throws Exception {
        String table = TestStack.table();
        try (LoopbackServer slack = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/html", "ok"));
             ApplicationContext context = TestStack.context(table, Map.of("statetrail.slack-webhook-url", slack.url("/hook")))) {
            List<String[]> messages = new ArrayList<>();
            int n = 0;
            for (String line : TestStack.read("scenarios/stale-lock/eventbridge.jsonl").split("\n")) {
                if (!line.isBlank()) {
                    messages.add(new String[] {"m" + n++, line});
                }
            }
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(messages));
            assertEquals(0, slack.requests.size(), "nothing is stale yet");

            SweeperHandler.Result r = new SweeperHandler(context).run(Instant.parse("2026-11-02T11:00:14Z"));

            assertEquals(1, r.sweep().staleRaised(), r.toString());
            assertEquals(1, r.dispatch().alertsSent(), r.toString());
            assertEquals(1, slack.requests.size());
            String text = new ObjectMapper().readTree(slack.requests.get(0).body()).get("text").asText();
            assertTrue(text.startsWith("statetrail MEDIUM: stale-lock"), text);
        }
    }
}
