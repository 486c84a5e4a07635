package io.statetrail.cli;

import io.statetrail.api.ApiServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statetrail serve}: the query API and the dashboard on 127.0.0.1, over the local audit table. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the dashboard and the query API on 127.0.0.1.",
                "The incident-review API (/api/…, described at /openapi.yml) and the dashboard (/), over the audit table in "
                        + "--data-dir or, with --aws, the deployed one (read-only), on 127.0.0.1 only, until Ctrl-C."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped", "1:could not start (port taken, no audit table in --data-dir, the deployed one unreadable)", "2:usage error"})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Option(names = "--port", paramLabel = "N", description = "port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = 8080;

    @Mixin
    AwsTable aws = new AwsTable();

    @Spec
    CommandSpec spec;

    @Option(names = "--now", paramLabel = "ISO-8601", description = "judge lock ages and \"last 24 hours\" at this time (for old or demo data)")
    String now;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        if (port < 0 || port > 65535) {
            err.println("statetrail serve: --port " + port + " is not a port (0..65535)");
            return Main.EXIT_USAGE;
        }
        if (now != null) {
            try {
                Instant.parse(now);
            } catch (DateTimeParseException e) {
                err.println("statetrail serve: --now '" + TerminalText.safe(now) + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z");
                return Main.EXIT_USAGE;
            }
        }
        String problem = aws.problem(spec);
        if (problem != null) {
            err.println("statetrail serve: " + problem);
            return Main.EXIT_USAGE;
        }
        ApiServer server;
        OpenTable trail = LocalCommands.openForReview("serve", dataDir, aws, err);
        if (trail == null) {
            return LocalCommands.EXIT_NO_TABLE;
        }
        try {
            server = ApiServer.start(trail.store(), port, now, FindingCommand.who(trail));
        } catch (RuntimeException e) {
            trail.close();
            err.println("statetrail serve: cannot listen on 127.0.0.1:" + port + ": " + rootMessage(e));
            return 1;
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    server.close();
                } finally {
                    trail.close();
                }
            }
        };
        // Any other way the JVM ends still closes the table.
        Runtime.getRuntime().addShutdownHook(new Thread(close, "statetrail-serve-stop"));
        CountDownLatch stopped = new CountDownLatch(1);
        stopOn(stopped, "INT", "TERM");
        err.println("statetrail: serving the dashboard at " + server.uri() + "/ and the API at " + server.uri() + "/api "
                + "(" + trail.where() + (now != null ? ", now pinned at " + now : "") + "); Ctrl-C stops");
        err.flush();
        stopped.await();
        close.run();
        err.println("statetrail: stopped");
        return 0;
    }

    /**
     * Ctrl-C (SIGINT) and a plain kill (SIGTERM) stop the server and exit 0, as documented: left to the JVM, they
     * would end it through its shutdown hooks with 130 or 143.
     */
    @SuppressWarnings("restriction")
    private static void stopOn(CountDownLatch stopped, String... signals) {
        for (String name : signals) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stopped.countDown());
            } catch (IllegalArgumentException e) {
                // no such signal here: the JVM's default applies
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
