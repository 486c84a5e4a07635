package io.statetrail.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * S3 and SQS on 127.0.0.1, answering in the services' own wire formats: S3's REST API (path-style {@code GET
 * /bucket/key}, errors as S3's XML {@code <Error><Code>…}) and SQS's AWS JSON 1.0 protocol ({@code X-Amz-Target:
 * AmazonSQS.SendMessageBatch}, with the {@code MD5OfMessageBody} the SDK checks). Objects can be scripted to fail: a
 * number of {@code SlowDown} answers first, or an error every time.
 */
final class LoopbackAws implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An S3 error answer: status, S3 error code, message. */
    record S3Error(int status, String code, String message) {
    }

    /** One SendMessageBatch request as received. */
    record SendBatch(String queueUrl, List<String> ids, List<String> bodies) {
    }

    private final HttpServer server;
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Errors to answer before the object, per "bucket/key". */
    final Map<String, List<S3Error>> errorsFirst = new ConcurrentHashMap<>();
    /** An error answered every time, per "bucket/key". */
    final Map<String, S3Error> alwaysError = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    final List<SendBatch> sends = Collections.synchronizedList(new ArrayList<>());

    LoopbackAws() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    S3Client s3() {
        return S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOOPBACK", "loopback")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOOPBACK", "loopback")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] request = x.getRequestBody().readAllBytes();
        String target = x.getRequestHeaders().getFirst("X-Amz-Target");
        if ("POST".equals(x.getRequestMethod()) && target != null) {
            sqs(x, target, request);
        } else if ("GET".equals(x.getRequestMethod())) {
            s3Get(x);
        } else {
            answer(x, 405, "application/xml", s3Error("MethodNotAllowed", "not served here").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void s3Get(HttpExchange x) throws IOException {
        String path = URLDecoder.decode(x.getRequestURI().getRawPath(), StandardCharsets.UTF_8).substring(1);
        gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        S3Error e = alwaysError.get(path);
        List<S3Error> first = errorsFirst.get(path);
        if (e == null && first != null && !first.isEmpty()) {
            e = first.remove(0);
        }
        if (e != null) {
            answer(x, e.status(), "application/xml", s3Error(e.code(), e.message()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = objects.get(path);
        if (body == null) {
            answer(x, 404, "application/xml", s3Error("NoSuchKey", "The specified key does not exist.").getBytes(StandardCharsets.UTF_8));
            return;
        }
        x.getResponseHeaders().add("ETag", "\"" + md5(body) + "\"");
        answer(x, 200, "application/octet-stream", body);
    }

    private static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>loopback</HostId></Error>";
    }

    private void sqs(HttpExchange x, String target, byte[] request) throws IOException {
        if (!"AmazonSQS.SendMessageBatch".equals(target)) {
            answer(x, 400, "application/x-amz-json-1.0", ("{\"__type\":\"com.amazonaws.sqs#InvalidAction\",\"message\":\"" + target + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode in = JSON.readTree(request);
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode ok = out.putArray("Successful");
        out.putArray("Failed");
        for (JsonNode e : in.path("Entries")) {
            ids.add(e.path("Id").asText());
            bodies.add(e.path("MessageBody").asText());
            ok.addObject().put("Id", e.path("Id").asText()).put("MessageId", UUID.randomUUID().toString())
                    .put("MD5OfMessageBody", md5(e.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8)));
        }
        sends.add(new SendBatch(in.path("QueueUrl").asText(), ids, bodies));
        answer(x, 200, "application/x-amz-json-1.0", JSON.writeValueAsBytes(out));
    }

    private static void answer(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.getResponseHeaders().add("x-amz-request-id", "4442587FB7D0A2F9");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
        x.close();
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
