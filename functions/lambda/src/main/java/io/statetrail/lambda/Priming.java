package io.statetrail.lambda;

import io.micronaut.context.ApplicationContext;
import io.statetrail.alerts.AlertJson;
import io.statetrail.alerts.SlackMessage;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.record.Malformed;
import io.statetrail.core.record.RecordReader;
import io.statetrail.core.record.RecordSink;
import io.statetrail.core.record.TrailEvent;
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

/**
 * SnapStart priming: before the snapshot, run the code paths of a first invocation once (Jackson on a real event, the
 * alert JSON, the SDK clients' request pipeline against the store) so the restored function starts with those classes
 * loaded and initialised. Failures are ignored: priming only saves time. Outside SnapStart (CRaC absent) nothing runs.
 */
final class Priming implements Resource {

    /** CRaC keeps resources weakly: hold them here. */
    private static final List<Priming> REGISTERED = new ArrayList<>();

    private final ApplicationContext context;
    private final Runnable prime;

    private Priming(ApplicationContext context, Runnable prime) {
        this.context = context;
        this.prime = prime;
    }

    static void register(ApplicationContext context, Runnable prime) {
        Priming p = new Priming(context, prime);
        synchronized (REGISTERED) {
            REGISTERED.add(p);
        }
        Core.getGlobalContext().register(p);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> crac) {
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
