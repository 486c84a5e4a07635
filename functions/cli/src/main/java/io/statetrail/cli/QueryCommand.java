package io.statetrail.cli;

import io.statetrail.api.ApiJson;
import io.statetrail.api.BadQuery;
import io.statetrail.api.CsvWriter;
import io.statetrail.api.LockView;
import io.statetrail.api.QueryParams;
import io.statetrail.api.Review;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        System.err.println("statetrail query: which question? (lineage, runs, state, repo, locks, findings)");
        spec.commandLine().usage(System.err);
        return Main.EXIT_USAGE;
    }

    public enum Format { table, jsonl, csv }

    static final String FROM = "from this time on: ISO-8601, a date, or a time before now (24h, 7d)";
    static final String TO = "up to this time: ISO-8601, a date, or a time before now (24h, 7d)";

    /** Options every query takes. */
    static final class Common {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "audit table folder (default: " + LocalTrail.DEFAULT_DATA_DIR + ")")
        Path dataDir = Path.of(LocalTrail.DEFAULT_DATA_DIR);

        @Option(names = "--format", paramLabel = "table|jsonl|csv", description = "output (default: table on a terminal, else jsonl)")
        Format format;

        @Option(names = "--now", paramLabel = "ISO-8601", description = "judge lock ages and relative times (24h, 7d) at this time")
        String now;
    }

    /** Paging options of list queries. */
    static final class Paging {
        @Option(names = "--limit", paramLabel = "N", description = "rows per page, 1..500 (default 50)")
        Integer limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page (printed on stderr after a page)")
        String cursor;

        @Option(names = "--all", description = "follow every page (at most 10,000 rows)")
        boolean all;
    }

    /** Opens the table, runs the query, prints; refused queries print their reason and exit 2 (4 when not found). */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        PrintStream err = System.err;

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

        /** One page, or every page with --all; tells on stderr how to get the next one. */
        <T> List<T> page(Paging paging, Map<String, String> filters, Function<QueryParams, Page<T>> query) {
            Map<String, String> p = new LinkedHashMap<>(filters);
            if (!paging.all) {
                if (paging.limit != null) {
                    p.put("limit", paging.limit.toString());
                }
                p.put("cursor", paging.cursor);
                Page<T> page = query.apply(QueryParams.of(p));
                if (page.next() != null) {
                    err.println("statetrail: more rows: add --cursor " + page.next() + " (or --all)");
                }
                return page.items();
            }
            List<T> rows = new ArrayList<>();
            String cursor = paging.cursor;
            do {
                p.put("limit", Integer.toString(QueryParams.MAX_LIMIT));
                p.put("cursor", cursor);
                Page<T> page = query.apply(QueryParams.of(p));
                rows.addAll(page.items());
                cursor = page.next();
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

    static Map<String, String> filters(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = "The run containing a session: root subject, each role hop (account, time, evidence) and what each hop did.")
    static final class Lineage extends Base {
        @Parameters(paramLabel = "ACCESS_KEY", description = "any session's access key id (ASIA…), or an IAM user's (AKIA…)")
        String accessKey;

        @Override
        void query(Review review, Format format) {
            RunDetail run = review.lineage(accessKey);
            switch (format) {
                case jsonl -> out.println(ApiJson.write(run));
                case csv -> out.print(CsvWriter.write(Tables.LINEAGE, Tables.lineageRows(run)));
                case table -> LineageTree.print(run, accessKey, out, Terminal.columns());
            }
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Runs (a root session and its descendants), newest first.")
    static final class Runs extends Base {
        @Option(names = "--repository", paramLabel = "OWNER/REPO", description = "runs of this repository") String repository;
        @Option(names = "--subject", paramLabel = "GLOB", description = "runs whose subject matches, e.g. 'repo:acme/infra:pull_request'") String subject;
        @Option(names = "--ref", paramLabel = "REF", description = "refs/heads/main, a branch or tag name (main), or a context (pull_request)") String ref;
        @Option(names = "--environment", paramLabel = "NAME", description = "runs of this GitHub environment") String environment;
        @Option(names = "--from", paramLabel = "TIME", description = FROM) String from;
        @Option(names = "--to", paramLabel = "TIME", description = TO) String to;
        @Mixin Paging paging = new Paging();

        @Override
        void query(Review review, Format format) {
            List<RunSummary> rows = page(paging, filters("repository", repository, "subject", subject, "ref", ref,
                    "environment", environment, "from", from, "to", to), review::runs);
            print(Tables.RUNS, rows, format, "run");
        }
    }

    @Command(name = "state", mixinStandardHelpOptions = true,
            description = "Timeline of a state: reads, writes, deletes, locks (with holder), newest first.")
    static final class State extends Base {
        @Parameters(paramLabel = "STATE_KEY", description = "<bucket>/<key>, e.g. acme-tfstate-prod/infra/terraform.tfstate") String key;
        @Option(names = "--from", paramLabel = "TIME", description = FROM) String from;
        @Option(names = "--to", paramLabel = "TIME", description = TO) String to;
        @Mixin Paging paging = new Paging();

        @Override
        void query(Review review, Format format) {
            List<Activity> rows = page(paging, filters("key", key, "from", from, "to", to), review::stateTimeline);
            print(Tables.STATE_TIMELINE, rows, format, "event");
        }
    }

    @Command(name = "repo", mixinStandardHelpOptions = true,
            description = "Activity of a repository (owner/repo) or of subjects matching a glob (repo:acme/*:pull_request), newest first.")
    static final class Repo extends Base {
        @Parameters(paramLabel = "REPO_OR_SUBJECT", description = "owner/repo, or a subject glob such as 'repo:acme/*:pull_request'") String target;
        @Option(names = "--from", paramLabel = "TIME", description = FROM) String from;
        @Option(names = "--to", paramLabel = "TIME", description = TO) String to;
        @Mixin Paging paging = new Paging();

        @Override
        void query(Review review, Format format) {
            boolean subject = target.startsWith("repo:") || target.contains("*") || target.contains("?");
            List<Activity> rows = page(paging, filters(subject ? "subject" : "repository", target, "from", from, "to", to), review::activity);
            print(Tables.ACTIVITY, rows, format, "event");
        }
    }

    @Command(name = "locks", mixinStandardHelpOptions = true, description = "Open locks, oldest first, with age, holder run and lock body.")
    static final class Locks extends Base {
        @Option(names = "--state", paramLabel = "STATE_KEY", description = "only the lock of this state (<bucket>/<key>)") String state;
        @Option(names = "--repository", paramLabel = "OWNER/REPO", description = "only locks held by runs of this repository") String repository;

        @Override
        void query(Review review, Format format) {
            List<LockView> rows = review.locks(QueryParams.of(filters("stateKey", state, "repository", repository)));
            print(Tables.LOCKS, rows, format, "open lock");
        }
    }

    @Command(name = "findings", mixinStandardHelpOptions = true, description = "Findings, newest first.")
    static final class Findings extends Base {
        @Option(names = "--from", paramLabel = "TIME", description = FROM) String from;
        @Option(names = "--to", paramLabel = "TIME", description = TO) String to;
        @Option(names = "--type", paramLabel = "TYPE", description = "findings of this type, e.g. state-write-unexpected-subject") String type;
        @Option(names = "--severity", paramLabel = "SEVERITY", description = "this severity and above (low, medium, high, critical)") String severity;
        @Option(names = "--repository", paramLabel = "OWNER/REPO", description = "findings about runs of this repository") String repository;
        @Option(names = "--state", paramLabel = "STATE_KEY", description = "findings about this state (<bucket>/<key>)") String state;
        @Option(names = "--run", paramLabel = "RUN_KEY", description = "findings of this run (its root access key, as query runs prints it)") String run;
        @Option(names = "--withdrawn", paramLabel = "exclude|include|only", description = "findings paged and then withdrawn once "
                + "late records arrived (default: exclude); details.withdrawn says why") String withdrawn;
        @Mixin Paging paging = new Paging();

        @Override
        void query(Review review, Format format) {
            List<Finding> rows = page(paging, filters("from", from, "to", to, "type", type, "severity", severity,
                    "repository", repository, "stateKey", state, "runKey", run, "withdrawn", withdrawn), review::findings);
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
