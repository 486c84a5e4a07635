package io.statetrail.api;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.sweep.Sweeper;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The demo data, once per test JVM: DynamoDB Local in memory, every sample under {@code events/} ingested through the
 * {@link Ingestor} (as {@code ./statetrail ingest} does), then one sweep at {@link #NOW} (stale locks, unattributed
 * sessions), and the API served over it on a free loopback port with its clock pinned at {@link #NOW}.
 */
final class DemoTrail {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();
    /** After every sample (2026-11-02 … 2026-11-18): the stale lock is still held then, bulk deletes are past the grace. */
    static final String NOW = "2026-11-21T00:00:00Z";
    static final int HOURS_OF_RUNS = 24 * 30;

    static final String STALE_LOCK_STATE = "acme-tfstate-prod/infra/queues/terraform.tfstate";
    static final String STALE_LOCK_RUN = "ASIAW6NHX2PAEYKH2CMZ";
    static final String HOSTILE_BRANCH = "<img src=x onerror=alert(1)>";

    // pull-request-writes-prod-state: a PR run two hops away from the prod state it writes.
    static final String CHAIN_REPOSITORY = "acme/infra";
    static final String CHAIN_SUBJECT = "repo:acme/infra:pull_request";
    static final String CHAIN_STATE = "acme-tfstate-prod/infra/database/terraform.tfstate";
    static final String CHAIN_RUN = "ASIARZ4TQ7KXBTKIKGKC";
    static final String CHAIN_LAST_HOP = "ASIAW6NHX2PAKCWQIIRG";
    static final List<String> CHAIN_ROLES = List.of("gha-tooling-plan", "terraform-runner", "terraform-prod");
    static final List<String> CHAIN_ACCOUNTS = List.of("111111111111", "111111111111", "222222222222");

    private static LocalDynamo dynamo;
    private static DynamoAuditStore store;
    private static ApiServer server;
    static int ingestedFiles;
    static int malformed;

    private DemoTrail() {
    }

    static synchronized DynamoAuditStore store() {
        if (store == null) {
            long t0 = System.nanoTime();
            dynamo = LocalDynamo.inMemory();
            DynamoDbClient client = dynamo.client();
            AuditTable.create(client, DynamoAuditStore.DEFAULT_TABLE);
            store = new DynamoAuditStore(client, DynamoAuditStore.DEFAULT_TABLE);
            Policy policy = PolicyLoader.load(policyWithSuppression());
            Clock clock = Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC);
            Ingestor ingestor = new Ingestor(store, policy, List.of(), clock);
            for (Path file : files(EVENTS)) {
                for (Message m : messages(file)) {
                    IngestResult r = ingestor.ingest(m.source(), m.json());
                    malformed += r.malformed().size();
                }
                ingestedFiles++;
            }
            LockProbe cannotLook = (stateKey, lockStore, account, region) -> LockProbe.Probe.unknown("demo: no AWS access");
            new Sweeper(store, policy, cannotLook, (key, from, to) -> List.of(), List.of(), Duration.ofHours(4), Duration.ofMinutes(30))
                    .sweep(Instant.parse(NOW));
            System.err.printf("demo trail: %d files from %s ingested into DynamoDB Local in %.1f s%n",
                    ingestedFiles, EVENTS, (System.nanoTime() - t0) / 1e9);
            Runtime.getRuntime().addShutdownHook(new Thread(DemoTrail::close));
        }
        return store;
    }

    /** The suppression the demo adds to the samples' policy: dependabot's refused logins are accepted. */
    static final String SUPPRESSED_SUBJECT = "repo:acme/infra:ref:refs/heads/dependabot/terraform/hashicorp/aws-6.2.0";
    static final String SUPPRESSION_REASON = "dependabot branches never apply <b>(SEC-88)</b>";

    /** events/policy.yaml plus one {@code suppressions:} entry, so the dashboard shows a suppressed finding. */
    private static Path policyWithSuppression() {
        try {
            Path file = Files.createTempFile("statetrail-demo-policy", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, Files.readString(EVENTS.resolve("policy.yaml")) + """

                    suppressions:
                      - type: web-identity-denied
                        subject: "repo:acme/infra:ref:refs/heads/dependabot/*"
                        reason: "%s"
                    """.formatted(SUPPRESSION_REASON));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized ApiServer server() {
        if (server == null) {
            server = ApiServer.start(store(), 0, NOW);
        }
        return server;
    }

    private static synchronized void close() {
        if (server != null) {
            server.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    record Message(String source, String json) {
    }

    /** The files replay and ingest read (by their content, whatever their names), in a stable order. */
    static List<Path> files(Path root) {
        return io.statetrail.core.replay.Replay.files(List.of(root));
    }

    /** One message per file, or per line of JSON Lines (as EventBridge delivers them one by one). */
    static List<Message> messages(Path file) {
        try {
            String name = file.getFileName().toString();
            String text;
            try (InputStream in = io.statetrail.core.cloudtrail.RecordReader.open(file)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!name.endsWith(".jsonl") && !name.endsWith(".log")) {
                return List.of(new Message(EVENTS.relativize(file).toString(), text));
            }
            List<String> lines = text.lines().toList();
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> !lines.get(i).isBlank())
                    .mapToObj(i -> new Message(EVENTS.relativize(file) + ":" + (i + 1), lines.get(i)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
