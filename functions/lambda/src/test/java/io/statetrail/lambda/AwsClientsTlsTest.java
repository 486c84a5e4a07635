package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The functions' HTTP client opens connections through the JDK (so TLS is set up on first use, not at cold start):
 * HTTPS must still be verified. A loopback server with a self-signed certificate is refused before any request
 * reaches it.
 */
class AwsClientsTlsTest {

    @Test
    void anUntrustedCertificateIsRefusedBeforeTheRequestIsSent(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "loopback", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"TableNames\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (AwsClients aws = new AwsClients(settings("https://127.0.0.1:" + server.getAddress().getPort()))) {
            SdkClientException refused = assertThrows(SdkClientException.class, () -> aws.dynamoDb().listTables());
            boolean handshake = false;
            for (Throwable t = refused; t != null; t = t.getCause()) {
                handshake |= t instanceof SSLHandshakeException;
            }
            assertTrue(handshake, "refused by the TLS handshake: " + refused);
            assertEquals(0, requests.get(), "no request reached the untrusted server");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void plainHttpEndpointsNeedNoTls() {
        try (AwsClients aws = new AwsClients(settings(TestStack.dynamo().endpoint().toString()))) {
            assertTrue(aws.dynamoDb().listTables().tableNames() != null);
        }
    }

    private static Settings settings(String endpoint) {
        return new Settings("t", null, null, null, null, null, null, 400, null, Duration.ofMinutes(15), List.of("eu-west-1"),
                endpoint, "eu-west-1", Duration.ofHours(1), Duration.ofMinutes(15), "111111111111", true,
                Duration.ofMinutes(15), null, List.of(), null, 1);
    }
}
