package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.micronaut.context.ApplicationContext;
import io.statetrail.core.finding.FindingType;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.policy.PolicyBound;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.sweep.Sweeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code io.statetrail.lambda.SweeperHandler::handleRequest}, every few minutes from EventBridge Scheduler (its input
 * is ignored): {@link Sweeper#sweep} (stale locks re-checked where they live, missing logins looked up in CloudTrail),
 * then every due alert delivery, including retries of failed ones. The {@link Sweeper} is that of the current policy
 * ({@link PolicyBound}, as the ingest function's {@code Ingestor}); logging and metrics are what is left here.
 */
public final class SweeperHandler implements RequestStreamHandler {

    private final AuditStore store;
    private final AlertDispatcher dispatcher;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    private final PolicyBound<Sweeper> sweepers;

    public SweeperHandler() {
        this(Functions.context());
    }

    public SweeperHandler(ApplicationContext context) {
        this.store = context.getBean(AuditStore.class);
        this.dispatcher = context.getBean(AlertDispatcher.class);
        this.clock = context.getBean(Clock.class);
        this.log = context.getBean(Log.class);
        this.metrics = new Metrics(System.out, clock);
        LockProbe locks = context.getBean(LockProbe.class);
        TrailLookup lookup = context.getBean(TrailLookup.class);
        Settings settings = context.getBean(Settings.class);
        this.sweepers = new PolicyBound<>(context.getBean(PolicyCache.class)::current, p -> new Sweeper(store, p, locks, lookup,
                dispatcher.destinations(), settings.staleLockReminder(), settings.unattributedGrace(), new Settle(settings.settleWindow())));
        Priming.register(context, AwsClients.SWEEPER_CLIENTS, () -> {
            sweepers.get();
            store.dueDeliveries(Instant.EPOCH, 1);
        });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        input.readAllBytes();
        Result r = run(clock.instant());
        output.write(("{\"staleRaised\":" + r.sweep().staleRaised() + ",\"alertsSent\":" + r.dispatch().alertsSent()
                + ",\"alertFailures\":" + r.dispatch().failures() + "}").getBytes(StandardCharsets.UTF_8));
    }

    public record Result(Sweeper.SweepResult sweep, AlertDispatcher.DispatchResult dispatch) {
    }

    public Result run(Instant now) {
        try {
            Sweeper.SweepResult s = sweepers.get().sweep(now);
            metrics.finding(FindingType.STALE_LOCK.id(), s.staleRaised());
            metrics.finding(FindingType.UNATTRIBUTED_SESSION.id(), s.unattributedRaised());
            log.info("sweep done").with("locksChecked", s.locksChecked()).with("staleRaised", s.staleRaised())
                    .with("reminders", s.reminders()).with("resolved", s.resolved()).with("unverified", s.unverified())
                    .with("lookedUp", s.lookedUp()).with("unattributedRaised", s.unattributedRaised())
                    .with("summariesIndexed", s.summariesIndexed()).with("bulkDeletesJudged", s.bulkDeletesJudged())
                    .with("bulkDeletesRaised", s.bulkDeletesRaised()).write();
            if (s.indexError() != null) {
                log.warn("completing the runs indexes failed; the next sweep resumes").with("error", s.indexError()).write();
            }
            AlertDispatcher.DispatchResult d = dispatcher.dispatchDue(now);
            metrics.count(Metrics.ALERT_FAILURES, d.failures());
            log.info("alerts dispatched").with("alerts", d.alertsSent()).with("delivered", d.findingsDelivered())
                    .with("failures", d.failures()).with("held", d.held()).write();
            return new Result(s, d);
        } finally {
            metrics.flush(Metrics.ALERT_FAILURES);
        }
    }
}
