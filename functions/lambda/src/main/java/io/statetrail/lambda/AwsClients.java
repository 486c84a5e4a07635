package io.statetrail.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * SDK clients, each built on first use (a function builds only what it calls), all on one URL-connection HTTP client
 * (small, no extra threads, quick to start, TLS set up on first use) and with the region given rather than discovered. Clients for other
 * regions and member accounts (lock reading through {@code STATETRAIL_LOCK_READER_ROLE}) are cached too.
 */
public final class AwsClients implements AutoCloseable {

    /**
     * The clients the ingest function may call: the audit table and lock tables, lock bodies in S3, the lock-reader
     * role, alerts (SNS, the Slack webhook's secret) and the policy (SSM or S3).
     */
    static final List<Class<? extends SdkClient>> EVENT_FUNCTION_CLIENTS = List.of(DynamoDbClient.class, S3Client.class, StsClient.class,
            SnsClient.class, SecretsManagerClient.class, SsmClient.class);
    /**
     * The sweeper's: the ingest function's, CloudTrail's LookupEvents for logins that never arrived, and KMS's
     * DescribeKey for weakened state keys (issue 19).
     */
    static final List<Class<? extends SdkClient>> SWEEPER_CLIENTS = List.of(DynamoDbClient.class, S3Client.class, StsClient.class,
            SnsClient.class, SecretsManagerClient.class, SsmClient.class, CloudTrailClient.class, KmsClient.class);

    /** The session name of lock reading (and store checks) in a member account's role: what that account's CloudTrail shows. */
    public static final String LOCK_READER_SESSION = "statetrail-lock-reader";
    /**
     * The session name of posture's IAM reads in a member account's role, so its CloudTrail says which job read; the
     * statetrail-member module lets only this session list and read roles.
     */
    public static final String POSTURE_SESSION = "statetrail-posture";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final Settings settings;
    private final Supplier<SdkHttpClient> http = memo(() -> UrlConnectionHttpClient.create(AwsClients::connect));
    private final Supplier<AwsCredentialsProvider> credentials = memo(DefaultCredentialsProvider::create);
    private final Map<String, Object> clients = new ConcurrentHashMap<>();

    public AwsClients(Settings settings) {
        this.settings = settings;
        keepConnectionsFor(settings.ingestConcurrency());
    }

    /**
     * The JDK's HTTP client, under {@link UrlConnectionHttpClient}, keeps at most {@code http.maxConnections} idle
     * connections per host (5 unless set), read at the first connection: with more ingest lanes than that, every
     * request beyond it would open a new connection (a TCP and TLS handshake). One per lane; a value set on the
     * command line ({@code JAVA_TOOL_OPTIONS=-Dhttp.maxConnections=…}) wins.
     */
    static void keepConnectionsFor(int lanes) {
        if (System.getProperty("http.maxConnections") == null && lanes > 5) {
            System.setProperty("http.maxConnections", Integer.toString(lanes));
        }
    }

    /**
     * Connections opened by the JDK itself: TLS (the JDK's default context, trust store and hostname check, as the SDK
     * would set them) is then set up on the first HTTPS connection, not when the client is built, which a cold start
     * against DynamoDB Local or one that never leaves plain HTTP does not pay for (about 0.2 s). Proxies come from the
     * JVM's {@code https.proxyHost} properties, not from {@code HTTPS_PROXY}.
     */
    private static HttpURLConnection connect(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) READ_TIMEOUT.toMillis());
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A local run (DynamoDB Local): there is no S3, STS or CloudTrail to ask. */
    public boolean local() {
        return settings.dynamodbEndpoint() != null;
    }

    public Region home() {
        return Region.of(settings.region());
    }

    public DynamoDbClient dynamoDb() {
        return client("dynamodb", () -> {
            if (settings.dynamodbEndpoint() == null) {
                return configure(DynamoDbClient.builder(), home(), credentials.get()).build();
            }
            // DynamoDB Local checks no signature: dummy credentials, so a local run needs no AWS profile.
            var b = configure(DynamoDbClient.builder(), home(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            b.endpointOverride(URI.create(settings.dynamodbEndpoint()));
            return b.build();
        });
    }

    public SnsClient sns() {
        return client("sns", () -> configure(SnsClient.builder(), home(), credentials.get()).build());
    }

    public EventBridgeClient eventBridge() {
        return client("eventbridge", () -> configure(EventBridgeClient.builder(), home(), credentials.get()).build());
    }

    public SqsClient sqs() {
        return client("sqs", () -> configure(SqsClient.builder(), home(), credentials.get()).build());
    }

    public SsmClient ssm() {
        return client("ssm", () -> configure(SsmClient.builder(), home(), credentials.get()).build());
    }

    public SecretsManagerClient secrets() {
        return client("secrets", () -> configure(SecretsManagerClient.builder(), home(), credentials.get()).build());
    }

    public S3Client s3(Region region) {
        return client("s3:" + region, () -> configure(S3Client.builder(), region, credentials.get()).build());
    }

    /**
     * S3 wherever a bucket lives: the client finds a bucket's region on its first request (a trail bucket of an
     * organization is often in another region than statetrail).
     */
    public S3Client s3AnyRegion() {
        return client("s3:any", () -> configure(S3Client.builder(), home(), credentials.get()).crossRegionAccessEnabled(true).build());
    }

    public StsClient sts() {
        return client("sts", () -> configure(StsClient.builder(), home(), credentials.get()).build());
    }

    public CloudTrailClient cloudTrail(Region region) {
        return client("cloudtrail:" + region, () -> configure(CloudTrailClient.builder(), region, credentials.get()).build());
    }

    /** DynamoDB in another region or, through the lock-reader role, another account ({@code account} null: ours). */
    public DynamoDbClient dynamoDb(Region region, String roleArn) {
        if (settings.dynamodbEndpoint() != null) {
            return dynamoDb(); // local: lock tables live in the same DynamoDB Local
        }
        return client("dynamodb:" + region + ":" + roleArn,
                () -> configure(DynamoDbClient.builder(), region, credentials(roleArn, LOCK_READER_SESSION)).build());
    }

    /**
     * IAM, a global service signed for its partition's global region, in our account ({@code roleArn} null) or through a
     * member account's role: posture's ListRoles, GetRole and ListOpenIDConnectProviders. Not primed: it runs once a day.
     */
    public IamClient iam(String roleArn) {
        Region global = iamRegion(home());
        return client("iam:" + roleArn, () -> configure(IamClient.builder(), global, credentials(roleArn, POSTURE_SESSION)).build());
    }

    /** IAM's signing region: aws-global, or the China or GovCloud partition's. */
    public static Region iamRegion(Region home) {
        String id = home.id();
        return id.startsWith("cn-") ? Region.AWS_CN_GLOBAL : id.startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
    }

    public S3Client s3(Region region, String roleArn) {
        return client("s3:" + region + ":" + roleArn,
                () -> configure(S3Client.builder(), region, credentials(roleArn, LOCK_READER_SESSION)).build());
    }

    /** KMS in a region, through the lock-reader role for another account's keys ({@code roleArn} null: ours). */
    public KmsClient kms(Region region, String roleArn) {
        return client("kms:" + region + ":" + roleArn,
                () -> configure(KmsClient.builder(), region, credentials(roleArn, LOCK_READER_SESSION)).build());
    }

    /** Our own credentials ({@code roleArn} null), or a session of that role named for the job that uses it. */
    private AwsCredentialsProvider credentials(String roleArn, String sessionName) {
        if (roleArn == null) {
            return credentials.get();
        }
        return client("role:" + roleArn + ":" + sessionName, () -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts())
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(sessionName).durationSeconds(900))
                .build());
    }

    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> B configure(B builder, Region region,
                                                                                           AwsCredentialsProvider creds) {
        return builder.region(region).credentialsProvider(creds).httpClient(http.get());
    }

    @SuppressWarnings("unchecked")
    private <T> T client(String key, Supplier<T> create) {
        return (T) clients.computeIfAbsent(key, k -> create.get());
    }

    /** Whether any client was built (priming builds them before a SnapStart snapshot). */
    public boolean isEmpty() {
        return clients.isEmpty();
    }

    public static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            value = v = s.get();
                        }
                    }
                }
                return v;
            }
        };
    }

    @Override
    public void close() {
        for (Object c : clients.values()) {
            if (c instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception ignored) {
                    // closing on shutdown: nothing left to do
                }
            }
        }
    }

}
