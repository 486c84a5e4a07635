package io.statetrail.store.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.shared.access.sqlite.SQLiteLibraryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local running in this JVM, for the CLI and tests; never in a Lambda (its jar is an optional dependency of
 * this module, see the pom).
 *
 * <p>It runs DynamoDB Local's own HTTP server on a free loopback port rather than {@code DynamoDBEmbedded}'s in-process
 * client, for two reasons: the server persists to a folder ({@code -dbPath}, {@code -sharedDb}) so {@code ./statetrail
 * ingest} and {@code ./statetrail findings} see one table, and the client is then an ordinary SDK client (URL connection
 * HTTP, request pipeline and interceptors included), the same code path as in AWS. Set {@code DDB_LOCAL_TELEMETRY=0}.
 */
public final class LocalDynamo implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final List<DynamoDbClient> clients = new ArrayList<>();

    private LocalDynamo(DynamoDBProxyServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /** A table that lives as long as this object. */
    public static LocalDynamo inMemory() {
        return start(List.of("-inMemory"));
    }

    /** A table persisted in {@code dir} (created if needed), shared by every run that uses the same folder. */
    public static LocalDynamo persistent(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return start(List.of("-dbPath", dir.toAbsolutePath().toString(), "-sharedDb"));
    }

    private static LocalDynamo start(List<String> storage) {
        try {
            // SQLite natives ship inside DynamoDB Local's jar; this extracts and loads them (the embedded client does too).
            SQLiteLibraryLoader.initialize();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load DynamoDB Local's SQLite natives: " + e, e);
        }
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> args = new ArrayList<>(storage);
            args.addAll(List.of("-port", String.valueOf(port), "-disableTelemetry"));
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                server.start();
                return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port));
            } catch (Exception e) {
                last = e; // the port was taken between probing and binding: try another
            }
        }
        throw new IllegalStateException("cannot start DynamoDB Local: " + last, last);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client for this instance, with optional interceptors (tests count requests with one). */
    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        for (ExecutionInterceptor i : interceptors) {
            override.addExecutionInterceptor(i);
        }
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(override.build())
                .build();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(DynamoDbClient::close);
            clients.clear();
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
