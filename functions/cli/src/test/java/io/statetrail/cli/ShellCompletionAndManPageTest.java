package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Issue 17, release: the shell completion and the man pages are generated from the picocli model (what the release
 * build ships, with the same generators): completion is valid bash that completes commands, subcommands and options,
 * and every command has a page listing each of its options.
 */
class ShellCompletionAndManPageTest {

    @Test
    void completionCompletesCommandsSubcommandsAndOptions(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("statetrail_completion");
        Files.writeString(script, AutoComplete.bash("statetrail", Main.commandLine()));
        assertEquals("", bash("bash -n " + script).strip(), "valid bash");

        assertEquals(List.of("query"), complete(script, "statetrail qu"));
        assertEquals(List.of("findings"), complete(script, "statetrail query fi"));
        assertEquals(List.of("--fail-on", "--format"), complete(script, "statetrail replay --f"));
        assertTrue(complete(script, "statetrail demo --").containsAll(List.of("--data-dir", "--no-serve", "--port")));
    }

    @Test
    void everyCommandHasAManPageWithEachOfItsOptions(@TempDir Path dir) throws Exception {
        CommandSpec root = Main.commandLine().getCommandSpec();
        assertEquals(0, ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], true, root));
        for (CommandLine c : HelpTest.all(Main.commandLine())) {
            CommandSpec spec = c.getCommandSpec();
            Path page = dir.resolve(spec.qualifiedName("-") + ".adoc");
            assertTrue(Files.exists(page), "no page " + page.getFileName() + " in " + List.of(dir.toFile().list()));
            String text = Files.readString(page);
            assertTrue(text.contains(":doctype: manpage"), page.toString());
            for (OptionSpec o : spec.options()) {
                assertTrue(text.contains(o.longestName()), page.getFileName() + " lacks " + o.longestName());
            }
        }
    }

    /** What bash completion offers for {@code line}, as the shell would ask the script's completion function. */
    private static List<String> complete(Path script, String line) throws Exception {
        String out = bash("source " + script + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + (line.endsWith(" ") ? "COMP_WORDS+=('')\n" : "")
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "$(complete -p statetrail | sed -E 's/.*-F ([^ ]+).*/\\1/') statetrail 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort");
        List<String> words = new ArrayList<>();
        out.lines().map(String::strip).filter(w -> !w.isEmpty()).forEach(words::add);
        return words;
    }

    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

}
