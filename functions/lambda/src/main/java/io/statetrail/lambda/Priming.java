package io.statetrail.lambda;

import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.AlertJson;
import io.statetrail.alerts.SlackMessage;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.service.alert.Alert;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.warmup.SdkWarmUp;

/**
 * SnapStart priming: before the snapshot, run the code paths of a first invocation once so the restored function
 * starts with those classes loaded and initialised. First the SDK's own client warm-up ({@link SdkWarmUp}, SDK
 * 2.57.8+) for the clients the function calls: each client's request and response pipeline against a canned local
 * response, and the HTTP client's connection setup (TLS included) with one unsigned request to the regional STS
 * endpoint, which needs no credentials and costs nothing. Then the function's own paths: Jackson on a real event, the
 * alert JSON, the store's read path with a real request. Failures are ignored: priming only saves time. Outside
 * SnapStart (CRaC absent) nothing runs.
 */
final class Priming implements Resource {

    /** CRaC keeps resources weakly: hold them here. */
    private static final List<Priming> REGISTERED = new ArrayList<>();

    private final ApplicationContext context;
    private final List<Class<? extends SdkClient>> clients;
    private final Runnable prime;

    private Priming(ApplicationContext context, List<Class<? extends SdkClient>> clients, Runnable prime) {
        this.context = context;
        this.clients = List.copyOf(clients);
        this.prime = prime;
    }

    /** @param clients the SDK clients the function may call (the others stay cold: they are not in its path) */
    static void register(ApplicationContext context, List<Class<? extends SdkClient>> clients, Runnable prime) {
        Priming p = new Priming(context, clients, prime);
        synchronized (REGISTERED) {
            REGISTERED.add(p);
        }
        Core.getGlobalContext().register(p);
    }

    /** What was registered, latest last (tests run it as SnapStart would). */
    static List<Priming> registered() {
        synchronized (REGISTERED) {
            return List.copyOf(REGISTERED);
        }
    }

    List<Class<? extends SdkClient>> clients() {
        return clients;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> crac) {
        try {
            SdkWarmUp.warmUp(clients.toArray(Class[]::new));
        } catch (RuntimeException e) {
            context.getBean(Log.class).warn("SDK client warm-up failed (only slower cold starts)").raw("error", String.valueOf(e)).write();
        }
        try {
            prime.run();
        } catch (RuntimeException e) {
            context.getBean(Log.class).warn("priming failed (only slower cold starts)").raw("error", String.valueOf(e)).write();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> crac) {
        // Nothing to renew: credentials are resolved per request by the default provider chain.
    }

    /** Reads the bundled sample event and writes a sample alert, loading what the first real ones need. */
    static void warmJson(RecordReader reader) {
        try (InputStream in = Priming.class.getResourceAsStream("/priming/event.json")) {
            if (in != null && reader != null) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                List<TrailEvent> events = new ArrayList<>();
                reader.readString("priming", json, new RecordSink() {
                    @Override
                    public void relevant(String source, long line, List<TrailEvent> found) {
                        events.addAll(found);
                    }

                    @Override
                    public void irrelevant() {
                    }

                    @Override
                    public void malformed(Malformed malformed) {
                    }
                });
            }
        } catch (IOException e) {
            // only a warm-up
        }
        Finding f = new Finding("priming", "unexpected-subject", Severity.HIGH, Instant.EPOCH, "000000000000", "repo:o/r:ref:refs/heads/x",
                "o/r", "refs/heads/x", "arn:aws:iam::000000000000:role/r", null, "ASIAPRIMING", "ASIAPRIMING", List.of(), List.of("e"),
                "priming", 1, Map.of(), null, false);
        Alert a = new Alert("priming", f.type(), f.severity(), List.of(f), null);
        AlertJson.messageText(a, f);
        SlackMessage.json(a);
    }
}
