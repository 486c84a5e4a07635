package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, first hour: {@code ingest --slack-webhook} tells on the command line why an alert did not reach Slack
 * (the status Slack answered, or that nothing listens) and that it is kept and sent again, where the function's log
 * only counted the failures. Slack is a real HTTP server on loopback answering as Slack does for a revoked webhook.
 */
class SlackDeliveryTest {

    static final Path SCENARIO = QueryCommandTest.EVENTS.resolve("scenarios/unexpected-subject-feature-branch");

    @Test
    void aWebhookSlackRefusesIsToldWithItsStatus(@TempDir Path data) throws Exception {
        AtomicInteger posts = new AtomicInteger();
        HttpServer slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/services/", exchange -> {
            posts.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "no_service".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slack.start();
        try {
            QueryCommandTest.Result r = ingest(data, "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000/XXXX");
            assertEquals(0, r.exit(), r.err());
            assertTrue(posts.get() > 0, "Slack was asked");
            assertTrue(r.err().contains("not delivered to slack: permanent: Slack webhook answered 404 no_service"), r.err());
            assertTrue(r.err().contains("kept, and sent by the next ./statetrail ingest with --slack-webhook from "), r.err());
        } finally {
            slack.stop(0);
        }
    }

    @Test
    void aWebhookNobodyListensOnIsToldAsUnreachable(@TempDir Path data) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        QueryCommandTest.Result r = ingest(data, "http://127.0.0.1:" + closed + "/services/T000/B000/XXXX");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("not delivered to slack: Slack webhook unreachable: ConnectException"), r.err());
        assertTrue(r.err().contains("kept, and sent by the next ./statetrail ingest"), r.err());
    }

    private static QueryCommandTest.Result ingest(Path data, String webhook) {
        return QueryCommandTest.run("ingest", "--data-dir", data.toString(), "--policy", QueryCommandTest.EVENTS.resolve("policy.yaml").toString(),
                "--slack-webhook", webhook, SCENARIO.toString());
    }
}
