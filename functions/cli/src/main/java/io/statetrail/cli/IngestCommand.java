package io.statetrail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.record.Malformed;
import io.statetrail.core.record.Redaction;
import io.statetrail.core.replay.Replay;
import io.statetrail.service.ingest.IngestResult;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.RawRecords;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statetrail ingest}: CloudTrail files into the local audit table, one record at a time as the live service
 * receives them (each wrapped in an EventBridge event and given to the {@link Ingestor}), so findings are raised as
 * records arrive, in any order.
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
        List<Path> files = Replay.files(paths);
        Counts counts = new Counts();
        try (LocalTrail trail = LocalTrail.open(dataDir);
             Writer aside = Files.newBufferedWriter(dataDir.resolve("malformed.jsonl"), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            Ingestor ingestor = new Ingestor(trail.store(), policy, List.of("file"), Clock.systemUTC());
            for (Path file : files) {
                RawRecords.readFile(file, new RawRecords.Sink() {
                    @Override
                    public void record(String source, long line, String json) {
                        IngestResult r = ingestor.ingest(source + ":" + line, RawRecords.asEventBridge(json));
                        counts.records += r.records();
                        counts.relevant += r.relevant();
                        counts.duplicates += r.duplicates();
                        for (Malformed m : r.malformed()) {
                            malformed(m, json);
                        }
                        for (Finding f : r.newFindings()) {
                            counts.findings.add(f);
                            System.out.println(io.statetrail.core.finding.FindingJson.toLine(f));
                        }
                    }

                    @Override
                    public void malformed(Malformed m) {
                        malformed(m, null);
                    }

                    private void malformed(Malformed m, String raw) {
                        counts.malformed++;
                        counts.records += raw == null ? 1 : 0;
                        err.println("  malformed " + TerminalText.safe(m.where()) + ": " + TerminalText.safe(m.reason()));
                        keepAside(aside, m, raw);
                    }
                });
            }
        } catch (IOException e) {
            err.println("statetrail ingest: cannot write " + dataDir.resolve("malformed.jsonl") + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        System.out.flush();
        err.printf("statetrail: %d files, %d records, %d relevant, %d duplicates, %d malformed, %d new findings (table in %s)%n",
                files.size(), counts.records, counts.relevant, counts.duplicates, counts.malformed, counts.findings.size(), dataDir);
        return 0;
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
        long duplicates;
        long malformed;
        final List<Finding> findings = new ArrayList<>();
    }
}
