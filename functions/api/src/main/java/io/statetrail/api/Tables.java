package io.statetrail.api;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.Hop;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunClaims;
import io.statetrail.service.query.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tabular forms of every query result (CSV export and the CLI's {@code table} and {@code csv} formats). */
public final class Tables {

    private Tables() {
    }

    public static final Table<Activity> ACTIVITY = new Table<Activity>()
            .col("time", 20, a -> time(a.time()))
            .col("kind", 11, Activity::kind)
            .col("stateKey", 44, Activity::stateKey)
            .col("lockStore", Activity::lockStore)
            .col("subject", 22, Activity::subject)
            .col("repository", Activity::repository)
            .col("roleArn", Activity::roleArn)
            .col("account", Activity::account)
            .col("accessKeyId", Activity::accessKeyId)
            .col("runKey", Activity::runKey)
            .col("eventId", Activity::eventId)
            .col("errorCode", Activity::errorCode)
            .col("lockId", a -> lock(a.lock(), LockDetails::id))
            .col("lockOperation", a -> lock(a.lock(), LockDetails::operation))
            .col("lockWho", a -> lock(a.lock(), LockDetails::who))
            .col("lockVersion", a -> lock(a.lock(), LockDetails::version))
            .col("lockCreated", a -> lock(a.lock(), LockDetails::created))
            .col("lockPath", a -> lock(a.lock(), LockDetails::path))
            .cutFirst("subject", "stateKey", "time", "kind");

    /** One state's timeline: the state key is known, so the table shows who, which run and the evidence instead. */
    public static final Table<Activity> STATE_TIMELINE = ACTIVITY.withWidths(
            java.util.Map.of("time", 20, "kind", 7, "subject", 36, "runKey", 20, "eventId", 12))
            .cutFirst("eventId", "runKey", "subject", "time", "kind");

    public static final Table<Finding> FINDINGS = new Table<Finding>()
            .col("time", 20, f -> time(f.time()))
            .col("severity", 8, f -> f.severity().label())
            .col("type", 30, Finding::type)
            .col("where", 39, f -> f.stateKey() != null ? f.stateKey() : f.roleArn())
            .col("id", Finding::id)
            .col("account", Finding::account)
            .col("subject", Finding::subject)
            .col("repository", Finding::repository)
            .col("ref", Finding::ref)
            .col("roleArn", Finding::roleArn)
            .col("stateKey", Finding::stateKey)
            .col("accessKeyId", Finding::accessKeyId)
            .col("runKey", Finding::runKey)
            .col("roleChain", f -> String.join(" > ", f.roleChain()))
            .col("eventIds", f -> String.join(" ", f.eventIds()))
            .col("count", f -> Integer.toString(f.count()))
            .col("summary", Finding::summary)
            .col("details", f -> new TreeMap<>(f.details()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")))
            .col("status", f -> f.status().label())
            .cutFirst("where", "time", "type", "severity");

    public static final Table<RunSummary> RUNS = new Table<RunSummary>()
            .col("startedAt", 20, r -> time(r.startedAt()))
            .col("runKey", 20, RunSummary::runKey)
            .col("subject", 46, RunSummary::subject)
            .col("findings", 8, r -> Integer.toString(r.findings()))
            .col("repository", RunSummary::repository)
            .col("ref", RunSummary::ref)
            .col("environment", RunSummary::environment)
            .col("lastActivity", r -> time(r.lastActivity()))
            .col("roles", r -> String.join(" ", r.roles()))
            .col("accounts", r -> String.join(" ", r.accounts()))
            .col("stateKeys", r -> String.join(" ", r.stateKeys()))
            // Claimed by the run itself, not verified (the subject is): named so in the header.
            .col("claimedRunId", r -> claimed(r, RunClaims::runId))
            .col("claimedWorkflow", r -> claimed(r, RunClaims::workflow))
            .col("claimedBranch", r -> claimed(r, RunClaims::branch))
            .col("claimedRunUrl", r -> r.claims() == null ? null : r.claims().url())
            .cutFirst("subject", "startedAt", "runKey", "findings");

    private static String claimed(RunSummary r, Function<RunClaims, RunClaims.Claimed> field) {
        RunClaims.Claimed c = r.claims() == null ? null : field.apply(r.claims());
        return c == null ? null : c.value();
    }

    public static final Table<LockView> LOCKS = new Table<LockView>()
            .col("acquiredAt", 20, l -> time(l.lock().acquiredAt()))
            .col("age", 8, l -> age(l.ageSeconds()))
            .col("stateKey", 48, l -> l.lock().stateKey())
            .col("who", 21, l -> l.lock().details() != null && l.lock().details().who() != null ? l.lock().details().who() : l.lock().subject())
            .col("stale", l -> l.staleFindingId() == null ? "" : "yes")
            .col("ageSeconds", l -> Long.toString(l.ageSeconds()))
            .col("lockStore", l -> l.lock().lockStore())
            .col("holderRunKey", l -> l.lock().holderRunKey())
            .col("holderAccessKeyId", l -> l.lock().holderAccessKeyId())
            .col("subject", l -> l.lock().subject())
            .col("repository", l -> l.lock().repository())
            .col("acquiredEventId", l -> l.lock().acquiredEventId())
            .col("lockId", l -> lock(l.lock().details(), LockDetails::id))
            .col("lockOperation", l -> lock(l.lock().details(), LockDetails::operation))
            .col("lockWho", l -> lock(l.lock().details(), LockDetails::who))
            .col("staleFindingId", LockView::staleFindingId)
            .cutFirst("acquiredAt", "who", "stateKey", "age");

    /** One row per hop and activity of a run, root first: what {@code query lineage --format csv} prints. */
    public record LineageRow(int depth, Hop hop, Activity activity) {
    }

    public static final Table<LineageRow> LINEAGE = new Table<LineageRow>()
            .col("depth", r -> Integer.toString(r.depth()))
            .col("hopKey", r -> r.hop().accessKeyId())
            .col("parentKey", r -> r.hop().parentKey())
            .col("method", r -> r.hop().method())
            .col("roleArn", r -> r.hop().roleArn())
            .col("account", r -> r.hop().account())
            .col("sessionName", r -> r.hop().sessionName())
            .col("issuedAt", r -> time(r.hop().issuedAt()))
            .col("hopEventIds", r -> String.join(" ", r.hop().eventIds()))
            .col("time", r -> r.activity() == null ? "" : time(r.activity().time()))
            .col("kind", r -> r.activity() == null ? "" : r.activity().kind())
            .col("stateKey", r -> r.activity() == null ? "" : r.activity().stateKey())
            .col("eventId", r -> r.activity() == null ? "" : r.activity().eventId())
            .col("errorCode", r -> r.activity() == null ? "" : r.activity().errorCode())
            .col("lockWho", r -> r.activity() == null ? "" : lock(r.activity().lock(), LockDetails::who));

    /** Hops depth-first from the root (children in issue order), each followed by its activity. */
    public static List<LineageRow> lineageRows(RunDetail run) {
        Map<String, List<Hop>> children = new HashMap<>();
        List<Hop> roots = new ArrayList<>();
        Map<String, Hop> byKey = new HashMap<>();
        run.hops().forEach(h -> byKey.put(h.accessKeyId(), h));
        for (Hop h : run.hops()) {
            if (h.parentKey() == null || !byKey.containsKey(h.parentKey()) || h.parentKey().equals(h.accessKeyId())) {
                roots.add(h);
            } else {
                children.computeIfAbsent(h.parentKey(), k -> new ArrayList<>()).add(h);
            }
        }
        List<LineageRow> rows = new ArrayList<>();
        for (Hop r : roots) {
            walk(r, 0, children, rows, new java.util.HashSet<>());
        }
        return rows;
    }

    private static void walk(Hop hop, int depth, Map<String, List<Hop>> children, List<LineageRow> rows, java.util.Set<String> seen) {
        if (!seen.add(hop.accessKeyId())) {
            return;
        }
        rows.add(new LineageRow(depth, hop, null));
        for (Activity a : hop.activity()) {
            rows.add(new LineageRow(depth, hop, a));
        }
        for (Hop c : children.getOrDefault(hop.accessKeyId(), List.of())) {
            walk(c, depth + 1, children, rows, seen);
        }
    }

    static String time(Instant t) {
        return t == null ? "" : t.toString();
    }

    static String age(long seconds) {
        if (seconds < 3600) {
            return (seconds / 60) + "m";
        }
        if (seconds < 86_400) {
            return (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m";
        }
        return (seconds / 86_400) + "d" + (seconds % 86_400 / 3600) + "h";
    }

    private static String lock(LockDetails d, Function<LockDetails, String> f) {
        return d == null ? "" : f.apply(d);
    }
}
