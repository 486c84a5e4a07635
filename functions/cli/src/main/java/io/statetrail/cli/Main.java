package io.statetrail.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./statetrail}. */
@Command(name = "statetrail",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Audit trail from GitHub OIDC subject to Terraform state, built on CloudTrail.",
        subcommands = {ReplayCommand.class, DemoCommand.class, IngestCommand.class, FindingsCommand.class, SweepCommand.class, ServeCommand.class,
                QueryCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

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
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"statetrail " + (v == null ? "dev" : v)};
        }
    }
}
