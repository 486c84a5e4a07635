package io.statetrail.cli;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.replay.Replay;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code statetrail demo}: the whole service on this machine. A fresh audit table in DynamoDB Local, the bundled
 * sample runs ingested through the Lambda ingest handler, a sweep (stale locks, unattributed sessions), the findings
 * printed, and the dashboard served on 127.0.0.1.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run statetrail end to end on the bundled samples.",
                "A fresh audit table in DynamoDB Local (--data-dir), the samples in events/ ingested through the Lambda ingest "
                        + "function's code, a sweep, the findings printed, then the dashboard and API served on 127.0.0.1 until Ctrl-C "
                        + "(--no-serve stops after the findings). The table stays for query, findings and serve."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done (or stopped)", "1:could not start", "2:usage or policy error"})
public final class DemoCommand implements Callable<Integer> {

    /** Marks a folder the demo made, which a later demo may empty; ingest removes it when it adds other records. */
    static final String MARKER = ".statetrail-demo";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder of the demo's audit table, emptied first (only if a demo made it);"
            + " query, findings and serve read it there by default (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Option(names = "--events", paramLabel = "DIR", description = "sample events (default: ${DEFAULT-VALUE})")
    Path events = Path.of("events");

    @Option(names = "--policy", paramLabel = "FILE", description = "policy (default: ${DEFAULT-VALUE})")
    Path policy = Path.of("events/policy.yaml");

    @Option(names = "--port", paramLabel = "N", description = "dashboard port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = 8080;

    @Option(names = "--no-serve", description = "print the findings and stop, without serving the dashboard")
    boolean noServe;

    @Option(names = "--format", paramLabel = "jsonl|table", description = "findings format (default: jsonl unless stdout is a terminal)")
    FindingOutput.Format format;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        if (!Files.isDirectory(events)) {
            err.println("statetrail demo: no sample folder " + events + " (run it from the repository root, or give --events)");
            return Main.EXIT_USAGE;
        }
        Policy samplesPolicy = LocalCommands.policy("demo", policy, err);
        if (samplesPolicy == null) {
            return Main.EXIT_USAGE;
        }
        // The samples are history: judge lock ages and "the last 24 hours" at their latest event, not today.
        String now = new Replay(samplesPolicy).run(List.of(events), null).now().toString();
        if (!startAfresh(dataDir, err)) {
            return Main.EXIT_USAGE;
        }
        String dir = dataDir.toString();
        err.println("statetrail demo: ingesting " + events + " into a fresh table in " + dir + " …");
        IngestCommand ingest = new IngestCommand();
        ingest.forDemo = true;
        int rc = quietly(() -> Main.execute(ingest, "--data-dir", dir, "--policy", policy.toString(), events.toString()));
        if (rc != 0) {
            return rc;
        }
        // History: every record is in, none is on its way, so the sweep judges locks at now itself (no settle window), as
        // the replay does: a lock that became stale in the last minutes of the samples is stale in the demo too.
        rc = quietly(() -> Main.commandLine().execute("sweep", "--data-dir", dir, "--policy", policy.toString(), "--now", now,
                "--settle-window", "PT0S"));
        if (rc != 0) {
            return rc;
        }
        String fmt = (format != null ? format : FindingOutput.defaultFormat()).name();
        rc = Main.commandLine().execute("findings", "--data-dir", dir, "--format", fmt);
        if (rc != 0) {
            return rc;
        }
        String flag = dataDir.equals(Path.of(LocalTrail.DEFAULT_DATA_DIR)) ? "" : " --data-dir " + dir;
        err.println("statetrail demo: the table stays in " + dir + "; ask it more with ./statetrail query findings" + flag
                + ", ./statetrail query runs" + flag + " or ./statetrail serve" + flag);
        if (noServe) {
            return 0;
        }
        return Main.commandLine().execute("serve", "--data-dir", dir, "--port", String.valueOf(port), "--now", now);
    }

    /** Runs a step with its stdout dropped: the demo prints the findings once, at the end. */
    private static int quietly(java.util.function.IntSupplier step) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return step.getAsInt();
        } finally {
            System.setOut(stdout);
        }
    }

    /**
     * Empties {@code dir} for the demo, unless it holds something a demo did not make (the user's own ingested table,
     * or a mistyped folder): that is refused, with what to do instead. Marks the folder as the demo's.
     */
    static boolean startAfresh(Path dir, PrintStream err) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            err.println("statetrail demo: " + dir + " is a file, not a folder; give the demo another: --data-dir DIR");
            return false;
        }
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    err.println("statetrail demo: " + dir + " holds files the demo did not make (your own ingested table?), and the demo "
                            + "empties its folder first; give it another folder, e.g. --data-dir .statetrail/demo");
                    return false;
                }
            }
        }
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by ./statetrail demo, which empties this folder when it runs again\n");
        return true;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
