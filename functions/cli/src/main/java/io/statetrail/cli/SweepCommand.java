package io.statetrail.cli;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.StateDeleted;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code statetrail sweep}: what the scheduled sweeper does, on the local table. Without AWS the locks cannot be checked
 * where they live, so a stale lock is raised and says it was not verified; the CloudTrail lookup finds nothing.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the sweeper on the local audit table: stale locks (not verified: no AWS in a local run) and sessions",
                "whose issuing event never arrived. Prints the stale-lock and unattributed-session findings (JSON Lines)."})
public final class SweepCommand implements Callable<Integer> {

    static final String LOCAL_REASON = "no AWS credentials in a local run";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Option(names = "--policy", paramLabel = "FILE", description = "policy YAML (default: events/policy.yaml when present)")
    Path policyFile;

    @Option(names = "--now", paramLabel = "ISO-8601", description = "sweep as at this time (default: now)")
    String now;

    @Option(names = "--grace", paramLabel = "DURATION", description = "wait for a missing issuing event this long (default: ${DEFAULT-VALUE})")
    Duration grace = Duration.ofMinutes(15);

    @Option(names = "--remind-every", paramLabel = "DURATION", description = "stale-lock reminder interval (default: ${DEFAULT-VALUE})")
    Duration remindEvery = Duration.ofHours(4);

    @Option(names = "--format", paramLabel = "jsonl|table", description = "output format (default: jsonl unless stdout is a terminal)")
    FindingOutput.Format format;

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
        LockProbe probe = (stateKey, lockStore, account, region) -> LockProbe.Probe.unknown(LOCAL_REASON);
        TrailLookup lookup = (accessKeyId, from, to) -> List.of();
        List<Finding> swept = new ArrayList<>();
        Sweeper.SweepResult r;
        try (LocalTrail trail = LocalTrail.open(dataDir)) {
            r = new Sweeper(trail.store(), policy, probe, lookup, List.of("file"), remindEvery, grace).sweep(at);
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
