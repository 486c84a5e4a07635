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
import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.RoleInventory;
import io.statetrail.service.posture.PostureSweep;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.sweep.SuppressionCheck;
import io.statetrail.service.sweep.Sweeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code io.statetrail.lambda.SweeperHandler::handleRequest}, every few minutes from EventBridge Scheduler:
 * {@link Sweeper#sweep} (stale locks re-checked where they live, missing logins looked up in CloudTrail), then every due
 * alert delivery, including retries of failed ones. The {@link Sweeper} is that of the current policy
 * ({@link PolicyBound}, as the ingest function's {@code Ingestor}); logging and metrics are what is left here. Once a day
 * the posture schedule invokes it with {@code {"task":"posture"}}: the IAM roles of each account
 * ({@code STATETRAIL_POSTURE_ACCOUNTS}, default the functions' own) are judged ({@link PostureSweep}), then the alerts go
 * out.
 */
public final class SweeperHandler implements RequestStreamHandler {

    private final AuditStore store;
    private final AlertDispatcher dispatcher;
    private final PolicyBound<PostureSweep> postures;
    private final Supplier<List<String>> postureAccounts;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    private final PolicyBound<Sweeper> sweepers;
    private final PolicyBound<SuppressionCheck> suppressions;

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
        StoreProbe stores = context.getBean(StoreProbe.class);
        this.sweepers = new PolicyBound<>(context.getBean(PolicyCache.class)::current, p -> new Sweeper(store, p, locks, stores, lookup,
                dispatcher.destinations(), settings.staleLockReminder(), settings.unattributedGrace(), new Settle(settings.settleWindow())));
        AuditQueries queries = context.getBean(AuditQueries.class);
        this.suppressions = new PolicyBound<>(context.getBean(PolicyCache.class)::current, p -> new SuppressionCheck(p, queries::findings));
        RoleInventory roles = context.getBean(RoleInventory.class);
        this.postures = new PolicyBound<>(context.getBean(PolicyCache.class)::current,
                p -> new PostureSweep(store, p, roles, dispatcher.destinations(), new Settle(settings.settleWindow())));
        Supplier<String> home = StatetrailFactory.homeAccount(settings, context.getBean(AwsClients.class));
        this.postureAccounts = () -> settings.postureAccounts().isEmpty() ? List.of(home.get()) : settings.postureAccounts();
        Priming.register(context, AwsClients.SWEEPER_CLIENTS, () -> {
            sweepers.get();
            store.dueDeliveries(Instant.EPOCH, 1);
        });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        log.requestId(lambda == null ? null : lambda.getAwsRequestId());
        if (POSTURE.equals(task(input.readAllBytes()))) {
            PostureResult p = posture(clock.instant());
            output.write(("{\"postureRaised\":" + p.posture().raised() + ",\"postureOpen\":" + p.posture().open()
                    + ",\"accountsFailed\":" + p.posture().failures().size() + ",\"alertsSent\":" + p.dispatch().alertsSent()
                    + ",\"alertFailures\":" + p.dispatch().failures() + "}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        Result r = run(clock.instant());
        output.write(("{\"staleRaised\":" + r.sweep().staleRaised() + ",\"alertsSent\":" + r.dispatch().alertsSent()
                + ",\"alertFailures\":" + r.dispatch().failures() + "}").getBytes(StandardCharsets.UTF_8));
    }

    static final String POSTURE = "posture";

    /** The scheduler's input: {@code {"task":"posture"}} for the daily posture run, anything else (or nothing) a sweep. */
    static String task(byte[] input) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(input).path("task").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public record Result(Sweeper.SweepResult sweep, AlertDispatcher.DispatchResult dispatch) {
    }

    public record PostureResult(PostureSweep.Result posture, AlertDispatcher.DispatchResult dispatch) {
    }

    /** The daily posture run: every account's roles judged, a role fixed since resolved, then the due alerts sent. */
    public PostureResult posture(Instant now) {
        try {
            PostureSweep.Result p = postures.get().run(postureAccounts.get(), now);
            log.info("posture done").with("accounts", p.accounts()).with("roles", p.roles()).with("raised", p.raised())
                    .with("open", p.open()).with("accountsFailed", p.failures().size()).write();
            for (String failure : p.failures()) {
                log.warn("an account's IAM roles could not be read; its posture findings stay as they were").with("error", failure).write();
            }
            metrics.count(Metrics.POSTURE_FAILURES, p.failures().size());
            p.raisedByType().forEach(metrics::finding);
            reviewSuppressions(now);
            AlertDispatcher.DispatchResult d = dispatcher.dispatchDue(now);
            metrics.count(Metrics.ALERT_FAILURES, d.failures());
            log.info("alerts dispatched").with("alerts", d.alertsSent()).with("delivered", d.findingsDelivered())
                    .with("failures", d.failures()).with("held", d.held()).write();
            return new PostureResult(p, d);
        } finally {
            metrics.flush(Metrics.ALERT_FAILURES, Metrics.POSTURE_FAILURES, Metrics.SUPPRESSIONS_TO_REVIEW);
        }
    }

    /**
     * Once a day: a log line per {@code suppressions:} entry that expired, expires within a week or matched nothing for
     * 30 days, and their count as a metric (an alarm on it is the operator's choice). Not a finding: it is about the
     * policy, not the trail, and it must not page. A failure here must not keep the posture run's alerts from going out.
     */
    private void reviewSuppressions(Instant now) {
        try {
            List<io.statetrail.core.policy.SuppressionReview.Item> items = suppressions.get().run(now);
            for (io.statetrail.core.policy.SuppressionReview.Item i : items) {
                log.warn("suppression to review: " + i.text()).with("line", i.suppression().line()).with("type", i.suppression().type())
                        .with("kind", i.kind().id()).with("reason", i.suppression().reason())
                        .with("expires", i.suppression().expires() == null ? null : i.suppression().expires().toString()).write();
            }
            metrics.count(Metrics.SUPPRESSIONS_TO_REVIEW, items.size());
        } catch (RuntimeException e) {
            log.warn("reviewing the policy's suppressions failed; the next daily run tries again").with("error", e.toString()).write();
        }
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
                    .with("bulkDeletesRaised", s.bulkDeletesRaised()).with("storesChecked", s.storesChecked())
                    .with("storesResolved", s.storesResolved()).with("storesUnverified", s.storesUnverified()).write();
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
