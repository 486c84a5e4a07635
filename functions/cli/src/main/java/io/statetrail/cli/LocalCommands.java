package io.statetrail.cli;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyException;
import io.statetrail.core.policy.PolicyLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the commands on the local audit table share: the policy default, opening the table, how errors are told. */
final class LocalCommands {

    /** The policy used when {@code --policy} is not given, if it exists in the working folder. */
    static final Path DEFAULT_POLICY = Path.of("events/policy.yaml");

    private LocalCommands() {
    }

    /** The policy, or null after telling why on stderr. */
    static Policy policy(String command, Path given, PrintStream err) {
        Path file = given != null ? given : DEFAULT_POLICY;
        if (!Files.exists(file)) {
            err.println("statetrail " + command + ": " + (given != null ? "no such policy file: " + given
                    : "no --policy given and no " + DEFAULT_POLICY + " here"));
            return null;
        }
        try {
            return PolicyLoader.load(file);
        } catch (PolicyException e) {
            err.println("statetrail " + command + ": " + e.getMessage());
            return null;
        }
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

    /** Could not open the audit table (documented on each command that reads it). */
    static final int EXIT_NO_TABLE = 1;
}
