package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.StoreProbe.State;
import io.statetrail.service.port.StoreWatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sweeper's look at weakened stores against S3, DynamoDB and KMS as they answer on the wire (S3's REST XML,
 * DynamoDB's JSON 1.0, KMS's JSON 1.1), served on loopback: the real SDK clients, no mocks. Response bodies follow the
 * shapes of the API references' examples (GetBucketVersioning, DescribeTimeToLive, DescribeContinuousBackups,
 * DescribeTable, DescribeKey).
 */
class AwsStoreProbeTest {

    static final String ACCOUNT = "111111111111";
    static final String KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

    HttpServer server;
    /** "METHOD path-or-target" -> status and body. */
    final Map<String, String[]> answers = new ConcurrentHashMap<>();
    final List<String> asked = new ArrayList<>();
    AwsStoreProbe probe;
    final List<String> rolesAsked = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret"));
        var http = UrlConnectionHttpClient.create();
        S3Client s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.EU_WEST_1)
                .credentialsProvider(creds).httpClient(http).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(creds).httpClient(http).build();
        KmsClient kms = KmsClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1).credentialsProvider(creds)
                .httpClient(http).build();
        AwsStoreProbe.Clients clients = new AwsStoreProbe.Clients() {
            @Override
            public S3Client s3(Region region, String role) {
                rolesAsked.add(String.valueOf(role));
                return s3;
            }

            @Override
            public DynamoDbClient dynamoDb(Region region, String role) {
                rolesAsked.add(String.valueOf(role));
                return dynamo;
            }

            @Override
            public KmsClient kms(Region region, String role) {
                rolesAsked.add(String.valueOf(role));
                return kms;
            }
        };
        probe = new AwsStoreProbe(clients, account -> {
            if (ACCOUNT.equals(account)) {
                return null;
            }
            if ("999999999999".equals(account)) {
                throw new IllegalStateException("lock in account 999999999999 and no STATETRAIL_LOCK_READER_ROLE to read it");
            }
            return "arn:aws:iam::" + account + ":role/statetrail-lock-reader";
        }, Region.EU_WEST_1);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String target = x.getRequestHeaders().getFirst("X-Amz-Target");
        String key = x.getRequestMethod() + " " + (target != null ? target : x.getRequestURI().toString());
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (asked) {
            asked.add(key + " " + body);
        }
        String[] a = answers.getOrDefault(key, new String[] {"500", "{}"});
        byte[] out = a[1].getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", a[1].startsWith("<") ? "application/xml" : "application/x-amz-json-1.0");
        x.sendResponseHeaders(Integer.parseInt(a[0]), out.length);
        x.getResponseBody().write(out);
        x.close();
    }

    static StoreWatch watch(String store, String name, String setting, String account) {
        return new StoreWatch("f-" + setting, store, name, setting, account, "eu-west-1", Instant.parse("2026-11-17T08:10:31Z"),
                null, null, null, null);
    }

    @Test
    void bucketVersioningSuspendedIsWeak_enabledIsRestored() {
        answers.put("GET /acme-tfstate-tooling?versioning", new String[] {"200",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        + "<Status>Suspended</Status></VersioningConfiguration>"});
        StoreProbe.Check c = probe.check(watch("bucket", "acme-tfstate-tooling", "versioning", ACCOUNT));
        assertEquals(new StoreProbe.Check(State.WEAK, "Status: Suspended"), c);

        answers.put("GET /acme-tfstate-tooling?versioning", new String[] {"200",
                "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status>"
                        + "<MfaDelete>Disabled</MfaDelete></VersioningConfiguration>"});
        assertEquals(State.RESTORED, probe.check(watch("bucket", "acme-tfstate-tooling", "versioning", ACCOUNT)).state());
        assertEquals(List.of("null", "null"), rolesAsked, "our own account: no role");
    }

    @Test
    void lockTableTtlBackupsProtectionAndExistence() {
        String ttl = "POST DynamoDB_20120810.DescribeTimeToLive";
        answers.put(ttl, new String[] {"200", "{\"TimeToLiveDescription\":{\"AttributeName\":\"expires\",\"TimeToLiveStatus\":\"ENABLED\"}}"});
        assertEquals(new StoreProbe.Check(State.WEAK, "TimeToLiveStatus: ENABLED"), probe.check(watch("table", "acme-tf-locks", "ttl", ACCOUNT)));
        answers.put(ttl, new String[] {"200", "{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":\"DISABLED\"}}"});
        assertEquals(State.RESTORED, probe.check(watch("table", "acme-tf-locks", "ttl", ACCOUNT)).state());

        answers.put("POST DynamoDB_20120810.DescribeContinuousBackups", new String[] {"200", "{\"ContinuousBackupsDescription\":"
                + "{\"ContinuousBackupsStatus\":\"ENABLED\",\"PointInTimeRecoveryDescription\":{\"PointInTimeRecoveryStatus\":\"DISABLED\"}}}"});
        assertEquals(new StoreProbe.Check(State.WEAK, "PointInTimeRecoveryStatus: DISABLED"),
                probe.check(watch("table", "acme-tf-locks", "point-in-time-recovery", ACCOUNT)));

        answers.put("POST DynamoDB_20120810.DescribeTable", new String[] {"200", "{\"Table\":{\"TableName\":\"acme-tf-locks\","
                + "\"TableStatus\":\"ACTIVE\",\"DeletionProtectionEnabled\":true}}"});
        assertEquals(State.RESTORED, probe.check(watch("table", "acme-tf-locks", "deletion-protection", ACCOUNT)).state());
        assertEquals(State.RESTORED, probe.check(watch("table", "acme-tf-locks", "table", ACCOUNT)).state());

        answers.put("POST DynamoDB_20120810.DescribeTable", new String[] {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                + "ResourceNotFoundException\",\"message\":\"Requested resource not found: Table: acme-tf-locks not found\"}"});
        assertEquals(new StoreProbe.Check(State.WEAK, "no table acme-tf-locks in eu-west-1"),
                probe.check(watch("table", "acme-tf-locks", "table", ACCOUNT)));
        assertEquals(State.UNKNOWN, probe.check(watch("table", "acme-tf-locks", "restore", ACCOUNT)).state());
    }

    @Test
    void keyDisabledOrPendingDeletionIsWeak_inAMemberAccountThroughTheReaderRole() {
        String describe = "POST TrentService.DescribeKey";
        answers.put(describe, new String[] {"200", "{\"KeyMetadata\":{\"AWSAccountId\":\"222222222222\",\"Arn\":\"" + KEY_ARN
                + "\",\"KeyId\":\"0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\",\"KeyState\":\"PendingDeletion\",\"Enabled\":false,"
                + "\"DeletionDate\":1.7642016E9,\"KeyManager\":\"CUSTOMER\"}}"});
        assertEquals(new StoreProbe.Check(State.WEAK, "KeyState: PendingDeletion"), probe.check(watch("key", KEY_ARN, "key-deletion", "222222222222")));
        assertEquals(State.WEAK, probe.check(watch("key", KEY_ARN, "key-state", "222222222222")).state());
        assertEquals(List.of("arn:aws:iam::222222222222:role/statetrail-lock-reader", "arn:aws:iam::222222222222:role/statetrail-lock-reader"),
                rolesAsked);

        answers.put(describe, new String[] {"200", "{\"KeyMetadata\":{\"KeyId\":\"0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\",\"KeyState\":\"Disabled\"}}"});
        assertEquals(State.RESTORED, probe.check(watch("key", KEY_ARN, "key-deletion", ACCOUNT)).state(), "deletion cancelled");
        assertEquals(State.WEAK, probe.check(watch("key", KEY_ARN, "key-state", ACCOUNT)).state(), "still disabled");
        assertTrue(asked.stream().anyMatch(a -> a.contains("\"KeyId\":\"" + KEY_ARN + "\"")), "asked by the key's ARN: " + asked);
    }

    @Test
    void whatCannotBeSeenIsUnknownWithTheReason_neverRestored() {
        answers.put("POST TrentService.DescribeKey", new String[] {"400", "{\"__type\":\"AccessDeniedException\",\"message\":"
                + "\"User is not authorized to perform: kms:DescribeKey\"}"});
        StoreProbe.Check denied = probe.check(watch("key", KEY_ARN, "key-state", ACCOUNT));
        assertEquals(State.UNKNOWN, denied.state());
        assertTrue(denied.seen().contains("not authorized"), denied.seen());

        StoreProbe.Check noRole = probe.check(watch("bucket", "acme-tfstate-prod", "versioning", "999999999999"));
        assertEquals(StoreProbe.Check.unknown("lock in account 999999999999 and no STATETRAIL_LOCK_READER_ROLE to read it"), noRole);

        assertEquals(State.UNKNOWN, probe.check(watch("bucket", "acme-tfstate-prod", "policy", ACCOUNT)).state());
        assertEquals(State.UNKNOWN, probe.check(watch("key", KEY_ARN, "key-policy", ACCOUNT)).state());
        assertEquals(State.UNKNOWN, probe.check(watch("bucket", "acme-tfstate-prod", "versioning", ACCOUNT)).state(),
                "a server error is not an answer");
    }
}
