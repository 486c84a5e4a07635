package io.statetrail.cli;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Page;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code statetrail findings}: every finding in the local audit table, in the same JSON as replay. */
@Command(name = "findings", mixinStandardHelpOptions = true,
        description = {"Print the findings in the local audit table, oldest first.",
                "The table is the one ingest, sweep and demo fill (--data-dir)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:printed", "1:no audit table in --data-dir (or it could not be opened)"})
public final class FindingsCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Option(names = "--format", paramLabel = "jsonl|table", description = "output format (default: jsonl unless stdout is a terminal)")
    FindingOutput.Format format;

    @Override
    public Integer call() {
        List<Finding> all = new ArrayList<>();
        LocalTrail opened = LocalCommands.openForReading("findings", dataDir, System.err);
        if (opened == null) {
            return LocalCommands.EXIT_NO_TABLE;
        }
        try (LocalTrail trail = opened) {
            String cursor = null;
            do {
                Page<Finding> page = trail.store().findings(new FindingQuery(null, null, null, null, null, null, null, 500, cursor));
                all.addAll(page.items());
                cursor = page.next();
            } while (cursor != null);
        }
        all.sort(Detections.ORDER);
        FindingOutput.print(all, format != null ? format : FindingOutput.defaultFormat(), System.out);
        return 0;
    }
}
