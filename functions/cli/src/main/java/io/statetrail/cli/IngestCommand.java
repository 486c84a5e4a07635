package io.statetrail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.Redaction;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.ingest.RawRecords;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Page;
import java.util.HashSet;
import java.util.Set;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statetrail ingest}: CloudTrail files into the local audit table through the same handler code as the Lambda:
 * each record is wrapped in the EventBridge event the rules deliver, ten to an SQS event, and given to
 * {@code IngestHandler} against DynamoDB Local. Findings are raised as records arrive, in any order.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest CloudTrail files into the local audit table, as the live service does.",
                "Each record (any shape replay reads) goes through the Lambda ingest function's code, wrapped as EventBridge and SQS "
                        + "deliver it, into DynamoDB Local (--data-dir). New findings go to stdout (JSON Lines), counts and malformed "
                        + "records to stderr; malformed records are kept aside in DIR/malformed.jsonl."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ingested (malformed records are reported and kept aside, not fatal)", "2:usage or policy error"})
public final class IngestCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: ${DEFAULT-VALUE}); "
            + "malformed records are kept aside in DIR/malformed.jsonl")
    Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

    @Option(names = "--policy", paramLabel = "FILE", description = "policy YAML (default: events/policy.yaml when present)")
    Path policyFile;

    @Option(names = "--slack-webhook", paramLabel = "URL", description = "also send alerts to this Slack incoming webhook")
    String slackWebhook;

    @Option(names = "--now", paramLabel = "ISO-8601", description = {"when these records arrive: the clock the live path judges and "
            + "sends alerts by, to replay history with realistic delivery times (default: now)"})
    String now;

    @Option(names = "--settle-window", paramLabel = "DURATION", description = "how long a finding that late records could still "
            + "undo waits before it pages (ISO-8601, default: ${DEFAULT-VALUE}; PT0S pages at once)")
    java.time.Duration settleWindow = io.statetrail.service.finding.Settle.DEFAULT_WINDOW;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders to read")
    List<Path> paths;

    /** Run by the demo, into the folder it just emptied and marked as its own. */
    boolean forDemo;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        io.statetrail.core.replay.TrailFiles.Listing listing = LocalCommands.eventFiles("ingest", paths, err);
        if (listing == null) {
            return Main.EXIT_USAGE;
        }
        List<Path> files = listing.files();
        for (io.statetrail.core.replay.TrailFiles.SkippedFile f : listing.skipped()) {
            err.println("  skipped " + TerminalText.safe(f.file().toString()) + ": " + TerminalText.safe(f.reason()));
        }
        if (now != null) {
            try {
                java.time.Instant.parse(now);
            } catch (java.time.format.DateTimeParseException e) {
                err.println("statetrail ingest: --now '" + now + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z");
                return Main.EXIT_USAGE;
            }
        }
        if (settleWindow.isNegative()) {
            err.println("statetrail ingest: --settle-window must not be negative");
            return Main.EXIT_USAGE;
        }
        Policy policy = LocalCommands.policy("ingest", policyFile, err);
        if (policy == null) {
            return Main.EXIT_USAGE;
        }
        Path policyPath = (policyFile != null ? policyFile : LocalCommands.DEFAULT_POLICY).toAbsolutePath();
        Path demoMarker = dataDir.resolve(DemoCommand.MARKER);
        if (!forDemo && Files.exists(demoMarker)) {
            // From now on the folder holds the user's records too: a later demo must not empty it.
            err.println("statetrail ingest: " + dataDir + " holds the demo's table (the bundled samples); your records are added to it."
                    + " For a table of your own, remove the folder first or give --data-dir");
            try {
                Files.delete(demoMarker);
            } catch (IOException e) {
                err.println("statetrail ingest: cannot write " + dataDir + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
        }
        Counts counts = new Counts();
        RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
        try (LocalTrail trail = LocalTrail.open(dataDir);
             Writer aside = Files.newBufferedWriter(dataDir.resolve("malformed.jsonl"), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             LocalLambda lambda = LocalLambda.start(trail, dataDir, policyPath, new LocalLambda.Options(slackWebhook, now, settleWindow))) {
            Set<String> before = findingIds(trail);
            List<Message> batch = new ArrayList<>();
            for (Path file : files) {
                RawRecords.readFile(file, new RawRecords.Sink() {
                    @Override
                    public void record(String source, long line, String json) {
                        counts.records++;
                        batch.add(new Message(source + ":" + line, RawRecords.asEventBridge(json), json));
                        if (batch.size() == BATCH) {
                            send(lambda, reader, batch, counts, aside, err);
                        }
                    }

                    @Override
                    public void malformed(Malformed m) {
                        counts.records++;
                        counts.malformed++;
                        err.println("  malformed " + TerminalText.safe(m.where()) + ": " + TerminalText.safe(m.reason()));
                        keepAside(aside, m, null);
                    }
                });
            }
            send(lambda, reader, batch, counts, aside, err);
            lambda.dispatchAlerts();
            reportUndelivered(trail, err);
            for (Finding f : allFindings(trail)) {
                if (!before.contains(f.id())) {
                    counts.findings.add(f);
                    System.out.println(FindingJson.toLine(f));
                }
            }
        } catch (IOException e) {
            err.println("statetrail ingest: cannot write " + dataDir.resolve("malformed.jsonl") + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        System.out.flush();
        err.printf("statetrail: %d files, %d records, %d relevant, %d malformed, %d files skipped, %d new findings (table in %s, function log in %s)%n",
                files.size(), counts.records, counts.relevant, counts.malformed, listing.skipped().size(), counts.findings.size(), dataDir,
                dataDir.resolve(LocalLambda.LOG_FILE));
        return 0;
    }

    /** SQS delivers up to 10 messages per invocation, as the deployed event source mapping does. */
    static final int BATCH = 10;

    record Message(String id, String body, String record) {
    }

    /** Sends one SQS batch through the Lambda handler; messages it reports as failed are explained and kept aside. */
    private static void send(LocalLambda lambda, RecordReader reader, List<Message> batch, Counts counts, Writer aside, PrintStream err) {
        if (batch.isEmpty()) {
            return;
        }
        Set<String> failed = lambda.ingest(batch.stream().map(m -> new String[] {m.id(), m.body()}).toList());
        for (Message m : batch) {
            List<Malformed> problems = new ArrayList<>();
            int[] relevant = {0};
            reader.readString(m.id(), m.record(), new RecordSink() {
                @Override
                public void relevant(String source, long line, List<TrailEvent> events) {
                    relevant[0]++;
                }

                @Override
                public void irrelevant() {
                }

                @Override
                public void malformed(Malformed bad) {
                    problems.add(new Malformed(m.id(), 0, bad.reason(), bad.excerpt()));
                }
            });
            counts.relevant += relevant[0];
            if (failed.contains(m.id())) {
                counts.malformed++;
                Malformed why = problems.isEmpty() ? new Malformed(m.id(), 0, "rejected by the ingest function (see its log)", "") : problems.get(0);
                err.println("  malformed " + TerminalText.safe(why.where()) + ": " + TerminalText.safe(why.reason()));
                keepAside(aside, why, m.record());
            }
        }
        batch.clear();
    }

    /**
     * Alerts the function could not send (Slack answering an error, a webhook unreachable), with the reason and when
     * they go out again: the function's log only counts them. They stay queued in the table; the next ingest sends
     * those that are due, as the sweeper does in AWS.
     */
    static void reportUndelivered(LocalTrail trail, PrintStream err) {
        Map<String, List<Delivery>> failed = new TreeMap<>();
        for (Delivery d : trail.store().dueDeliveries(Instant.now().plus(Duration.ofDays(366)), 500)) {
            String why = d.lastError();
            // Not failures: held back to be grouped with an alert just sent, waiting for its evidence to settle, or being sent
            // by a dispatcher right now.
            if (d.attempts() == 0 || why == null || why.startsWith("held:") || why.startsWith("settling:") || why.equals("sending")) {
                continue;
            }
            failed.computeIfAbsent(d.destination() + "\n" + why, k -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<String, List<Delivery>> e : failed.entrySet()) {
            List<Delivery> ds = e.getValue();
            String destination = ds.get(0).destination();
            Instant next = ds.stream().map(Delivery::nextAttempt).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
            err.printf("statetrail: %d finding%s not delivered to %s: %s; kept, and sent by the next ./statetrail ingest%s%s%n",
                    ds.size(), ds.size() == 1 ? "" : "s", destination, TerminalText.safe(ds.get(0).lastError()),
                    destination.equals("slack") ? " with --slack-webhook" : "", next == null ? "" : " from " + next.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    private static Set<String> findingIds(LocalTrail trail) {
        Set<String> ids = new HashSet<>();
        allFindings(trail).forEach(f -> ids.add(f.id()));
        return ids;
    }

    static List<Finding> allFindings(LocalTrail trail) {
        List<Finding> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Finding> page = trail.store().findings(new FindingQuery(null, null, null, null, null, null, null, 500, cursor));
            out.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return out;
    }

    /** One line per rejected input, with session tokens and secrets removed. */
    static void keepAside(Writer out, Malformed m, String raw) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("where", m.where());
        o.put("reason", m.reason());
        o.put("record", raw == null ? m.excerpt() : Redaction.scrub(raw));
        try {
            out.write(MAPPER.writeValueAsString(o));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Counts {
        long records;
        long relevant;
        long malformed;
        final List<Finding> findings = new ArrayList<>();
    }
}
