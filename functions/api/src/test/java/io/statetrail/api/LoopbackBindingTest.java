package io.statetrail.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: the local server ({@code ./statetrail serve}) listens on 127.0.0.1 only — it accepts no connection on this
 * machine's other addresses — and never answers with a wildcard {@code Access-Control-Allow-Origin}.
 */
class LoopbackBindingTest {

    @Test
    void listensOnLoopbackOnly_andNeverGrantsAWildcardOrigin() throws Exception {
        try (ApiServer server = ApiServer.start(new FixtureQueries(), 0, "2026-11-18T12:00:00Z")) {
            assertEquals("127.0.0.1", server.uri().getHost());
            int others = 0;
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress()) {
                        continue;
                    }
                    others++;
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, server.port()), 500);
                        fail("the local server accepted a connection on " + a);
                    } catch (ConnectException | java.net.SocketTimeoutException refused) {
                        // nothing listens there
                    } catch (IOException unreachable) {
                        // address not usable from here (link-local without scope, …): nothing listens there either
                    }
                }
            }
            System.out.println("non-loopback addresses probed: " + others);

            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/", "/api/findings", "/api/locks", "/api/findings.csv", "/api/no-such-thing"}) {
                for (String method : new String[] {"GET", "OPTIONS"}) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET").build(),
                            HttpResponse.BodyHandlers.ofString());
                    String origin = r.headers().firstValue("Access-Control-Allow-Origin").orElse("");
                    assertTrue(!origin.equals("*") && !origin.equals("https://evil.example"), method + " " + path + ": " + origin);
                }
            }
        }
    }
}
