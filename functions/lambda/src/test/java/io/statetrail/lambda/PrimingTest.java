package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming, run as the runtime runs it before the snapshot ({@code beforeCheckpoint}): the SDK's client
 * warm-up takes the DynamoDB client through its request pipeline (seen by the global interceptor as a
 * {@code ListBackups} that the SDK answers itself, never sent) and the HTTP client through a connection to the regional
 * STS endpoint (here through a proxy on loopback, which sees the {@code CONNECT} and nothing leaves the machine);
 * then the function's own priming reads the audit table.
 */
class PrimingTest {

    @Test
    void primingWarmsTheSdkClientsThenTheFunctionsOwnReadPath() throws Exception {
        try (ApplicationContext context = TestStack.context(TestStack.table(), Map.of());
             ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            new IngestHandler(context);
            List<Priming> registered = Priming.registered();
            Priming ingest = registered.get(registered.size() - 1);
            assertEquals(AwsClients.EVENT_FUNCTION_CLIENTS, ingest.clients());
            assertTrue(ingest.clients().contains(DynamoDbClient.class));

            CompletableFuture<String> connect = CompletableFuture.supplyAsync(() -> firstLine(proxy));
            FaultInjector.Plan seen = FaultInjector.arm(17, 0.0); // counts DynamoDB requests, fails none
            System.setProperty("https.proxyHost", "127.0.0.1");
            System.setProperty("https.proxyPort", Integer.toString(proxy.getLocalPort()));
            try {
                ingest.beforeCheckpoint(null);
            } finally {
                System.clearProperty("https.proxyHost");
                System.clearProperty("https.proxyPort");
                FaultInjector.disarm();
            }
            assertTrue(seen.byOperation.containsKey("ListBackups"), "the SDK's DynamoDB warm-up ran: " + seen.byOperation);
            assertTrue(seen.byOperation.keySet().stream().anyMatch(op -> !op.equals("ListBackups")),
                    "then the function's own read of the table: " + seen.byOperation);
            String line = connect.get(30, TimeUnit.SECONDS);
            assertTrue(line.matches("CONNECT sts\\.[a-z0-9-]+\\.amazonaws\\.com:443 HTTP/1\\.[01]"), line);
        }
    }

    /** The first line a client sends to this "proxy", which then hangs up (the warm-up ignores the failure). */
    private static String firstLine(ServerSocket proxy) {
        try (Socket s = proxy.accept()) {
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
