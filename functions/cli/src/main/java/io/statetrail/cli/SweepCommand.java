package io.statetrail.cli;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.StateDeleted;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.lambda.Settings;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.sweep.Sweeper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import io.statetrail.alerts.FileAlertSink;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code statetrail sweep}: what the scheduled sweeper does, on the local table. Without AWS the locks cannot be checked
 * where they live, so a stale lock is raised and says it was not verified; the CloudTrail lookup finds nothing.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the sweeper on the local audit table.",
                "Raises stale locks (not verified: a local run has no AWS) and sessions whose issuing event never arrived, and "
                        + "prints the stale-lock and unattributed-session findings (JSON Lines; a table on a terminal)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:swept", "1:no audit table in --data-dir (or it could not be opened)", "2:usage or policy error"})
public final class SweepCommand implements Callable<Integer> {

    static final String LOCAL_REASON = "no AWS credentials in a local run";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Option(names = "--policy", paramLabel = "FILE", description = "policy YAML (default: events/policy.yaml when present)")
    Path policyFile;

    @Option(names = "--now", paramLabel = "ISO-8601", description = "sweep as at this time (default: now)")
    String now;

    // The deployed sweeper's defaults (STATETRAIL_UNATTRIBUTED_GRACE, STATETRAIL_STALE_LOCK_REMINDER), so a local
    // sweep behaves as the one in AWS.
    @Option(names = "--grace", paramLabel = "DURATION", description = "wait for a missing issuing event this long (default: ${DEFAULT-VALUE})")
    Duration grace = Settings.DEFAULT_UNATTRIBUTED_GRACE;

    @Option(names = "--remind-every", paramLabel = "DURATION", description = "stale-lock reminder interval (default: ${DEFAULT-VALUE})")
    Duration remindEvery = Settings.DEFAULT_STALE_LOCK_REMINDER;

    @Option(names = "--format", paramLabel = "jsonl|table", description = "output format (default: jsonl unless stdout is a terminal)")
    FindingOutput.Format format;

    @Option(names = "--settle-window", paramLabel = "DURATION", description = "judge locks as they stood this long ago, and hold "
            + "pages of findings late records could still undo until their evidence is this old (default: ${DEFAULT-VALUE})")
    Duration settleWindow = Settle.DEFAULT_WINDOW;

    @Override
    public Integer call() {
        Instant at;
        try {
            at = now == null ? Instant.now() : Instant.parse(now);
        } catch (DateTimeParseException e) {
            System.err.println("statetrail sweep: --now '" + now + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z");
            return Main.EXIT_USAGE;
        }
        Policy policy = LocalCommands.policy("sweep", policyFile, System.err);
        if (policy == null) {
            return Main.EXIT_USAGE;
        }
        if (settleWindow.isNegative()) {
            System.err.println("statetrail sweep: --settle-window must not be negative");
            return Main.EXIT_USAGE;
        }
        Settle settle = new Settle(settleWindow);
        LockProbe probe = (stateKey, lockStore, account, region) -> LockProbe.Probe.unknown(LOCAL_REASON);
        TrailLookup lookup = (accessKeyId, from, to) -> List.of();
        List<Finding> swept = new ArrayList<>();
        Sweeper.SweepResult r;
        LocalTrail opened = LocalCommands.openForReading("sweep", dataDir, System.err);
        if (opened == null) {
            return LocalCommands.EXIT_NO_TABLE;
        }
        try (LocalTrail trail = opened) {
            r = new Sweeper(trail.store(), policy, probe, lookup, List.of(FileAlertSink.NAME), remindEvery, grace, settle).sweep(at);
            // As the deployed sweeper does: then every due alert, including pages whose evidence has settled by now.
            AlertDispatcher.DispatchResult d = new AlertDispatcher(trail.store(),
                    List.of(new FileAlertSink(dataDir.resolve("alerts.jsonl"), System.err)), AlertDispatcher.DEFAULT_GROUP_WINDOW, null, settle)
                    .dispatchDue(at);
            if (d.alertsSent() + d.failures() + d.settling() > 0) {
                System.err.printf("statetrail: alerts: %d sent, %d failed, %d waiting for their evidence to settle (in %s)%n",
                        d.alertsSent(), d.failures(), d.settling(), dataDir.resolve("alerts.jsonl"));
            }
            for (String type : List.of("stale-lock", "unattributed-session", "state-deleted")) {
                for (Finding f : trail.store().findings(new FindingQuery(null, null, type, null, null, null, null, 500, null)).items()) {
                    if (!"state-deleted".equals(type) || StateDeleted.isBulk(f)) {
                        swept.add(f); // the sweeper raises a DeleteObjects call's state-deleted, not the ingest's
                    }
                }
            }
        }
        swept.sort(Detections.ORDER);
        FindingOutput.print(swept, format != null ? format : FindingOutput.defaultFormat(), System.out);
        System.err.printf("statetrail: sweep at %s: %d stale locks checked, %d raised (%d not verified), %d reminders, %d resolved;"
                        + " %d sessions looked up, %d unattributed raised; %d bulk deletes judged, %d raised%n", at, r.locksChecked(),
                r.staleRaised(), r.unverified(), r.reminders(), r.resolved(), r.lookedUp(), r.unattributedRaised(), r.bulkDeletesJudged(),
                r.bulkDeletesRaised());
        if (r.summariesIndexed() > 0) {
            System.err.printf("statetrail: %d run summaries written by an older version were indexed%n", r.summariesIndexed());
        }
        if (r.indexError() != null) {
            System.err.println("statetrail: completing the runs indexes failed (the next sweep resumes): " + TerminalText.safe(r.indexError()));
        }
        return 0;
    }
}
