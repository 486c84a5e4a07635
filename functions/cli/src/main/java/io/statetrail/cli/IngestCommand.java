package io.statetrail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.record.Malformed;
import io.statetrail.core.record.Redaction;
import io.statetrail.core.replay.TrailFiles;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.record.RecordClassifier;
import io.statetrail.core.record.RecordReader;
import io.statetrail.core.record.RecordSink;
import io.statetrail.core.record.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
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
import java.util.ArrayList;
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
        description = {"Ingest CloudTrail files (the shapes replay reads) into the local audit table, record by record, as the live",
                "service does: new findings on stdout (JSON Lines), counts and malformed records on stderr."},
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

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders to read")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("statetrail ingest: no such file or folder: " + p);
                return Main.EXIT_USAGE;
            }
        }
        Policy policy = LocalCommands.policy("ingest", policyFile, err);
        if (policy == null) {
            return Main.EXIT_USAGE;
        }
        Path policyPath = (policyFile != null ? policyFile : LocalCommands.DEFAULT_POLICY).toAbsolutePath();
        TrailFiles.Listing listing = TrailFiles.list(paths);
        List<Path> files = listing.files();
        for (TrailFiles.SkippedFile f : listing.skipped()) {
            err.println("  skipped " + TerminalText.safe(f.file().toString()) + ": " + TerminalText.safe(f.reason()));
        }
        Counts counts = new Counts();
        RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
        try (LocalTrail trail = LocalTrail.open(dataDir);
             Writer aside = Files.newBufferedWriter(dataDir.resolve("malformed.jsonl"), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             LocalLambda lambda = LocalLambda.start(trail, dataDir, policyPath, slackWebhook)) {
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
