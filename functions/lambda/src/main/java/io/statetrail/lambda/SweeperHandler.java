package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.micronaut.context.ApplicationContext;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.policy.Policy;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.RoleInventory;
import io.statetrail.service.posture.PostureSweep;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.sweep.Sweeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code io.statetrail.lambda.SweeperHandler::handleRequest}, every few minutes from EventBridge Scheduler:
 * {@link Sweeper#sweep} (stale locks re-checked where they live, missing logins looked up in CloudTrail), then every due
 * alert delivery, including retries of failed ones. Once a day the posture schedule invokes it with
 * {@code {"task":"posture"}}: the IAM roles of each account ({@code STATETRAIL_POSTURE_ACCOUNTS}, default the functions'
 * own) are judged ({@link PostureSweep}), then the alerts go out.
 */
public final class SweeperHandler implements RequestStreamHandler {

    private final AuditStore store;
    private final PolicyCache policies;
    private final AlertDispatcher dispatcher;
    private final LockProbe locks;
    private final TrailLookup lookup;
    private final RoleInventory roles;
    private final java.util.function.Supplier<String> home;
    private final Settings settings;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    private Policy policy;
    private Sweeper sweeper;

    public SweeperHandler() {
        this(Functions.context());
    }

    public SweeperHandler(ApplicationContext context) {
        this.store = context.getBean(AuditStore.class);
        this.policies = context.getBean(PolicyCache.class);
        this.dispatcher = context.getBean(AlertDispatcher.class);
        this.locks = context.getBean(LockProbe.class);
        this.lookup = context.getBean(TrailLookup.class);
        this.roles = context.getBean(RoleInventory.class);
        this.settings = context.getBean(Settings.class);
        this.home = StatetrailFactory.homeAccount(settings, context.getBean(AwsClients.class));
        this.clock = context.getBean(Clock.class);
        this.log = context.getBean(Log.class);
        this.metrics = new Metrics(System.out, clock);
        Priming.register(context, AwsClients.SWEEPER_CLIENTS, () -> {
            sweeper();
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
            List<String> accounts = settings.postureAccounts().isEmpty() ? List.of(home.get()) : settings.postureAccounts();
            PostureSweep.Result p = new PostureSweep(store, policies.current(), roles, dispatcher.destinations(),
                    new io.statetrail.service.finding.Settle(settings.settleWindow())).run(accounts, now);
            log.info("posture done").with("accounts", p.accounts()).with("roles", p.roles()).with("raised", p.raised())
                    .with("open", p.open()).with("accountsFailed", p.failures().size()).write();
            for (String failure : p.failures()) {
                log.warn("an account's IAM roles could not be read; its posture findings stay as they were").with("error", failure).write();
            }
            metrics.count(Metrics.POSTURE_FAILURES, p.failures().size());
            p.raisedByType().forEach(metrics::finding);
            AlertDispatcher.DispatchResult d = dispatcher.dispatchDue(now);
            metrics.count(Metrics.ALERT_FAILURES, d.failures());
            log.info("alerts dispatched").with("alerts", d.alertsSent()).with("delivered", d.findingsDelivered())
                    .with("failures", d.failures()).with("held", d.held()).write();
            return new PostureResult(p, d);
        } finally {
            metrics.flush(Metrics.ALERT_FAILURES, Metrics.POSTURE_FAILURES);
        }
    }

    public Result run(Instant now) {
        try {
            Sweeper.SweepResult s = sweeper().sweep(now);
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

    private Sweeper sweeper() {
        Policy current = policies.current();
        if (current != policy) {
            policy = current;
            sweeper = new Sweeper(store, current, locks, lookup, dispatcher.destinations(), settings.staleLockReminder(),
                    settings.unattributedGrace(), new io.statetrail.service.finding.Settle(settings.settleWindow()));
        }
        return sweeper;
    }
}
