package io.statetrail.store.dynamodb;

import static io.statetrail.store.dynamodb.TableAccess.*;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Hop;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import io.statetrail.store.dynamodb.Items.CallItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import io.statetrail.store.dynamodb.Items.LockItem;
import io.statetrail.store.dynamodb.Items.RunSummaryItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;

import static io.statetrail.store.dynamodb.Paging.*;
import io.statetrail.service.query.AuditQueries;

/**
 * The incident-review questions, each answered with queries on the base table or an index (never a scan). Pages are
 * newest first; cursors are opaque (the sort key of the last item returned, base64url).
 */
final class DynamoQueries implements AuditQueries {

    /** Reads made alongside a query's main read; daemon threads, as the CLI exits without closing stores. */
    private static final ExecutorService SIDE_READS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "statetrail-side-read");
        t.setDaemon(true);
        return t;
    });

    private final TableAccess table;
    private final RunSummaries runSummaries;
    private final SubjectCatalogue subjects;
    private final RunListing listing;

    private final DynamoFindingStatuses statuses;

    DynamoQueries(TableAccess table, RunSummaries runSummaries, SubjectCatalogue subjects, DynamoFindingStatuses statuses) {
        this.statuses = statuses;
        this.table = table;
        this.runSummaries = runSummaries;
        this.subjects = subjects;
        this.listing = new RunListing(table, runSummaries, subjects);
    }

    @Override
    public Page<RunSummary> runs(RunQuery query) {
        return listing.runs(query, this::run);
    }

    @Override
    public Optional<Finding> finding(String id) {
        FindingItem i = table.findings.getItem(r -> r.key(key(Keys.FINDING + id, Keys.FINDING_SK)).consistentRead(true));
        if (i == null) {
            return Optional.empty();
        }
        List<io.statetrail.core.finding.StatusChange> h = statuses.statusHistory(id);
        Finding f = FindingItems.shown(i);
        return Optional.of(h.isEmpty() ? f : f.withStatus(h.get(h.size() - 1)));
    }

    @Override
    public List<io.statetrail.core.finding.StatusChange> statusHistory(String findingId) {
        return statuses.statusHistory(findingId);
    }

    @Override
    public Optional<io.statetrail.service.query.CallRecord> call(String eventId) {
        return CallRecords.byEventId(table, eventId);
    }

    // ---- runs and lineage ----

    @Override
    public Optional<RunDetail> lineage(String accessKeyId) {
        List<CallItem> sessions = table.sessionItems(accessKeyId);
        if (!sessions.isEmpty()) {
            String runKey = sessions.get(0).runKey != null ? sessions.get(0).runKey : accessKeyId;
            return run(runKey);
        }
        return table.callItemsSignedBy(accessKeyId, null, null, true, 1).isEmpty() ? Optional.empty() : run(accessKeyId);
    }
    @Override
    public Optional<RunDetail> run(String runKey) {
        List<CallItem> hopsItems = new ArrayList<>(table.sessionItems(runKey));
        hopsItems.addAll(TableAccess.queryIndex(table.calls, "gsi3", Keys.RUN + runKey, null, null, true, Integer.MAX_VALUE));
        Attribution attribution = new Attribution();
        List<Hop> hops = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (CallItem s : hopsItems) {
            if (keys.add(s.issuedKey)) {
                hops.add(hop(s, attribution));
            }
        }
        if (!keys.contains(runKey)) {
            // A run whose root is not a known session: a long-lived key, or the session whose issuing event is missing.
            List<Activity> activity = activityOf(runKey, null, null, attribution);
            if (!activity.isEmpty()) {
                hops.add(0, new Hop(runKey, null, null, null, null, null, null, null, List.of(), activity));
            }
        }
        if (hops.isEmpty()) {
            return Optional.empty();
        }
        hops.sort(Comparator.comparing((Hop h) -> h.issuedAt() == null ? Instant.EPOCH : h.issuedAt()).thenComparing(Hop::accessKeyId));
        List<Finding> fs = new ArrayList<>();
        for (FindingItem f : table.heldFindingsOfRun(runKey)) {
            fs.add(FindingItems.shown(f));
        }
        return Optional.of(new RunDetail(summary(runKey, hopsItems, hops, fs.size()), hops, fs));
    }

    private Hop hop(CallItem s, Attribution attribution) {
        List<String> eventIds = new ArrayList<>();
        for (List<TrailEvent> copy : TableAccess.copies(s)) {
            eventIds.add(copy.get(0).meta().eventId());
        }
        return new Hop(s.issuedKey, parentOf(s), s.method, s.roleArn, s.roleAccount, sessionName(s), Keys.instant(s.time),
                Keys.instant(s.expiration), eventIds, activityOf(s.issuedKey, null, null, attribution));
    }

    private static String parentOf(CallItem s) {
        return s.parentKey;
    }

    private static String sessionName(CallItem s) {
        for (TrailEvent e : TableAccess.preferred(s)) {
            if (e instanceof RoleAssumed r) {
                return r.sessionName();
            }
        }
        return null;
    }

    private RunSummary summary(String runKey, List<CallItem> sessions, List<Hop> hops, int findings) {
        String subject = null;
        String provider = null;
        for (CallItem s : sessions) {
            if (s.rootSubject != null) {
                subject = s.rootSubject;
                provider = s.rootProvider;
                break;
            }
        }
        Subject parsed = subject == null ? null : SubjectParser.parse(subject, provider);
        Instant started = null;
        Instant last = null;
        // Sorted, as the runs listing reads them from the run's summary item (sets).
        Set<String> roles = new TreeSet<>();
        Set<String> accounts = new TreeSet<>();
        Set<String> states = new TreeSet<>();
        Set<String> claims = new TreeSet<>();
        for (CallItem s : sessions) {
            claims.addAll(StoredClaims.of(s));
        }
        for (Hop h : hops) {
            if (h.issuedAt() != null && (started == null || h.issuedAt().isBefore(started))) {
                started = h.issuedAt();
            }
            if (h.roleArn() != null) {
                roles.add(h.roleArn());
            }
            if (h.account() != null) {
                accounts.add(h.account());
            }
            for (Activity a : h.activity()) {
                if (last == null || a.time().isAfter(last)) {
                    last = a.time();
                }
                if (started == null || a.time().isBefore(started)) {
                    started = a.time();
                }
                if (a.stateKey() != null) {
                    states.add(a.stateKey());
                }
            }
        }
        return new RunSummary(runKey, subject, parsed == null ? null : parsed.repository(),
                parsed == null ? null : parsed.ref(), parsed == null ? null : parsed.environment(), started,
                last == null ? started : last, List.copyOf(roles), List.copyOf(accounts), List.copyOf(states), findings,
                StoredClaims.read(claims, provider, parsed == null ? null : parsed.repository()));
    }

    // ---- timelines ----

    @Override
    public Page<Activity> stateTimeline(String stateKey, Instant from, Instant to, int limit, String cursor) {
        int n = limit(limit);
        String after = decode(cursor);
        String pk = Keys.STATE + stateKey;
        String lo = from == null ? Keys.CALL_SK : Keys.CALL_SK + Keys.time(from);
        String hi = to == null ? Keys.CALL_SK + "~" : Keys.CALL_SK + Keys.time(to);
        if (after != null && after.compareTo(hi) < 0) {
            hi = after;
        }
        List<TrailEvent> events = new ArrayList<>();
        String lastSk = null;
        boolean more = false;
        int rows = 0;
        Iterator<CallItem> it = table.calls.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(TableAccess.key(pk, lo), TableAccess.key(pk, hi)))
                .scanIndexForward(false).consistentRead(true).limit(Math.min(n + 1, 100)).build()).items().iterator();
        while (it.hasNext()) {
            CallItem i = it.next();
            if (i.sk.equals(after) || i.sk.equals(hi) && to != null && after == null) {
                continue;
            }
            if (rows >= n) {
                more = true;
                break;
            }
            for (TrailEvent e : TableAccess.preferred(i)) {
                if (e instanceof StateAccess s && s.stateKey().equals(stateKey)) {
                    events.add(e);
                    rows++;
                }
            }
            lastSk = i.sk;
        }
        Attribution attribution = new Attribution();
        attribution.prefetch(events);
        List<Activity> out = new ArrayList<>();
        for (TrailEvent e : events) {
            out.add(activity(e, attribution));
        }
        return new Page<>(out, more ? encode(lastSk) : null);
    }
    @Override
    public Page<Activity> activity(String repositoryOrSubjectPattern, Instant from, Instant to, int limit, String cursor) {
        int n = limit(limit);
        String after = decode(cursor);
        String pattern = repositoryOrSubjectPattern;
        boolean isRepository = !pattern.contains(":") && !pattern.contains("*") && !pattern.contains("?");
        String repository = isRepository ? pattern : SubjectIndex.repositoryOf(pattern);
        Glob glob = isRepository ? null : Glob.of(pattern);
        // Runs that started up to one session length before the window can act in it.
        Instant runsFrom = from == null ? null : from.minus(TableAccess.MAX_SESSION);
        List<CallItem> roots = new ArrayList<>();
        for (Iterator<CallItem> it = listing.rootSessions(repository, runsFrom, to, null, List.of()); it.hasNext() && roots.size() < RunListing.MAX_RUNS; ) {
            CallItem s = it.next();
            if (runsFrom != null && s.time.compareTo(Keys.time(runsFrom)) < 0) {
                break;
            }
            Subject subject = s.rootSubject == null ? null : SubjectParser.parse(s.rootSubject, s.rootProvider);
            if (glob != null && (subject == null || !Policy.subjectMatches(glob, subject))) {
                continue;
            }
            if (isRepository && (subject == null || !pattern.equals(subject.repository()))) {
                continue;
            }
            roots.add(s);
        }
        Attribution attribution = new Attribution();
        List<Entry> entries = new ArrayList<>();
        for (CallItem root : roots) {
            List<CallItem> sessions = new ArrayList<>(List.of(root));
            sessions.addAll(TableAccess.queryIndex(table.calls, "gsi3", Keys.RUN + root.issuedKey, null, null, true, Integer.MAX_VALUE));
            for (CallItem s : sessions) {
                if (inWindow(Keys.instant(s.time), from, to)) {
                    for (TrailEvent e : TableAccess.preferred(s)) {
                        entries.add(new Entry(Keys.timeSk(e.meta().time(), s.callKey), activity(e, attribution)));
                    }
                }
                for (CallItem c : table.callItemsSignedBy(s.issuedKey, from, to, true, Integer.MAX_VALUE)) {
                    if ("session".equals(c.kind)) {
                        continue; // listed as a session of the run above
                    }
                    for (TrailEvent e : TableAccess.preferred(c)) {
                        entries.add(new Entry(Keys.timeSk(e.meta().time(), c.callKey), activity(e, attribution)));
                    }
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::sortKey).reversed());
        List<Activity> out = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        for (Entry e : entries) {
            if (after != null && e.sortKey().compareTo(after) >= 0) {
                continue;
            }
            if (out.size() >= n) {
                more = true;
                break;
            }
            out.add(e.activity());
            lastKey = e.sortKey();
        }
        return new Page<>(out, more ? encode(lastKey) : null);
    }

    private record Entry(String sortKey, Activity activity) {
    }

    private static boolean inWindow(Instant t, Instant from, Instant to) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private List<Activity> activityOf(String key, Instant from, Instant to, Attribution attribution) {
        List<Activity> out = new ArrayList<>();
        for (CallItem c : table.callItemsSignedBy(key, from, to, true, Integer.MAX_VALUE)) {
            for (TrailEvent e : TableAccess.preferred(c)) {
                out.add(activity(e, attribution));
            }
        }
        return out;
    }

    /**
     * The run and subject behind each acting key, and the lock body of each acquisition, read once per query; a page
     * reads them all at once ({@link #prefetch}): one BatchGetItem for the sessions, one query per lock store.
     */
    private final class Attribution {
        private final Map<String, Optional<CallItem>> sessions = new HashMap<>();
        private final Map<String, List<Items.LockInfoItem>> lockBodies = new HashMap<>();

        void prefetch(Collection<TrailEvent> events) {
            Set<String> keys = new TreeSet<>();
            Map<String, Instant[]> spans = new HashMap<>();
            for (TrailEvent e : events) {
                String k = e.meta().actor() == null ? null : e.meta().actor().accessKeyId();
                if (k != null && !sessions.containsKey(k)) {
                    keys.add(k);
                }
                if (e instanceof StateAccess s && s.operation() == StateAccess.Operation.LOCK) {
                    Instant t = e.meta().time();
                    spans.merge(lockScope(s), new Instant[] {t, t}, (a, b) -> new Instant[] {
                            RunSummaries.min(a[0], b[0]), RunSummaries.max(a[1], b[1])});
                }
            }
            // The lock bodies are read while the sessions are: one round trip less on the timeline's critical path.
            Map<String, CompletableFuture<List<Items.LockInfoItem>>> bodies = new HashMap<>();
            for (TrailEvent e : events) {
                if (e instanceof StateAccess s && s.operation() == StateAccess.Operation.LOCK) {
                    Instant[] span = spans.remove(lockScope(s));
                    if (span != null) {
                        bodies.put(lockScope(s), CompletableFuture.supplyAsync(
                                () -> table.lockInfos(s.stateKey(), s.lockStore(), span[0], span[1]), SIDE_READS));
                    }
                }
            }
            Map<String, CallItem> found = table.sessionRuns(keys);
            for (String k : keys) {
                sessions.put(k, Optional.ofNullable(found.get(k)));
            }
            bodies.forEach((scope, body) -> lockBodies.put(scope, join(body)));
        }

        Optional<CallItem> session(String key) {
            if (key == null) {
                return Optional.empty();
            }
            return sessions.computeIfAbsent(key, k -> Optional.ofNullable(table.sessionItem(k)));
        }

        LockDetails lock(StateAccess s) {
            List<Items.LockInfoItem> prefetched = lockBodies.get(lockScope(s));
            return (prefetched != null ? TableAccess.nearestLockDetails(prefetched, s.meta().time())
                    : table.lockDetails(s.stateKey(), s.lockStore(), s.meta().time())).orElse(null);
        }

        private static String lockScope(StateAccess s) {
            return s.stateKey() + "\n" + s.lockStore();
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Activity activity(TrailEvent e, Attribution attribution) {
        EventMeta m = e.meta();
        String actingKey = m.actor().accessKeyId();
        Optional<CallItem> session = attribution.session(actingKey);
        String runKey = session.map(s -> s.runKey).orElse(actingKey);
        String subject = session.map(s -> s.rootSubject).orElse(null);
        String provider = session.map(s -> s.rootProvider).orElse(null);
        String roleArn = session.map(s -> s.roleArn).orElse(m.actor().sessionIssuerArn());
        String stateKey = null;
        String lockStore = null;
        LockDetails lock = null;
        if (e instanceof StateAccess s) {
            stateKey = s.stateKey();
            lockStore = s.lockStore();
            if (s.operation() == StateAccess.Operation.LOCK) {
                lock = attribution.lock(s);
            }
        } else if (e instanceof RoleAssumed r) {
            roleArn = r.roleArn();
            if (r.webIdentity() != null) {
                subject = r.webIdentity().subject().raw();
                provider = r.webIdentity().provider();
                runKey = r.issuedKey();
            }
        } else if (e instanceof TrustPolicyChanged t) {
            roleArn = t.roleArn();
        }
        String repository = subject == null ? null : SubjectParser.parse(subject, provider).repository();
        return new Activity(m.time(), e.kind(), stateKey, lockStore, actingKey, runKey, subject, repository, roleArn, m.account(),
                m.eventId(), m.errorCode(), lock);
    }

    // ---- locks ----

    @Override
    public List<OpenLock> openLocks() {
        List<OpenLock> out = new ArrayList<>();
        for (LockItem i : table.openLockItems()) {
            Instant acquired = Keys.instant(i.acquiredAt);
            out.add(new OpenLock(i.stateKey, i.lockStore, acquired, i.holderRunKey, i.holderKey, i.subject, i.repository,
                    i.acquiredEventId, table.lockDetails(i.stateKey, i.lockStore, acquired).orElse(null)));
        }
        return out;
    }

    // ---- findings ----

    @Override
    public Page<Finding> findings(FindingQuery q) {
        int n = limit(q.limit());
        String after = decode(q.cursor());
        String lo = q.from() == null ? null : Keys.timeSk(q.from(), "");
        String hi = min(q.to() == null ? null : Keys.timeSk(q.to(), ""), after);
        List<Iterator<FindingItem>> sources = new ArrayList<>();
        if (q.runKey() != null) {
            sources.add(TableAccess.queryIndex(table.findings, "gsi3", Keys.RUN_FINDINGS + q.runKey(), lo, hi, false, Integer.MAX_VALUE).iterator());
        } else {
            Severity min = q.minSeverity() == null ? Severity.LOW : q.minSeverity();
            for (Severity s : Severity.values()) {
                if (s.atLeast(min)) {
                    sources.add(TableAccess.streamIndex(table.findings, "gsi1", Keys.SEVERITY + s.label(), lo, hi, false, 100));
                }
            }
        }
        // Merge the newest-first streams (one per severity) into one newest-first page.
        List<Finding> out = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        // The status lives in its own items: read them for a chunk of candidates at a time (one BatchGetItem).
        Iterator<FindingItem> it = newestFirst(sources, DynamoQueries::sortKey);
        while (!more && it.hasNext()) {
            List<FindingItem> chunk = new ArrayList<>();
            while (it.hasNext() && chunk.size() < Math.max(25, n + 1)) {
                FindingItem f = it.next();
                if (matches(f, q)) {
                    chunk.add(f);
                }
            }
            Map<String, io.statetrail.core.finding.StatusChange> latest = statuses.latestStatuses(chunk.stream().map(f -> f.findingId).toList());
            for (FindingItem f : chunk) {
                Finding shown = FindingItems.shown(f);
                io.statetrail.core.finding.StatusChange c = latest.get(f.findingId);
                shown = c == null ? shown : shown.withStatus(c);
                if (!q.keepsStatus(shown.status())) {
                    continue;
                }
                if (out.size() >= n) {
                    more = true;
                    break;
                }
                out.add(shown);
                lastKey = sortKey(f);
            }
        }
        return new Page<>(out, more ? encode(lastKey) : null);
    }

    private static String sortKey(FindingItem f) {
        return Keys.timeSk(Keys.instant(f.time), f.findingId);
    }

    private static boolean matches(FindingItem f, FindingQuery q) {
        return q.withdrawn().keeps(Boolean.TRUE.equals(f.withdrawn))
                && (q.type() == null || q.type().equals(f.findingType))
                && (q.repository() == null || q.repository().equals(f.repository))
                && (q.stateKey() == null || q.stateKey().equals(f.stateKey))
                && (q.runKey() == null || q.minSeverity() == null || Severity.parse(f.severity).atLeast(q.minSeverity()));
    }
}
