package io.statetrail.cli;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.replay.Replay;
import io.statetrail.core.replay.TrailFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statetrail replay}: CloudTrail files in, findings out. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay CloudTrail files and print the findings.",
                "Reads EventBridge events, CloudTrail log files as stored in S3, LookupEvents responses, bare records and JSON Lines, "
                        + "plain or gzipped, whatever the file name (the content decides), folders recursively. Findings go to stdout, one "
                        + "JSON object per line (a table on a terminal); counts, skipped files and malformed records go to stderr."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ran", "2:usage or policy error", "3:a finding at or above --fail-on"})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy YAML (roles, states, lockTables)")
    Path policyFile;

    @Option(names = "--now", paramLabel = "ISO-8601", description = "judge stale locks at this time (default: the latest eventTime read)")
    String now;

    @Option(names = "--format", paramLabel = "jsonl|table|ocsf", description = FindingOutput.HELP)
    FindingOutput.Format format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "exit 3 when a finding at or above this severity exists (low, medium, high, critical)")
    String failOn;

    @Option(names = "--threads", paramLabel = "N", description = "files read in parallel (default: ${DEFAULT-VALUE})")
    int threads = Math.min(4, Runtime.getRuntime().availableProcessors());

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders to read")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        Severity threshold = null;
        Instant at = null;
        try {
            if (failOn != null) {
                threshold = Severity.parse(failOn);
            }
            if (now != null) {
                at = Instant.parse(now);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("statetrail replay: " + (e instanceof DateTimeParseException ? "--now '" + now + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z" : e.getMessage()));
            return Main.EXIT_USAGE;
        }
        if (LocalCommands.eventFiles("replay", paths, err) == null) {
            return Main.EXIT_USAGE;
        }
        Policy policy = LocalCommands.policy("replay", policyFile, err);
        if (policy == null) {
            return Main.EXIT_USAGE;
        }
        Replay.Progress progress = new Replay.Progress();
        ProgressBar bar = ProgressBar.startIfTerminal(progress, err);
        Replay.Result result;
        try {
            result = new Replay(policy, threads, progress).run(paths, at);
        } finally {
            bar.stop();
        }
        FindingOutput.print(result.findings(), format != null ? format : FindingOutput.defaultFormat(), System.out);
        report(result, err);
        if (threshold != null) {
            for (Finding f : result.findings()) {
                if (f.severity().atLeast(threshold)) {
                    return Main.EXIT_FINDINGS;
                }
            }
        }
        return 0;
    }

    static void report(Replay.Result result, PrintStream err) {
        Replay.Counts c = result.counts();
        // With no valid eventTime read and no --now, "now" is the epoch: say that instead of printing 1970.
        String now = result.now().equals(Instant.EPOCH) ? "no eventTime read" : "now " + result.now();
        err.printf("statetrail: %d files, %d records, %d relevant, %d duplicates, %d malformed, skipped %d digest, %d insights,"
                        + " %d network-activity records and %d files, %d findings (%s)%n",
                c.files(), c.records(), c.relevant(), c.duplicates(), c.malformed(), c.skippedDigests(), c.skippedInsights(),
                c.skippedNetworkActivity(), c.skippedFiles(), result.findings().size(), now);
        if (c.records() == 0) {
            err.println("statetrail: warning: no CloudTrail record in " + c.files() + (c.files() == 1 ? " file" : " files"));
        }
        int shown = 0;
        for (TrailFiles.SkippedFile f : result.skippedFiles()) {
            if (shown++ == 50) {
                err.println("  … and " + (c.skippedFiles() - 50) + " more skipped files");
                break;
            }
            err.println("  skipped " + TerminalText.safe(f.file().toString()) + ": " + TerminalText.safe(f.reason()));
        }
        shown = 0;
        for (Malformed m : result.malformed()) {
            if (shown++ == 50) {
                err.println("  … and " + (c.malformed() - 50) + " more malformed");
                break;
            }
            err.println("  malformed " + TerminalText.safe(m.where()) + ": " + TerminalText.safe(m.reason()));
        }
        err.flush();
    }
}
