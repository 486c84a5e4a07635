package io.statetrail.cli;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyException;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the commands share: the policy default, the input files, opening the table, and how their errors are told. */
final class LocalCommands {

    /** The policy used when {@code --policy} is not given, if it exists in the working folder. */
    static final Path DEFAULT_POLICY = Path.of("events/policy.yaml");

    /** Could not open the audit table (documented on each command that reads it). */
    static final int EXIT_NO_TABLE = 1;

    private static final String WHERE_TO_START = "a policy says which subjects may assume which role and touch which state: start from "
            + "events/policy.yaml or infra/examples/single-account/policy.yaml in the repository; docs/configuration.md explains every field";

    private LocalCommands() {
    }

    /** The policy, or null after telling why on stderr; says which policy it took when {@code --policy} was not given. */
    static Policy policy(String command, Path given, PrintStream err) {
        return policy(command, given, DEFAULT_POLICY, err);
    }

    static Policy policy(String command, Path given, Path fallback, PrintStream err) {
        Path file = given != null ? given : fallback;
        if (!Files.exists(file)) {
            err.println("statetrail " + command + ": " + (given != null ? "no policy file " + given
                    : "no --policy given and no " + fallback + " here") + " (" + WHERE_TO_START + ")");
            return null;
        }
        if (given == null) {
            err.println("statetrail " + command + ": no --policy given: using " + fallback + " (the bundled samples' policy)");
        }
        try {
            return PolicyLoader.load(file);
        } catch (PolicyException e) {
            err.println("statetrail " + command + ": " + e.getMessage());
            return null;
        }
    }

    /** The event files under the paths, or null after telling why (a path missing, or nothing to read) on stderr. */
    static io.statetrail.core.replay.TrailFiles.Listing eventFiles(String command, List<Path> paths, PrintStream err) {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("statetrail " + command + ": no such file or folder: " + p);
                return null;
            }
        }
        io.statetrail.core.replay.TrailFiles.Listing listing = io.statetrail.core.replay.TrailFiles.list(paths);
        if (listing.files().isEmpty()) {
            for (io.statetrail.core.replay.TrailFiles.SkippedFile f : listing.skipped()) {
                err.println("  skipped " + TerminalText.safe(f.file().toString()) + ": " + TerminalText.safe(f.reason()));
            }
            err.println("statetrail " + command + ": no CloudTrail files in " + String.join(", ", paths.stream().map(Path::toString).toList())
                    + " (files are read by their content, JSON or gzipped JSON, whatever their name; hidden files are skipped)");
            return null;
        }
        return listing;
    }

    /**
     * The deployed table with {@code --aws}, else the existing one in {@code dataDir}; or null after telling why on
     * stderr (exit 1, as documented). The options were checked ({@link AwsTable#problem}) before.
     */
    static OpenTable openForReview(String command, Path dataDir, AwsTable aws, PrintStream err) {
        if (!aws.aws) {
            return openForReading(command, dataDir, err);
        }
        try {
            return DeployedTable.open(aws);
        } catch (DeployedTable.Unavailable e) {
            err.println("statetrail " + command + ": " + e.getMessage());
        } catch (RuntimeException e) {
            err.println("statetrail " + command + ": cannot open the deployed table " + TerminalText.safe(aws.tableName()) + ": "
                    + TerminalText.safe(String.valueOf(e.getMessage())));
        }
        return null;
    }

    /** The existing audit table in {@code dataDir}, or null after telling why on stderr (exit 1, as documented). */
    static LocalTrail openForReading(String command, Path dataDir, PrintStream err) {
        try {
            return LocalTrail.openExisting(dataDir);
        } catch (LocalTrail.Missing e) {
            err.println("statetrail " + command + ": " + e.getMessage());
        } catch (RuntimeException e) {
            err.println("statetrail " + command + ": cannot open the audit table in " + dataDir + ": " + e.getMessage());
        }
        return null;
    }
}
