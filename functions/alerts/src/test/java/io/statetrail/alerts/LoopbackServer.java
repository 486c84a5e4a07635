package io.statetrail.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers with scripted responses. Shared with the
 * Lambda module's tests through this module's test jar.
 */
public final class LoopbackServer implements AutoCloseable {

    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    }

    public record Response(int status, String contentType, String body, Map<String, String> headers) {
        public static Response of(int status, String contentType, String body) {
            return new Response(status, contentType, body, Map.of());
        }
    }

    private final HttpServer server;
    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    /** @param answer response to the n-th request (0-based) */
    public LoopbackServer(IntFunction<Response> answer) throws IOException {
        this((n, request) -> answer.apply(n));
    }

    /** @param answer response to a request, given its number (0-based) and what it asked: a service answering by content */
    public LoopbackServer(BiFunction<Integer, Request, Response> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ConcurrentLinkedQueue<Integer> unused = new ConcurrentLinkedQueue<>();
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int n;
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            synchronized (requests) {
                n = requests.size();
                requests.add(request);
            }
            Response r = answer.apply(n, request);
            byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", r.contentType());
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
