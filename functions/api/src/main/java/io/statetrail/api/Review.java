package io.statetrail.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.CallRecord;
import io.statetrail.service.query.Evidence;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The incident-review questions, each asked with its request record ({@link FindingsRequest}, …, which reads and
 * checks its own values): one implementation behind the HTTP controllers (local server and Lambda), the CLI's
 * {@code query} commands and the dashboard. Reads only through {@link AuditQueries}.
 */
public final class Review {

    /** Most rows one CSV export or one overview aggregation reads; the export says when it stopped there. */
    public static final int MAX_EXPORT_ROWS = 10_000;
    static final int EXPORT_PAGE = QueryParams.MAX_LIMIT;

    private final AuditQueries queries;
    private final Clock clock;

    public Review(AuditQueries queries, Clock clock) {
        this.queries = Objects.requireNonNull(queries);
        this.clock = Objects.requireNonNull(clock);
    }

    public Instant now() {
        return clock.instant();
    }

    public RunDetail lineage(LineageRequest r) {
        String key = r.accessKey();
        return queries.lineage(key).orElseThrow(() -> BadQuery.notFound("no session with access key " + key + " in the audit trail"));
    }

    public RunDetail run(RunRequest r) {
        String key = r.key();
        return queries.run(key).orElseThrow(() -> BadQuery.notFound("no run with key " + key + " (a run key is its root session's access key)"));
    }

    public Finding finding(FindingRequest r) {
        String id = r.checked();
        return queries.finding(id).orElseThrow(() -> BadQuery.notFound("no finding " + id));
    }

    /** A finding's status changes, oldest first. */
    public java.util.List<io.statetrail.core.finding.StatusChange> statusHistory(FindingRequest r) {
        return queries.statusHistory(r.checked());
    }

    /** Each call the finding names, with time, event name, source address and user agent; 404 for an unknown finding. */
    public Evidence evidence(FindingRequest r) {
        Finding f = finding(r);
        return store(() -> Evidence.of(f, queries::call));
    }

    /**
     * The CloudTrail record of one call as kept (secrets removed at ingestion, {@code RecordRedaction}); 404 when the
     * call is unknown or its record was not kept.
     */
    public CallRecordView callRecord(CallRecordRequest r) {
        String id = r.checked();
        CallRecord call = store(() -> queries.call(id)).orElseThrow(() -> BadQuery.notFound("no call with eventID " + id
                + " in the audit trail (only the copy kept is looked up: see the finding's evidence)"));
        if (call.record() == null) {
            throw BadQuery.notFound("the record of call " + id + " was not kept (stored before records were kept, or too large)");
        }
        try {
            return new CallRecordView(call.meta().eventId(), call.eventIds(), ApiJson.MAPPER.readTree(call.record()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored record of " + id + " is not JSON", e);
        }
    }

    /** The raw record answer: which call, its copies, and the record itself (a JSON object, as CloudTrail wrote it). */
    public record CallRecordView(String eventId, List<String> eventIds, com.fasterxml.jackson.databind.JsonNode record) {
    }

    public Page<RunSummary> runs(RunsRequest r, PageRequest page) {
        RunQuery q = r.query(now(), page.size(), page.start());
        return store(() -> queries.runs(q));
    }

    public Export<RunSummary> exportRuns(RunsRequest r) {
        return export(c -> queries.runs(r.query(now(), EXPORT_PAGE, c)));
    }

    /** A state's reads, writes, deletes and locks, newest first; 404 when the state was never seen at all. */
    public Page<Activity> stateTimeline(StateTimelineRequest r, PageRequest page) {
        String key = r.state();
        QueryParams.Range range = r.range(now());
        int limit = page.size();
        String cursor = page.start();
        Page<Activity> p = store(() -> queries.stateTimeline(key, range.from(), range.to(), limit, cursor));
        if (p.items().isEmpty() && cursor == null) {
            requireKnownState(key);
        }
        return p;
    }

    public Export<Activity> exportStateTimeline(StateTimelineRequest r) {
        String key = r.state();
        QueryParams.Range range = r.range(now());
        Export<Activity> e = export(c -> queries.stateTimeline(key, range.from(), range.to(), EXPORT_PAGE, c));
        if (e.items().isEmpty()) {
            requireKnownState(key);
        }
        return e;
    }

    private void requireKnownState(String key) {
        Page<Activity> any = store(() -> queries.stateTimeline(key, Instant.EPOCH, now().plus(Duration.ofDays(3650)), 1, null));
        if (any.items().isEmpty()) {
            throw BadQuery.notFound("no activity on state " + key + " in the audit trail (state keys are <bucket>/<key>)");
        }
    }

    /** Everything done by runs of a repository ({@code owner/repo}) or of subjects matching a glob, newest first. */
    public Page<Activity> activity(ActivityRequest r, PageRequest page) {
        String who = r.target();
        QueryParams.Range range = r.range(now());
        int limit = page.size();
        String cursor = page.start();
        return store(() -> queries.activity(who, range.from(), range.to(), limit, cursor));
    }

    public Export<Activity> exportActivity(ActivityRequest r) {
        String who = r.target();
        QueryParams.Range range = r.range(now());
        return export(c -> queries.activity(who, range.from(), range.to(), EXPORT_PAGE, c));
    }

    /** Open locks, oldest first, with their age at the server's now and any stale-lock finding. */
    public List<LockView> locks(LocksRequest r) {
        r.checked();
        Instant now = now();
        List<OpenLock> open = store(queries::openLocks);
        Map<String, String> stale = new HashMap<>();
        Page<Finding> staleFindings = store(() -> queries.findings(
                new FindingQuery(null, null, "stale-lock", null, null, null, null, QueryParams.MAX_LIMIT, null)));
        for (Finding f : staleFindings.items()) {
            stale.putIfAbsent(f.stateKey() + "\n" + f.accessKeyId(), f.id());
            stale.putIfAbsent(f.stateKey(), f.id());
        }
        List<LockView> out = new ArrayList<>();
        for (OpenLock l : open) {
            if (!r.shows(l)) {
                continue;
            }
            long age = l.acquiredAt() == null ? 0 : Math.max(0, Duration.between(l.acquiredAt(), now).getSeconds());
            String id = stale.getOrDefault(l.stateKey() + "\n" + l.holderAccessKeyId(), stale.get(l.stateKey()));
            out.add(new LockView(l, age, id));
        }
        out.sort(Comparator.comparingLong(LockView::ageSeconds).reversed());
        return out;
    }

    public Page<Finding> findings(FindingsRequest r, PageRequest page) {
        FindingQuery q = r.query(now(), page.size(), page.start());
        return store(() -> queries.findings(q));
    }

    public Export<Finding> exportFindings(FindingsRequest r) {
        return export(c -> queries.findings(r.query(now(), EXPORT_PAGE, c)));
    }

    /**
     * The dashboard's first screen: findings per day and severity over {@code days}, the latest critical and high
     * findings, open locks, and runs per repository in the last {@code hours} before {@code to}.
     */
    public ObjectNode overview(OverviewRequest request) {
        OverviewRequest.Window w = request.window(now());
        Instant to = w.to();
        int days = w.days();
        int hours = w.hours();
        String repo = w.repository();

        ObjectNode o = ApiJson.object();
        o.put("now", now().toString());
        o.put("to", to.toString());

        LocalDate lastDay = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        LocalDate firstDay = lastDay.minusDays(days - 1L);
        Instant chartFrom = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<LocalDate, int[]> perDay = new TreeMap<>();
        for (LocalDate d = firstDay; !d.isAfter(lastDay); d = d.plusDays(1)) {
            perDay.put(d, new int[Severity.values().length]);
        }
        Instant chartTo = to;
        Export<Finding> window = export(c -> queries.findings(
                new FindingQuery(chartFrom, chartTo, null, null, repo, null, null, EXPORT_PAGE, c)));
        int[] totals = new int[Severity.values().length];
        for (Finding f : window.items()) {
            int[] counts = f.time() == null ? null : perDay.get(LocalDate.ofInstant(f.time(), ZoneOffset.UTC));
            if (counts != null) {
                counts[f.severity().ordinal()]++;
                totals[f.severity().ordinal()]++;
            }
        }
        ObjectNode chart = o.putObject("chart");
        chart.put("from", chartFrom.toString());
        chart.put("to", chartTo.toString());
        chart.put("truncated", window.truncated());
        ArrayNode series = chart.putArray("days");
        perDay.forEach((day, counts) -> {
            ObjectNode d = series.addObject();
            d.put("day", day.toString());
            for (Severity s : Severity.values()) {
                d.put(s.label(), counts[s.ordinal()]);
            }
        });
        ObjectNode tot = chart.putObject("totals");
        for (Severity s : Severity.values()) {
            tot.put(s.label(), totals[s.ordinal()]);
        }

        Page<Finding> latest = store(() -> queries.findings(
                new FindingQuery(null, chartTo, null, Severity.HIGH, repo, null, null, 10, null)));
        o.set("latest", ApiJson.array(latest.items()));

        o.set("locks", ApiJson.array(locks(new LocksRequest(null, repo))));

        Instant runsFrom = to.minus(Duration.ofHours(hours));
        Export<RunSummary> runs = export(c -> queries.runs(new RunQuery(repo, null, null, null, runsFrom, chartTo, EXPORT_PAGE, c)));
        Map<String, ObjectNode> byRepo = new LinkedHashMap<>();
        ObjectNode runsNode = o.putObject("runs");
        runsNode.put("from", runsFrom.toString());
        runsNode.put("to", to.toString());
        runsNode.put("truncated", runs.truncated());
        List<RunSummary> sorted = new ArrayList<>(runs.items());
        sorted.sort(Comparator.comparing(RunSummary::lastActivity, Comparator.nullsLast(Comparator.reverseOrder())));
        for (RunSummary r : sorted) {
            String name = r.repository() == null ? "" : r.repository();
            ObjectNode row = byRepo.computeIfAbsent(name, n -> {
                ObjectNode x = ApiJson.object();
                x.put("repository", n.isEmpty() ? null : n);
                x.put("runs", 0);
                x.put("findings", 0);
                x.put("latestRunKey", r.runKey());
                x.put("lastActivity", r.lastActivity() == null ? null : r.lastActivity().toString());
                x.put("latestSubject", r.subject());
                return x;
            });
            row.put("runs", row.get("runs").asInt() + 1);
            row.put("findings", row.get("findings").asInt() + r.findings());
        }
        ArrayNode repos = runsNode.putArray("repositories");
        byRepo.values().stream()
                .sorted(Comparator.comparingInt((ObjectNode n) -> -n.get("runs").asInt()))
                .forEach(repos::add);
        runsNode.put("total", runs.items().size());
        return o;
    }

    /** Pages through a query until it ends or {@link #MAX_EXPORT_ROWS} rows were read. */
    static <T> Export<T> export(Function<String, Page<T>> pageAfter) {
        List<T> rows = new ArrayList<>();
        String cursor = null;
        do {
            String c = cursor;
            Page<T> page = store(() -> pageAfter.apply(c));
            for (T item : page.items()) {
                if (rows.size() == MAX_EXPORT_ROWS) {
                    return new Export<>(rows, true);
                }
                rows.add(item);
            }
            cursor = page.next();
        } while (cursor != null);
        return new Export<>(rows, false);
    }

    /** The store refuses a cursor it did not issue with IllegalArgumentException: the caller's mistake, so a 400. */
    private static <T> T store(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw BadQuery.invalid(e.getMessage() == null ? "the query was refused by the audit store" : e.getMessage());
        }
    }

    /** Rows of an export, and whether it stopped at {@link #MAX_EXPORT_ROWS}. */
    public record Export<T>(List<T> items, boolean truncated) {
    }
}
