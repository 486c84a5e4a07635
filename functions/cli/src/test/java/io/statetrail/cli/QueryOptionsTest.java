package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.api.RequestRecords;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code query} commands ask for exactly the parameters of the API's request records, in the API's words: their
 * flags are the documented ones (an interface: scripts use them), and each option's description is the parameter's.
 */
class QueryOptionsTest {

    static final Map<String, List<String>> FLAGS = Map.of(
            "lineage", List.of("ACCESS_KEY"),
            "runs", List.of("--all", "--cursor", "--environment", "--from", "--limit", "--ref", "--repository", "--subject", "--to"),
            "state", List.of("--all", "--cursor", "--from", "--limit", "--to", "STATE_KEY"),
            "repo", List.of("--all", "--cursor", "--from", "--limit", "--to", "REPO_OR_SUBJECT"),
            "locks", List.of("--repository", "--state"),
            "findings", List.of("--all", "--cursor", "--from", "--limit", "--repository", "--run", "--severity", "--state", "--status", "--to", "--type",
                    "--withdrawn"));

    @Test
    void eachQueryTakesItsRequestRecordsParametersWithTheirDescriptions() {
        CommandLine query = Main.commandLine().getSubcommands().get("query");
        assertEquals(new TreeSet<>(FLAGS.keySet()), new TreeSet<>(query.getSubcommands().keySet()));
        for (CommandLine c : query.getSubcommands().values()) {
            CommandSpec spec = c.getCommandSpec();
            QueryCommand.Base command = (QueryCommand.Base) spec.userObject();
            Map<String, String> asked = new TreeMap<>();
            for (ArgSpec a : spec.args()) {
                String name = a.isOption() ? ((OptionSpec) a).longestName() : a.paramLabel();
                // What every query takes: its table (local, or with --aws the deployed one), format and clock.
                if (!List.of("--data-dir", "--format", "--now", "--help", "--version", "--aws", "--table", "--region", "--profile",
                        "--endpoint-url").contains(name)) {
                    asked.put(name, String.join(" ", a.description()));
                }
            }
            assertEquals(FLAGS.get(spec.name()), List.copyOf(asked.keySet()), spec.qualifiedName());

            int fromRecords = 0;
            for (Class<? extends Record> type : command.requests) {
                for (RequestRecords.Param p : RequestRecords.params(type)) {
                    if (command.ownParams.contains(p.name())) {
                        continue;
                    }
                    String name = p.cli().positional() ? p.cli().label() : p.option();
                    assertEquals(p.description(), asked.get(name), spec.qualifiedName() + " " + name + " (" + type.getSimpleName() + "." + p.name() + ")");
                    fromRecords++;
                }
            }
            assertTrue(fromRecords > 0, spec.qualifiedName());
        }
    }
}
