package io.statetrail.cli;

import io.statetrail.api.ActivityRequest;
import io.statetrail.api.ApiJson;
import io.statetrail.api.BadQuery;
import io.statetrail.api.Cli;
import io.statetrail.api.CsvWriter;
import io.statetrail.api.FindingsRequest;
import io.statetrail.api.LineageRequest;
import io.statetrail.api.LocksRequest;
import io.statetrail.api.PageRequest;
import io.statetrail.api.QueryParams;
import io.statetrail.api.RequestRecords;
import io.statetrail.api.Review;
import io.statetrail.api.RunsRequest;
import io.statetrail.api.StateTimelineRequest;
import io.statetrail.api.Table;
import io.statetrail.api.Tables;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.Hop;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunSummary;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statetrail query …}: the incident-review questions of the API ({@link Review}, the same code), answered from
 * the local audit table, as a table, JSON Lines (the API's JSON, one item per line) or CSV (the API's export).
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Ask the local audit table the incident-review questions.",
                "The table is the one ingest, sweep and demo fill (--data-dir)."},
        subcommands = {QueryCommand.Lineage.class, QueryCommand.Runs.class, QueryCommand.State.class, QueryCommand.Repo.class,
                QueryCommand.Locks.class, QueryCommand.Findings.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:answered", "1:no audit table in --data-dir (or it could not be opened)", "2:bad query or usage", "4:unknown key, run, state or finding"})
public final class QueryCommand implements Callable<Integer> {

    public static final int EXIT_NOT_FOUND = 4;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.err.println("statetrail query: which question? (lineage, runs, state, repo, locks, findings)");
        spec.commandLine().usage(System.err);
        return Main.EXIT_USAGE;
    }

    public enum Format { table, jsonl, csv }

    /** Options every query takes. */
    static final class Common {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: " + LocalTrail.DEFAULT_DATA_DIR + ")")
        Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

        @Option(names = "--format", paramLabel = "table|jsonl|csv", description = "output (default: table on a terminal, else jsonl)")
        Format format;

        @Option(names = "--now", paramLabel = "ISO-8601", description = "judge lock ages and relative times (24h, 7d) at this time")
        String now;
    }

    /** List queries: every page rather than one ({@code --limit} and {@code --cursor} come from {@link PageRequest}). */
    static final class AllPages {
        @Option(names = "--all", description = "follow every page (at most 10,000 rows)")
        boolean all;
    }

    /**
     * Opens the table, runs the query, prints; refused queries print their reason and exit 2 (4 when not found). A
     * query's options and arguments are the parameters of its request records ({@link RequestOptions}), read back
     * with {@link #request}.
     */
    @Command(modelTransformer = RequestOptions.class)
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        PrintStream err = System.err;

        /** The request records whose parameters are this command's options, and the parameters it fills itself. */
        final List<Class<? extends Record>> requests;
        final Set<String> ownParams;
        /** The options and arguments made from each request record, by parameter name. */
        final Map<Class<?>, Map<String, ArgSpec>> args = new HashMap<>();

        Base(List<Class<? extends Record>> requests, Set<String> ownParams) {
            this.requests = requests;
            this.ownParams = ownParams;
        }

        abstract void query(Review review, Format format);

        @Override
        public Integer call() {
            Clock clock = Clock.systemUTC();
            if (common.now != null) {
                try {
                    clock = Clock.fixed(Instant.parse(common.now), ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    err.println("statetrail query: --now '" + TerminalText.safe(common.now) + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z");
                    return Main.EXIT_USAGE;
                }
            }
            Format format = common.format != null ? common.format : System.console() == null ? Format.jsonl : Format.table;
            LocalTrail trail = LocalCommands.openForReading("query", common.dataDir, err);
            if (trail == null) {
                return LocalCommands.EXIT_NO_TABLE;
            }
            try (trail) {
                query(new Review(trail.store(), clock), format);
                out.flush();
                return 0;
            } catch (BadQuery e) {
                out.flush();
                err.println("statetrail query: " + TerminalText.safe(e.getMessage()));
                return e.status() == 404 ? EXIT_NOT_FOUND : Main.EXIT_USAGE;
            }
        }

        /** The request as given on the command line, with the parameters this command fills itself. */
        <R extends Record> R request(Class<R> type, Map<String, String> own) {
            Map<String, String> values = new HashMap<>(own);
            args.getOrDefault(type, Map.of()).forEach((name, arg) -> values.put(name, arg.getValue()));
            return RequestRecords.create(type, values);
        }

        <R extends Record> R request(Class<R> type) {
            return request(type, Map.of());
        }

        /** One page, or every page with --all; tells on stderr how to get the next one. */
        <T> List<T> page(AllPages pages, Function<PageRequest, Page<T>> query) {
            PageRequest asked = request(PageRequest.class);
            if (!pages.all) {
                Page<T> page = query.apply(asked);
                if (page.next() != null) {
                    err.println("statetrail: more rows: add --cursor " + page.next() + " (or --all)");
                }
                return page.items();
            }
            List<T> rows = new ArrayList<>();
            PageRequest next = new PageRequest(Integer.toString(QueryParams.MAX_LIMIT), asked.cursor());
            String cursor;
            do {
                Page<T> page = query.apply(next);
                rows.addAll(page.items());
                cursor = page.next();
                next = next.next(cursor);
            } while (cursor != null && rows.size() < Review.MAX_EXPORT_ROWS);
            if (cursor != null) {
                err.println("statetrail: stopped at " + rows.size() + " rows; continue with --cursor " + cursor);
            }
            return rows;
        }

        <T> void print(Table<T> table, List<T> rows, Format format, String noun) {
            switch (format) {
                case jsonl -> rows.forEach(r -> out.println(ApiJson.write(r)));
                case csv -> out.print(CsvWriter.write(table, rows));
                case table -> {
                    TablePrinter.print(table, rows, out);
                    out.println(rows.size() + " " + noun + (rows.size() == 1 ? "" : "s"));
                }
            }
        }
    }

    /**
     * Adds a query command's options and arguments from its request records: each parameter's name (or its
     * {@link Cli#option()}), placeholder and description are those the API declares, so the two cannot drift.
     */
    static final class RequestOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Base command = (Base) spec.userObject();
            Set<String> unused = new HashSet<>(command.ownParams);
            for (Class<? extends Record> type : command.requests) {
                Map<String, ArgSpec> byName = new LinkedHashMap<>();
                for (RequestRecords.Param p : RequestRecords.params(type)) {
                    if (unused.remove(p.name())) {
                        continue;
                    }
                    if (p.cli() == null) {
                        throw new IllegalStateException(type.getSimpleName() + "." + p.name() + " says nothing of the CLI (@Cli)");
                    }
                    if (p.cli().positional()) {
                        PositionalParamSpec arg = PositionalParamSpec.builder().index(Integer.toString(spec.positionalParameters().size()))
                                .arity("1").required(true).paramLabel(p.cli().label()).description(p.description()).type(String.class).build();
                        spec.addPositional(arg);
                        byName.put(p.name(), arg);
                    } else {
                        OptionSpec arg = OptionSpec.builder(p.option()).paramLabel(p.cli().label()).description(p.description())
                                .type(String.class).build();
                        spec.addOption(arg);
                        byName.put(p.name(), arg);
                    }
                }
                command.args.put(type, byName);
            }
            if (!unused.isEmpty()) {
                throw new IllegalStateException(spec.qualifiedName() + " fills parameters its requests do not have: " + unused);
            }
            return spec;
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = "The run containing a session: root subject, each role hop (account, time, evidence) and what each hop did.")
    static final class Lineage extends Base {
        Lineage() {
            super(List.of(LineageRequest.class), Set.of());
        }

        @Override
        void query(Review review, Format format) {
            LineageRequest asked = request(LineageRequest.class);
            RunDetail run = review.lineage(asked);
            switch (format) {
                case jsonl -> out.println(ApiJson.write(run));
                case csv -> out.print(CsvWriter.write(Tables.LINEAGE, Tables.lineageRows(run)));
                case table -> LineageTree.print(run, asked.accessKeyId(), out, Terminal.columns());
            }
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Runs (a root session and its descendants), newest first.")
    static final class Runs extends Base {
        @Mixin AllPages pages = new AllPages();

        Runs() {
            super(List.of(RunsRequest.class, PageRequest.class), Set.of());
        }

        @Override
        void query(Review review, Format format) {
            RunsRequest asked = request(RunsRequest.class);
            print(Tables.RUNS, page(pages, p -> review.runs(asked, p)), format, "run");
        }
    }

    @Command(name = "state", mixinStandardHelpOptions = true,
            description = "Timeline of a state: reads, writes, deletes, locks (with holder), newest first.")
    static final class State extends Base {
        @Mixin AllPages pages = new AllPages();

        State() {
            super(List.of(StateTimelineRequest.class, PageRequest.class), Set.of());
        }

        @Override
        void query(Review review, Format format) {
            StateTimelineRequest asked = request(StateTimelineRequest.class);
            print(Tables.STATE_TIMELINE, page(pages, p -> review.stateTimeline(asked, p)), format, "event");
        }
    }

    @Command(name = "repo", mixinStandardHelpOptions = true,
            description = "Activity of a repository (owner/repo) or of subjects matching a glob (repo:acme/*:pull_request), newest first.")
    static final class Repo extends Base {
        @Parameters(paramLabel = "REPO_OR_SUBJECT", description = "owner/repo, or a subject glob such as 'repo:acme/*:pull_request'") String target;
        @Mixin AllPages pages = new AllPages();

        Repo() {
            super(List.of(ActivityRequest.class, PageRequest.class), Set.of("repository", "subject"));
        }

        @Override
        void query(Review review, Format format) {
            boolean subject = target.startsWith("repo:") || target.contains("*") || target.contains("?");
            ActivityRequest asked = request(ActivityRequest.class, Map.of(subject ? "subject" : "repository", target));
            print(Tables.ACTIVITY, page(pages, p -> review.activity(asked, p)), format, "event");
        }
    }

    @Command(name = "locks", mixinStandardHelpOptions = true, description = "Open locks, oldest first, with age, holder run and lock body.")
    static final class Locks extends Base {
        Locks() {
            super(List.of(LocksRequest.class), Set.of());
        }

        @Override
        void query(Review review, Format format) {
            print(Tables.LOCKS, review.locks(request(LocksRequest.class)), format, "open lock");
        }
    }

    @Command(name = "findings", mixinStandardHelpOptions = true, description = "Findings, newest first.")
    static final class Findings extends Base {
        @Mixin AllPages pages = new AllPages();

        Findings() {
            super(List.of(FindingsRequest.class, PageRequest.class), Set.of());
        }

        @Override
        void query(Review review, Format format) {
            FindingsRequest asked = request(FindingsRequest.class);
            List<Finding> rows = page(pages, p -> review.findings(asked, p));
            if (format == Format.table) {
                FindingOutput.print(rows, FindingOutput.Format.table, out);    // as replay prints them
            } else {
                print(Tables.FINDINGS, rows, format, "finding");
            }
        }
    }

    /** The lineage as an indented tree that fits the terminal. */
    static final class LineageTree {
        private LineageTree() {
        }

        static void print(RunDetail run, String asked, PrintStream out, int width) {
            RunSummary s = run.summary();
            out.println(TerminalText.fit("run " + s.runKey() + "  " + TerminalText.safe(s.subject()), width));
            out.println(TerminalText.fit("started " + s.startedAt() + "  last activity " + s.lastActivity() + "  findings " + s.findings(), width));
            out.println(TerminalText.fit("accounts " + String.join(", ", s.accounts()), width));
            for (Tables.LineageRow r : Tables.lineageRows(run)) {
                String indent = "  ".repeat(r.depth() + 1);
                Hop h = r.hop();
                if (r.activity() == null) {
                    String mark = h.accessKeyId().equals(asked) ? " ◀" : "";
                    out.println(TerminalText.fit(indent + "→ " + role(h.roleArn()) + " @" + h.account() + "  " + h.method() + "  "
                            + h.issuedAt() + "  " + h.accessKeyId() + mark, width));
                    if (!h.eventIds().isEmpty()) {
                        out.println(TerminalText.fit(indent + "  events " + String.join(" ", h.eventIds()), width));
                    }
                } else if ("assume-role".equals(r.activity().kind()) && r.activity().errorCode() == null) {
                    continue;    // the hop it made is the next line
                } else {
                    Activity a = r.activity();
                    String who = a.lock() != null && a.lock().who() != null ? "  Who " + TerminalText.safe(a.lock().who()) : "";
                    String error = a.errorCode() != null ? "  " + a.errorCode() : "";
                    out.println(TerminalText.fit(indent + "    " + a.time() + " " + TerminalText.pad(a.kind(), a.kind().length() > 6 ? a.kind().length() : 6) + " "
                            + TerminalText.safe(a.stateKey() != null ? a.stateKey() : a.lockStore()) + error + who + "  " + a.eventId(), width));
                }
            }
            if (!run.findings().isEmpty()) {
                out.println();
                FindingOutput.table(run.findings(), out, width);
                out.flush();
            }
        }

        private static String role(String arn) {
            if (arn == null) {
                return "-";
            }
            int i = arn.indexOf(":role/");
            return i >= 0 ? arn.substring(i + 6) : arn;
        }
    }
}
