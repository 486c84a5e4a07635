package io.statetrail.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.replay.Replay;
import io.statetrail.core.review.PolicyCheck;
import io.statetrail.core.review.PolicyDraft;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statetrail policy draft} and {@code policy check}: the policy written from the trail, and held to it. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Write a policy from what the trail shows (draft), or hold a policy to the trail (check)."},
        subcommands = {PolicyCommand.Draft.class, PolicyCommand.Check.class})
public final class PolicyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        System.err.println("statetrail policy: say draft or check");
        spec.commandLine().usage(System.err);
        return Main.EXIT_USAGE;
    }

    @Command(name = "draft", mixinStandardHelpOptions = true,
            description = {"Write a commented YAML policy that allows exactly what CloudTrail shows.",
                    "It lists each role with the "
                    + "subjects seen assuming it, each state (grouped into globs where a folder's states share writers and readers) with "
                    + "the subjects seen writing and reading it, the lock tables seen, and how many runs support each line.",
                    "With --aws, the roles' trust policies are read from IAM too: a role no login reached is drafted with the subjects "
                            + "its trust pins, commented. Review the draft before using it: it allows whatever the trail shows, "
                            + "including what should not have happened."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:drafted", "1:an account could not be read (the draft rests on the trail and the others)", "2:usage error"})
    static final class Draft implements Callable<Integer> {

        @Mixin
        IamAccess iam;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the policy here (default: stdout)")
        Path output;

        @Option(names = "--threads", paramLabel = "N", description = "files read in parallel (default: ${DEFAULT-VALUE})")
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "CloudTrail files or folders to read")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            String problem = iam.problem();
            if (problem != null) {
                err.println("statetrail policy draft: " + problem);
                return Main.EXIT_USAGE;
            }
            if (LocalCommands.eventFiles("policy draft", paths, err) == null) {
                return Main.EXIT_USAGE;
            }
            IamAccess.Read read = iam.aws ? iam.read("policy draft", err) : new IamAccess.Read(List.of(), List.of());
            Replay.Progress progress = new Replay.Progress();
            ProgressBar bar = ProgressBar.startIfTerminal(progress, err);
            PolicyDraft.Draft d;
            try {
                d = PolicyDraft.draft(paths, read.accounts(), threads, progress);
            } finally {
                bar.stop();
            }
            try {
                if (output == null) {
                    System.out.print(d.yaml());
                    System.out.flush();
                } else {
                    Files.writeString(output, d.yaml(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                err.println("statetrail policy draft: cannot write " + output + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            Replay.Counts c = d.counts();
            err.printf("statetrail: %d files, %d records, %d runs from %s to %s: %d roles, %d states, %d lock tables%s%n",
                    c.files(), c.records(), d.runs(), d.from() == null ? "-" : d.from(), d.to() == null ? "-" : d.to(),
                    d.roles(), d.states(), d.lockTables(), output == null ? "" : " written to " + output);
            if (c.records() == 0) {
                err.println("statetrail: warning: no CloudTrail record read: the draft allows nothing");
            }
            return read.failures().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Hold a policy to CloudTrail and list what does not fit.",
                    "It lists the entries that matched nothing (roles, subjects, states, writers, readers, "
                    + "lock tables), the subjects seen but not allowed (logins, writes, reads), and the suppressions that matched no finding.",
                    "One JSON object per line on stdout ({\"kind\",\"line\",\"entry\",\"value\",\"runs\",\"text\"}); on a terminal, "
                            + "one FILE:LINE: line each."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:checked, nothing to report", "2:usage or policy error", "3:something to report"})
    static final class Check implements Callable<Integer> {

        @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy YAML to check")
        Path policyFile;

        @Option(names = "--format", paramLabel = "jsonl|table", description = "output format (default: jsonl unless stdout is a terminal)")
        FindingOutput.Format format;

        @Option(names = "--threads", paramLabel = "N", description = "files read in parallel (default: ${DEFAULT-VALUE})")
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "CloudTrail files or folders to read")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            if (LocalCommands.eventFiles("policy check", paths, err) == null) {
                return Main.EXIT_USAGE;
            }
            Policy policy = LocalCommands.policy("policy check", policyFile, err);
            if (policy == null) {
                return Main.EXIT_USAGE;
            }
            Replay.Progress progress = new Replay.Progress();
            ProgressBar bar = ProgressBar.startIfTerminal(progress, err);
            PolicyCheck.Report r;
            try {
                r = PolicyCheck.check(policy, new Replay(policy, threads, progress).run(paths, null));
            } finally {
                bar.stop();
            }
            print(r.items(), policyFile.toString(), format != null ? format : FindingOutput.defaultFormat(), System.out);
            Replay.Counts c = r.replay().counts();
            err.printf("statetrail: %d files, %d records, %d items%s%n", c.files(), c.records(), r.items().size(),
                    r.postureSuppressions() == 0 ? "" : "; " + r.postureSuppressions()
                            + " suppressions of posture findings not judged (a replay has no posture findings)");
            err.flush();
            return r.items().isEmpty() ? 0 : Main.EXIT_FINDINGS;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** Items as JSON lines, or as {@code FILE:LINE: kind entry value (N runs): text}, escaped for the terminal. */
    static void print(List<PolicyCheck.Item> items, String file, FindingOutput.Format format, PrintStream out) {
        for (PolicyCheck.Item i : items) {
            if (format == FindingOutput.Format.jsonl) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("kind", i.kind().id());
                o.put("line", i.line());
                o.put("entry", i.entry());
                o.put("value", i.value());
                o.put("runs", i.runs());
                o.put("text", i.text());
                try {
                    out.println(JSON.writeValueAsString(o));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                out.println(TerminalText.safe(file + ":" + i.line() + ": " + i.kind().id() + " " + i.entry()
                        + (i.value() == null ? "" : " " + i.value()) + (i.runs() == 0 ? "" : " (" + i.runs() + (i.runs() == 1 ? " run)" : " runs)"))
                        + ": " + i.text()));
            }
        }
        out.flush();
    }
}
