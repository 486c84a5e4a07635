package io.statetrail.cli;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Page;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statetrail findings}: every finding in the local audit table, in the same JSON as replay. */
@Command(name = "findings", mixinStandardHelpOptions = true,
        description = {"Print the findings in the audit table, oldest first.",
                "The table is the local one ingest, sweep and demo fill (--data-dir), or with --aws the deployed one."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:printed", "1:no audit table in --data-dir, or the deployed one could not be read (--aws)", "2:usage error"})
public final class FindingsCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Mixin
    AwsTable aws = new AwsTable();

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "jsonl|table|ocsf", description = FindingOutput.HELP)
    FindingOutput.Format format;

    @Option(names = "--status", paramLabel = "STATUS[,STATUS]", split = ",",
            description = "only findings whose triage status is one of these: open, acknowledged, resolved, false-positive (default: any)")
    List<String> status;

    @Override
    public Integer call() {
        List<Finding> all = new ArrayList<>();
        String problem = aws.problem(spec);
        if (problem != null) {
            System.err.println("statetrail findings: " + problem);
            return Main.EXIT_USAGE;
        }
        java.util.Set<FindingStatus> statuses = java.util.EnumSet.noneOf(FindingStatus.class);
        try {
            for (String s : status == null ? List.<String>of() : status) {
                statuses.add(FindingStatus.parse(s));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("statetrail findings: --status " + TerminalText.safe(e.getMessage()));
            return Main.EXIT_USAGE;
        }
        OpenTable opened = LocalCommands.openForReview("findings", dataDir, aws, System.err);
        if (opened == null) {
            return LocalCommands.EXIT_NO_TABLE;
        }
        try (OpenTable trail = opened) {
            String cursor = null;
            do {
                Page<Finding> page = trail.store().findings(new FindingQuery(null, null, null, null, null, null, null, 500, cursor,
                        FindingQuery.Withdrawn.EXCLUDE, statuses));
                all.addAll(page.items());
                cursor = page.next();
            } while (cursor != null);
        }
        all.sort(Detections.ORDER);
        FindingOutput.print(all, format != null ? format : FindingOutput.defaultFormat(), System.out);
        return 0;
    }
}
