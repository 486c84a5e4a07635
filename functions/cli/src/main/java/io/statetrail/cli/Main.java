package io.statetrail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./statetrail}. */
@Command(name = "statetrail",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Audit trail from GitHub OIDC subject to Terraform state, built on CloudTrail.",
                "Run a command with --help for its options; docs/ in the repository explains the rest."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"2:no command, or a usage error"},
        subcommands = {ReplayCommand.class, DemoCommand.class, IngestCommand.class, FindingsCommand.class, FindingCommand.class, SweepCommand.class, ServeCommand.class,
                PostureCommand.class, PolicyCommand.class,
                QueryCommand.class, BackfillCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    /** Usage or policy error. */
    public static final int EXIT_USAGE = 2;
    /** A finding at or above {@code --fail-on}. */
    public static final int EXIT_FINDINGS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /** One command on its own (the demo runs ingest, sweep and the rest this way), with the exit codes of the whole. */
    static int execute(Object command, String... args) {
        return configure(new CommandLine(command)).execute(args);
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setUsageHelpAutoWidth(true);
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        return cl;
    }

    /** No command: the usage on stderr, and a usage error's exit code, so a script that forgot its command fails. */
    @Override
    public Integer call() {
        System.err.println("statetrail: no command given");
        spec.commandLine().usage(System.err);
        return EXIT_USAGE;
    }

    /** The version Maven built (filtered into statetrail-version.properties), so a bug report can name it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"statetrail " + version()};
        }
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/statetrail-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // told below
        }
        String v = p.getProperty("version", "");
        return v.isBlank() || v.startsWith("${") ? "(unknown: not built by Maven)" : v;
    }
}
