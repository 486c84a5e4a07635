package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Issue 17, first hour: every command's summary (the first line of its description, all that the command list shows)
 * is a whole sentence, every option and parameter says what it is, no command is a usage error, and the version is
 * the one Maven built.
 */
class HelpTest {

    @Test
    void everyCommandSummaryIsOneWholeSentenceAndEveryOptionIsDescribed() {
        List<String> problems = new ArrayList<>();
        for (CommandLine c : all(Main.commandLine())) {
            CommandSpec spec = c.getCommandSpec();
            String name = spec.qualifiedName();
            String summary = summary(spec);
            if (summary == null) {
                problems.add(name + ": no description");
                continue;
            }
            if (!summary.endsWith(".") || summary.length() > 110 || summary.indexOf(". ") >= 0) {
                problems.add(name + ": summary is not one whole sentence: " + summary);
            }
            for (ArgSpec arg : spec.args()) {
                if (arg.descriptionKey() == null && String.join("", arg.description()).isBlank()) {
                    problems.add(name + ": " + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel())
                            + " has no description");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCommandListShowsEachSummaryWhole() {
        QueryCommandTest.Result r = QueryCommandTest.run("--help");
        assertEquals(0, r.exit());
        for (CommandLine c : Main.commandLine().getSubcommands().values()) {
            String summary = summary(c.getCommandSpec());
            String squeezed = r.out().replaceAll("\\s+", " ");
            assertTrue(squeezed.contains(summary), "'" + summary + "' in\n" + r.out());
        }
    }

    @Test
    void noCommandIsAUsageError() {
        QueryCommandTest.Result none = QueryCommandTest.run();
        assertEquals(Main.EXIT_USAGE, none.exit());
        assertTrue(none.err().contains("no command given") && none.err().contains("Commands:"), none.err());
        assertEquals("", none.out());

        QueryCommandTest.Result query = QueryCommandTest.run("query");
        assertEquals(Main.EXIT_USAGE, query.exit());
        assertTrue(query.err().contains("which question?"), query.err());
    }

    @Test
    void versionIsTheBuiltOne() {
        String expected = System.getProperty("statetrail.expected.version");
        assertTrue(expected != null && !expected.isBlank(), "surefire passes the project's version");
        QueryCommandTest.Result r = QueryCommandTest.run("--version");
        assertEquals(0, r.exit());
        assertEquals("statetrail " + expected, r.out().strip());
        assertFalse(r.out().contains("dev"));
    }

    /** What the command list shows: the header's first line, else the description's. */
    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] description = spec.usageMessage().description();
        return header.length > 0 ? header[0] : description.length > 0 ? description[0] : null;
    }

    static List<CommandLine> all(CommandLine root) {
        List<CommandLine> out = new ArrayList<>();
        out.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!out.contains(sub)) {
                out.addAll(all(sub));
            }
        }
        return out;
    }
}
