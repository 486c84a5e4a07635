package io.statetrail.store.dynamodb;

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

/**
 * The incident-review questions, each answered with queries on the base table or an index (never a scan). Pages are
 * newest first; cursors are opaque (the sort key of the last item returned, base64url).
 */
final class StoreQueries {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Run listings without a start look back this many months (the retention, 400 days, rounded up). */
    static final int MAX_MONTHS = 14;
    /** Runs one activity query follows at most. */
    static final int MAX_RUNS = 500;

    /** Reads made alongside a query's main read; daemon threads, as the CLI exits without closing stores. */
    private static final ExecutorService SIDE_READS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "statetrail-side-read");
        t.setDaemon(true);
        return t;
    });

    private final DynamoAuditStore store;

    StoreQueries(DynamoAuditStore store) {
        this.store = store;
    }

    // ---- runs and lineage ----

    Optional<RunDetail> lineage(String accessKeyId) {
        List<CallItem> sessions = store.sessionItems(accessKeyId);
        if (!sessions.isEmpty()) {
            String runKey = sessions.get(0).runKey != null ? sessions.get(0).runKey : accessKeyId;
            return run(runKey);
        }
        return store.callItemsSignedBy(accessKeyId, null, null, true, 1).isEmpty() ? Optional.empty() : run(accessKeyId);
    }

    Optional<RunDetail> run(String runKey) {
        List<CallItem> hopsItems = new ArrayList<>(store.sessionItems(runKey));
        hopsItems.addAll(DynamoAuditStore.queryIndex(store.calls, "gsi3", Keys.RUN + runKey, null, null, true, Integer.MAX_VALUE));
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
        for (FindingItem f : store.heldFindingsOfRun(runKey)) {
            fs.add(FindingJson.fromLine(f.json));
        }
        return Optional.of(new RunDetail(summary(runKey, hopsItems, hops, fs.size()), hops, fs));
    }

    private Hop hop(CallItem s, Attribution attribution) {
        List<String> eventIds = new ArrayList<>();
        for (List<TrailEvent> copy : DynamoAuditStore.copies(s)) {
            eventIds.add(copy.get(0).meta().eventId());
        }
        return new Hop(s.issuedKey, parentOf(s), s.method, s.roleArn, s.roleAccount, sessionName(s), Keys.instant(s.time),
                Keys.instant(s.expiration), eventIds, activityOf(s.issuedKey, null, null, attribution));
    }

    private static String parentOf(CallItem s) {
        return s.parentKey;
    }

    private static String sessionName(CallItem s) {
        for (TrailEvent e : DynamoAuditStore.preferred(s)) {
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
                last == null ? started : last, List.copyOf(roles), List.copyOf(accounts), List.copyOf(states), findings);
    }

    /** Root sessions read per request while listing runs: enough for a page of runs after filtering, usually. */
    static final int RUNS_PAGE = 100;

    Page<RunSummary> runs(RunQuery q) {
        Glob pattern = q.subjectPattern() == null ? null : Glob.of(q.subjectPattern());
        String repository = q.repository() != null ? q.repository() : pattern == null ? null : SubjectIndex.repositoryOf(pattern.pattern());
        // Only once every summary is indexed: a table an older version wrote is listed from the run index meanwhile.
        if (repository == null && (q.subjectPattern() != null || q.ref() != null || q.environment() != null) && store.subjects.complete()) {
            List<SubjectIndex.Partition> partitions = SubjectIndex.partitionsFor(q.subjectPattern(), q.ref(), q.environment());
            if (partitions == null && pattern != null) {
                partitions = store.subjects.partitionsFor(pattern);
            }
            if (partitions != null) {
                return indexedRuns(q, pattern, partitions);
            }
        }
        int limit = limit(q.limit());
        String after = decode(q.cursor());
        List<CallItem> roots = new ArrayList<>();
        String lo = q.from() == null ? null : Keys.timeSk(q.from(), "");
        for (Iterator<CallItem> it = rootSessions(repository, q.from(), q.to(), after, LISTED); it.hasNext() && roots.size() <= limit; ) {
            CallItem s = it.next();
            if (lo != null && s.gsi3sk != null && s.gsi3sk.compareTo(lo) < 0) {
                break;
            }
            if (matches(q, pattern, s.rootSubject, s.rootProvider)) {
                roots.add(s);
            }
        }
        boolean more = roots.size() > limit;
        List<CallItem> listed = roots.subList(0, Math.min(limit, roots.size()));
        Map<String, RunSummaryItem> summaries = store.runSummaries.get(listed.stream().map(s -> s.issuedKey).toList());
        List<RunSummary> out = new ArrayList<>();
        for (CallItem s : listed) {
            RunSummaryItem summary = summaries.get(s.issuedKey);
            if (summary != null) {
                out.add(listed(s.issuedKey, s.rootSubject, s.rootProvider, s.time, summary));
            } else {
                run(s.issuedKey).ifPresent(d -> out.add(d.summary())); // summarised on its next call; computed meanwhile
            }
        }
        String next = more ? encode(runSortKey(roots.get(limit - 1))) : null;
        return new Page<>(out, next);
    }

    /** The subject filters of a runs listing (the repository is the index read). */
    static boolean matches(RunQuery q, Glob pattern, String rootSubject, String rootProvider) {
        if (pattern == null && q.ref() == null && q.environment() == null) {
            return true;
        }
        Subject subject = rootSubject == null ? null : SubjectParser.parse(rootSubject, rootProvider);
        return subject != null
                && (pattern == null || Policy.subjectMatches(pattern, subject))
                && (q.ref() == null || refMatches(q.ref(), subject))
                && (q.environment() == null || q.environment().equals(subject.environment()));
    }

    /**
     * Runs listed from the subject index ({@link SubjectIndex}): the summaries of the chosen partitions merged newest
     * first; a run in several of them is read once. A run not summarised yet is not listed until it is.
     */
    private Page<RunSummary> indexedRuns(RunQuery q, Glob pattern, List<SubjectIndex.Partition> partitions) {
        int limit = limit(q.limit());
        String lo = q.from() == null ? null : Keys.timeSk(q.from(), "");
        String hi = min(q.to() == null ? null : Keys.timeSk(q.to(), ""), decode(q.cursor()));
        List<Iterator<RunSummaryItem>> sources = new ArrayList<>();
        for (SubjectIndex.Partition p : partitions) {
            sources.add(store.runSummaries.listed(p, hi));
        }
        List<RunSummaryItem> found = new ArrayList<>();
        String previous = null;
        for (Iterator<RunSummaryItem> it = newestFirst(sources, StoreQueries::summarySortKey); it.hasNext() && found.size() <= limit; ) {
            RunSummaryItem s = it.next();
            String sk = summarySortKey(s);
            if (lo != null && sk.compareTo(lo) < 0) {
                break;
            }
            if (!sk.equals(previous) && matches(q, pattern, s.rootSubject, s.rootProvider)) {
                found.add(s);
            }
            previous = sk;
        }
        boolean more = found.size() > limit;
        List<RunSummary> out = new ArrayList<>();
        for (RunSummaryItem s : found.subList(0, Math.min(limit, found.size()))) {
            out.add(listed(s.runKey, s.rootSubject, s.rootProvider, s.rootAt, s));
        }
        String next = more ? encode(summarySortKey(found.get(limit - 1))) : null;
        return new Page<>(out, next);
    }

    /** Merges iterators, each newest first by this sort key, into one newest first (equal keys stay next to each other). */
    static <T> Iterator<T> newestFirst(List<Iterator<T>> sources, java.util.function.Function<T, String> sortKey) {
        if (sources.size() == 1) {
            return sources.get(0);
        }
        record Head<T>(T item, String sk, Iterator<T> rest) {
        }
        java.util.PriorityQueue<Head<T>> heads = new java.util.PriorityQueue<>(Comparator.comparing((Head<T> h) -> h.sk()).reversed());
        java.util.function.Consumer<Iterator<T>> advance = it -> {
            if (it.hasNext()) {
                T i = it.next();
                heads.add(new Head<>(i, sortKey.apply(i), it));
            }
        };
        sources.forEach(advance);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public T next() {
                Head<T> h = heads.poll();
                if (h == null) {
                    throw new java.util.NoSuchElementException();
                }
                advance.accept(h.rest());
                return h.item();
            }
        };
    }

    /** A listed run from its root session's subject and time and its summary item; equal to {@code run(key).summary()} (tested). */
    private static RunSummary listed(String runKey, String rootSubject, String rootProvider, String rootTime, RunSummaryItem summary) {
        Subject parsed = rootSubject == null ? null : SubjectParser.parse(rootSubject, rootProvider);
        Instant started = summary.firstAt != null ? Keys.instant(summary.firstAt) : Keys.instant(rootTime);
        Instant last = summary.lastAt != null ? Keys.instant(summary.lastAt) : started;
        return new RunSummary(runKey, rootSubject, parsed == null ? null : parsed.repository(),
                parsed == null ? null : parsed.ref(), parsed == null ? null : parsed.environment(), started, last,
                sorted(summary.roles), sorted(summary.accounts), sorted(summary.states),
                summary.findingIds == null ? 0 : summary.findingIds.size());
    }

    private static List<String> sorted(Set<String> values) {
        return values == null ? List.of() : List.copyOf(new TreeSet<>(values));
    }

    private static String summarySortKey(RunSummaryItem summary) {
        return Keys.timeSk(Keys.instant(summary.rootAt), summary.runKey);
    }

    static String runSortKey(CallItem session) {
        return Keys.timeSk(Keys.instant(session.time), session.issuedKey);
    }

    /** The ref itself ({@code refs/heads/main}), a branch or tag by name ({@code main}), or the context ({@code pull_request}). */
    private static boolean refMatches(String ref, Subject s) {
        return ref.equals(s.ref()) || ref.equals(s.context())
                || s.ref() != null && !ref.startsWith("refs/") && (s.ref().equals("refs/heads/" + ref) || s.ref().equals("refs/tags/" + ref));
    }

    /** What listing a root session needs: not its copies (most of its size). */
    private static final List<String> LISTED = List.of(AuditTable.PK, AuditTable.SK, "issuedKey", "time", "runKey", "rootSubject",
            "rootProvider", "gsi3sk");

    /**
     * Root sessions newest first: of one repository (its logins), or of every run month by month.
     *
     * @param attributes the attributes to read (all when empty)
     */
    private Iterator<CallItem> rootSessions(String repository, Instant from, Instant to, String before, List<String> attributes) {
        if (repository != null) {
            // The index sorts logins by time and call key; runs page by time and session key, like the month index:
            // read newest first, and reorder the logins of each instant (the cursor's instant included).
            String hi = to == null ? null : Keys.timeSk(to, "");
            if (before != null) {
                hi = min(hi, before.substring(0, before.indexOf('#') + 1) + "~");
            }
            Iterator<CallItem> logins = DynamoAuditStore.streamIndex(store.calls, "gsi1", Keys.BY_REPO + repository,
                    from == null ? null : Keys.timeSk(from, ""), hi, false, RUNS_PAGE, attributes);
            return new SameInstantSorted(logins, before);
        }
        Instant end = to != null ? to : store.clock().instant().plusSeconds(86400);
        YearMonth month = YearMonth.from(end.atZone(ZoneOffset.UTC));
        YearMonth first = from != null ? YearMonth.from(from.atZone(ZoneOffset.UTC)) : month.minusMonths(MAX_MONTHS);
        String hi = min(Keys.timeSk(end, ""), before);
        return new Iterator<>() {
            YearMonth current = month;
            Iterator<CallItem> page = List.<CallItem>of().iterator();

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !current.isBefore(first)) {
                    page = DynamoAuditStore.streamIndex(store.calls, "gsi3", Keys.RUNS + current, null, hi, false, RUNS_PAGE, attributes);
                    current = current.minusMonths(1);
                }
                return page.hasNext();
            }

            @Override
            public CallItem next() {
                hasNext();
                return page.next();
            }
        };
    }

    /** Newest first by run sort key, from an iterator newest first by time only; skips keys at or after {@code before}. */
    private static final class SameInstantSorted implements Iterator<CallItem> {
        private final Iterator<CallItem> source;
        private final String before;
        private final java.util.ArrayDeque<CallItem> ready = new java.util.ArrayDeque<>();
        private CallItem peeked;

        SameInstantSorted(Iterator<CallItem> source, String before) {
            this.source = source;
            this.before = before;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && (peeked != null || source.hasNext())) {
                List<CallItem> instant = new ArrayList<>();
                CallItem first = peeked != null ? peeked : source.next();
                peeked = null;
                instant.add(first);
                while (source.hasNext()) {
                    CallItem next = source.next();
                    if (!next.time.equals(first.time)) {
                        peeked = next;
                        break;
                    }
                    instant.add(next);
                }
                instant.sort(Comparator.comparing(StoreQueries::runSortKey).reversed());
                for (CallItem i : instant) {
                    if (before == null || runSortKey(i).compareTo(before) < 0) {
                        ready.add(i);
                    }
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public CallItem next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.poll();
        }
    }

    // ---- timelines ----

    Page<Activity> stateTimeline(String stateKey, Instant from, Instant to, int limit, String cursor) {
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
        Iterator<CallItem> it = store.calls.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(DynamoAuditStore.key(pk, lo), DynamoAuditStore.key(pk, hi)))
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
            for (TrailEvent e : DynamoAuditStore.preferred(i)) {
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

    Page<Activity> activity(String repositoryOrSubjectPattern, Instant from, Instant to, int limit, String cursor) {
        int n = limit(limit);
        String after = decode(cursor);
        String pattern = repositoryOrSubjectPattern;
        boolean isRepository = !pattern.contains(":") && !pattern.contains("*") && !pattern.contains("?");
        String repository = isRepository ? pattern : SubjectIndex.repositoryOf(pattern);
        Glob glob = isRepository ? null : Glob.of(pattern);
        // Runs that started up to one session length before the window can act in it.
        Instant runsFrom = from == null ? null : from.minus(DynamoAuditStore.MAX_SESSION);
        List<CallItem> roots = new ArrayList<>();
        for (Iterator<CallItem> it = rootSessions(repository, runsFrom, to, null, List.of()); it.hasNext() && roots.size() < MAX_RUNS; ) {
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
            sessions.addAll(DynamoAuditStore.queryIndex(store.calls, "gsi3", Keys.RUN + root.issuedKey, null, null, true, Integer.MAX_VALUE));
            for (CallItem s : sessions) {
                if (inWindow(Keys.instant(s.time), from, to)) {
                    for (TrailEvent e : DynamoAuditStore.preferred(s)) {
                        entries.add(new Entry(Keys.timeSk(e.meta().time(), s.callKey), activity(e, attribution)));
                    }
                }
                for (CallItem c : store.callItemsSignedBy(s.issuedKey, from, to, true, Integer.MAX_VALUE)) {
                    if ("session".equals(c.kind)) {
                        continue; // listed as a session of the run above
                    }
                    for (TrailEvent e : DynamoAuditStore.preferred(c)) {
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
        for (CallItem c : store.callItemsSignedBy(key, from, to, true, Integer.MAX_VALUE)) {
            for (TrailEvent e : DynamoAuditStore.preferred(c)) {
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
                                () -> store.lockInfos(s.stateKey(), s.lockStore(), span[0], span[1]), SIDE_READS));
                    }
                }
            }
            Map<String, CallItem> found = store.sessionRuns(keys);
            for (String k : keys) {
                sessions.put(k, Optional.ofNullable(found.get(k)));
            }
            bodies.forEach((scope, body) -> lockBodies.put(scope, join(body)));
        }

        Optional<CallItem> session(String key) {
            if (key == null) {
                return Optional.empty();
            }
            return sessions.computeIfAbsent(key, k -> Optional.ofNullable(store.sessionItem(k)));
        }

        LockDetails lock(StateAccess s) {
            List<Items.LockInfoItem> prefetched = lockBodies.get(lockScope(s));
            return (prefetched != null ? DynamoAuditStore.nearestLockDetails(prefetched, s.meta().time())
                    : store.lockDetails(s.stateKey(), s.lockStore(), s.meta().time())).orElse(null);
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

    List<OpenLock> openLocks() {
        List<OpenLock> out = new ArrayList<>();
        for (LockItem i : store.openLockItems()) {
            Instant acquired = Keys.instant(i.acquiredAt);
            out.add(new OpenLock(i.stateKey, i.lockStore, acquired, i.holderRunKey, i.holderKey, i.subject, i.repository,
                    i.acquiredEventId, store.lockDetails(i.stateKey, i.lockStore, acquired).orElse(null)));
        }
        return out;
    }

    // ---- findings ----

    Page<Finding> findings(FindingQuery q) {
        int n = limit(q.limit());
        String after = decode(q.cursor());
        String lo = q.from() == null ? null : Keys.timeSk(q.from(), "");
        String hi = min(q.to() == null ? null : Keys.timeSk(q.to(), ""), after);
        List<Iterator<FindingItem>> sources = new ArrayList<>();
        if (q.runKey() != null) {
            sources.add(DynamoAuditStore.queryIndex(store.findings, "gsi3", Keys.RUN_FINDINGS + q.runKey(), lo, hi, false, Integer.MAX_VALUE).iterator());
        } else {
            Severity min = q.minSeverity() == null ? Severity.LOW : q.minSeverity();
            for (Severity s : Severity.values()) {
                if (s.atLeast(min)) {
                    sources.add(DynamoAuditStore.streamIndex(store.findings, "gsi1", Keys.SEVERITY + s.label(), lo, hi, false, 100));
                }
            }
        }
        // Merge the newest-first streams (one per severity) into one newest-first page.
        List<Finding> out = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        for (Iterator<FindingItem> it = newestFirst(sources, StoreQueries::sortKey); it.hasNext(); ) {
            FindingItem f = it.next();
            if (!matches(f, q)) {
                continue;
            }
            if (out.size() >= n) {
                more = true;
                break;
            }
            out.add(DynamoFindings.shown(f));
            lastKey = sortKey(f);
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

    // ---- helpers ----

    static int limit(int requested) {
        return requested <= 0 ? DEFAULT_LIMIT : Math.min(requested, MAX_LIMIT);
    }

    private static String min(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String encode(String sortKey) {
        return sortKey == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor");
        }
    }
}
