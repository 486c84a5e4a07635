package io.statetrail.cli;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.service.finding.Triage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code statetrail finding ack|resolve|false-positive|reopen ID --note TEXT}: an analyst's judgement of a finding, on
 * the local table or with {@code --aws} on the deployed one (the analyst policy allows writing status items and
 * nothing else). Prints the finding with its status history as JSON.
 */
@Command(name = "finding", mixinStandardHelpOptions = true,
        description = {"Change a finding's status: acknowledge it, resolve it, mark it a false positive, or reopen it.",
                "Kept in the finding's history with who (the operating-system user; with --aws the signed IAM principal), when and the note; "
                        + "announced in the finding's Slack thread and on EventBridge, never paged.",
                "A note is required to resolve a finding or mark it a false positive."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:changed; the finding is printed", "1:no audit table, no such finding, or the table could not be written",
                "2:usage error (unknown action, missing note)"})
public final class FindingCommand implements Callable<Integer> {

    static final Map<String, FindingStatus> ACTIONS = Map.of("ack", FindingStatus.ACKNOWLEDGED, "resolve", FindingStatus.RESOLVED,
            "false-positive", FindingStatus.FALSE_POSITIVE, "reopen", FindingStatus.OPEN);

    /** Completion candidates and help for the action. */
    static final class Actions implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("ack", "resolve", "false-positive", "reopen").iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "ACTION", completionCandidates = Actions.class,
            description = "ack, resolve, false-positive or reopen")
    String action;

    @Parameters(index = "1", paramLabel = "ID", description = "the finding's id, as findings and the dashboard show it")
    String id;

    @Option(names = "--note", paramLabel = "TEXT", description = "why (required for resolve and false-positive; at most 2000 characters)")
    String note;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Mixin
    AwsTable aws = new AwsTable();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FindingStatus status = ACTIONS.get(action);
        if (status == null) {
            System.err.println("statetrail finding: unknown action '" + TerminalText.safe(action) + "' (ack, resolve, false-positive or reopen)");
            return Main.EXIT_USAGE;
        }
        if (id == null || !id.matches("[a-z-]{3,40}-[0-9a-f]{8,64}")) {
            System.err.println("statetrail finding: '" + TerminalText.safe(String.valueOf(id)) + "' is not a finding id");
            return Main.EXIT_USAGE;
        }
        if (status.needsNote() && (note == null || note.isBlank())) {
            System.err.println("statetrail finding: --note is required to mark a finding " + status.label() + ": say why");
            return Main.EXIT_USAGE;
        }
        String problem = aws.problem(spec);
        if (problem != null) {
            System.err.println("statetrail finding: " + problem);
            return Main.EXIT_USAGE;
        }
        OpenTable opened = LocalCommands.openForReview("finding", dataDir, aws, System.err);
        if (opened == null) {
            return LocalCommands.EXIT_NO_TABLE;
        }
        try (OpenTable table = opened) {
            String who = who(table);
            Triage triage = new Triage(table.store(), table.store(), table.store(), Clock.systemUTC());
            Optional<Finding> changed;
            try {
                changed = triage.change(id, status, who, note);
            } catch (IllegalArgumentException e) {
                System.err.println("statetrail finding: " + TerminalText.safe(e.getMessage()));
                return Main.EXIT_USAGE;
            }
            if (changed.isEmpty()) {
                System.err.println("statetrail finding: no finding " + id + " in " + table.where());
                return 1;
            }
            System.out.println(FindingJson.toJson(changed.get(), triage.history(id)));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("statetrail finding: cannot change the status in " + opened.where() + ": " + TerminalText.safe(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    /** The signed IAM principal on the deployed table; the operating-system user on the local one (or when STS cannot say). */
    static String who(OpenTable table) {
        String user = System.getProperty("user.name");
        if (table instanceof DeployedTable deployed) {
            String arn = deployed.caller();
            if (arn != null) {
                return arn;
            }
            System.err.println("statetrail: could not ask STS who signs (sts:GetCallerIdentity); status changes are recorded as " + user);
        }
        return user;
    }
}
