package io.statetrail.store.dynamodb;

import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.store.dynamodb.Items.CallItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import io.statetrail.store.dynamodb.Items.RunSummaryItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Keeps one summary item per run ({@code RUNSUM#<runKey>}) so that listing runs reads one item per run instead of
 * the run's sessions, their calls and findings. Every update is commutative (set additions, the minimum and maximum of
 * times), so the summary is the same whatever order calls and sessions arrived in; {@code StoreQueries.run} still
 * computes a run in full from the calls themselves, and a test holds the two equal.
 *
 * <p>Writes happen only when something changes (the summary is read first, strongly consistent): a run costs about one
 * write per hop and per call that extends its last activity or adds a state.
 */
final class RunSummaries {

    private final DynamoDbClient client;
    private final String tableName;
    private final DynamoDbTable<RunSummaryItem> items;
    private final TableAccess table;
    private final SubjectCatalogue subjects;
    private final Duration retention;

    /**
     * What this instance last knew, to spare a read per stored call: the run of each resolved session, and each run's
     * summary as last read or written. A run's summary only grows (sets, the earliest and latest times), so a summary
     * seen is never ahead of the stored one: an update it shows to be needless is needless, and an update made from it
     * is conditional on the times it read, so a stale one fails and is read again.
     */
    private final Map<String, String> runOfSession = lru(10_000);
    private final Map<String, RunSummaryItem> seen = lru(10_000);

    /**
     * A run's summary is rebuilt when a guessed link is corrected ({@link #sessionLeft}): a read of the run's sessions, then
     * an exact write. A fold into the same run from another step of the batch (issue 18: steps run side by side) between
     * the two would be lost, so both hold the run's stripe. One stripe at a time, taken inside the ingest's item locks
     * and never the other way round, so no deadlock; runs sharing a stripe only wait for each other.
     */
    private final Object[] stripes = new Object[64];

    {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    private Object stripe(String runKey) {
        return stripes[Math.floorMod(runKey.hashCode(), stripes.length)];
    }

    RunSummaries(TableAccess table, SubjectCatalogue subjects) {
        this.client = table.client;
        this.tableName = table.tableName;
        this.items = table.runSummaries;
        this.table = table;
        this.subjects = subjects;
        this.retention = table.retention;
    }

    /**
     * What calls or sessions add to their run; {@code last} only from calls (a hop's issue time starts, not acts);
     * {@code root} only from the run's root session.
     */
    record Fold(Set<String> states, Set<String> roles, Set<String> accounts, Instant first, Instant last, Root root, Set<String> claims) {

        Fold plus(Fold o) {
            return new Fold(union(states, o.states), union(roles, o.roles), union(accounts, o.accounts), min(first, o.first), max(last, o.last),
                    root != null ? root : o.root, union(claims, o.claims));
        }
    }

    /** The run's root session: its subject (null for runs not opened by an OIDC login) and issue time. */
    record Root(String subject, String provider, Instant at) {
    }

    /** A call signed by a session: its state keys and its time. */
    static Fold ofCall(CallItem call) {
        Set<String> states = new TreeSet<>();
        if ("state".equals(call.kind)) {
            for (TrailEvent e : TableAccess.preferred(call)) {
                if (e instanceof StateAccess s) {
                    states.add(s.stateKey());
                }
            }
        }
        Instant t = Keys.instant(call.time);
        return new Fold(states, Set.of(), Set.of(), t, t, null, Set.of());
    }

    /** A session of the run (a hop, or the root): its role and account, and its issue time. */
    static Fold ofSession(CallItem session) {
        return new Fold(Set.of(), session.roleArn == null ? Set.of() : Set.of(session.roleArn),
                session.roleAccount == null ? Set.of() : Set.of(session.roleAccount), Keys.instant(session.time), null,
                session.issuedKey.equals(session.runKey) ? new Root(session.rootSubject, session.rootProvider, Keys.instant(session.time)) : null,
                StoredClaims.of(session));
    }

    /** After a call is stored: it counts for the run of the session that signed it, when that run is known. */
    void callStored(CallItem call) {
        if ("session".equals(call.kind)) {
            sessionLinked(call);
        }
        if (call.actingKey != null) {
            String run = runOfSession(call.actingKey);
            if (run != null) {
                fold(run, ofCall(call));
            }
        }
    }

    /** The run of a session whose run is settled, else null. */
    private String runOfSession(String key) {
        String run = runOfSession.get(key);
        if (run != null) {
            return run;
        }
        CallItem session = table.sessionItem(key);
        if (!resolved(session)) {
            return null;
        }
        runOfSession.put(key, session.runKey);
        return session.runKey;
    }

    /**
     * A session whose run is settled: its chain reaches an origin. A chain still missing a link is provisionally its
     * own run ({@code unknown}) and changes run when the link arrives; it is summarised only then, so no summary of a
     * provisional run is left behind, whatever the order.
     */
    private static boolean resolved(CallItem session) {
        return session != null && session.runKey != null && session.issuedKey != null && !"unknown".equals(session.origin);
    }

    /** A session's run became known (or it starts its own): it and every call it signed, stored so far, join the run. */
    void sessionLinked(CallItem session) {
        if (!resolved(session)) {
            if (session != null && session.issuedKey != null) {
                runOfSession.remove(session.issuedKey); // its calls count for no run until its chain is complete again
            }
            return;
        }
        runOfSession.put(session.issuedKey, session.runKey);
        Fold f = ofSession(session);
        for (CallItem c : table.callItemsSignedBy(session.issuedKey, null, null, true, Integer.MAX_VALUE)) {
            f = f.plus(ofCall(c));
        }
        fold(session.runKey, f);
    }

    /**
     * A session that had joined this run through a guessed link (only the role account's copy of a cross-account hop
     * seen, with one candidate caller) turned out to belong to another run: this run is summarised again from the
     * sessions and calls it still has, so its summary is what it would be had that session never joined it. Folds only
     * ever add, which is right for everything but this.
     */
    void sessionLeft(String runKey) {
        synchronized (stripe(runKey)) {
            rebuild(runKey);
        }
    }

    private void rebuild(String runKey) {
        List<CallItem> sessions = new ArrayList<>(table.sessionItems(runKey));
        sessions.addAll(TableAccess.queryIndex(table.calls, "gsi3", Keys.RUN + runKey, null, null, true, Integer.MAX_VALUE));
        Fold f = null;
        for (CallItem s : sessions) {
            if (!resolved(s) || !runKey.equals(s.runKey)) {
                continue;
            }
            Fold g = ofSession(s);
            for (CallItem c : table.callItemsSignedBy(s.issuedKey, null, null, true, Integer.MAX_VALUE)) {
                g = g.plus(ofCall(c));
            }
            f = f == null ? g : f.plus(g);
        }
        seen.remove(runKey);
        if (f == null) {
            return;
        }
        Update u = new Update();
        u.condition("attribute_exists(#pk)");
        u.setExactly("states", f.states());
        u.setExactly("roles", f.roles());
        u.setExactly("accounts", f.accounts());
        u.setExactly("claims", f.claims());
        if (f.first() != null) {
            u.set("firstAt", AttributeValue.fromS(Keys.time(f.first())));
        }
        if (f.last() != null) {
            u.set("lastAt", AttributeValue.fromS(Keys.time(f.last())));
        } else {
            // No call left (the session that left signed them all): as a run that never had a call, no last activity.
            // Kept, a later fold would never move it back (folds take the latest).
            u.remove("lastAt");
        }
        try {
            client.updateItem(u.request(runKey));
        } catch (ConditionalCheckFailedException noSummary) {
            // the run was never summarised: nothing to take back
        }
    }

    void fold(String runKey, Fold f) {
        synchronized (stripe(runKey)) {
            foldUnder(runKey, f);
        }
    }

    private void foldUnder(String runKey, Fold f) {
        for (int attempt = 0; attempt < 10; attempt++) {
            RunSummaryItem stored = attempt == 0 ? seen.get(runKey) : null;
            if (stored == null) {
                stored = items.getItem(r -> r.key(key(runKey)).consistentRead(true));
                if (stored != null) {
                    seen.put(runKey, stored);
                }
            }
            Set<String> states = missing(f.states(), stored == null ? null : stored.states);
            Set<String> roles = missing(f.roles(), stored == null ? null : stored.roles);
            Set<String> accounts = missing(f.accounts(), stored == null ? null : stored.accounts);
            Set<String> claims = missing(f.claims(), stored == null ? null : stored.claims);
            Instant oldFirst = stored == null ? null : Keys.instant(stored.firstAt);
            Instant oldLast = stored == null ? null : Keys.instant(stored.lastAt);
            Instant first = min(oldFirst, f.first());
            Instant last = max(oldLast, f.last());
            boolean times = !Objects.equals(first, oldFirst) || !Objects.equals(last, oldLast);
            boolean root = f.root() != null && (stored == null || stored.rootAt == null);
            if (stored != null && states.isEmpty() && roles.isEmpty() && accounts.isEmpty() && claims.isEmpty() && !times && !root) {
                return;
            }
            Update u = new Update();
            u.set("runKey", AttributeValue.fromS(runKey));
            u.set("type", AttributeValue.fromS("runsummary"));
            u.add("states", states);
            u.add("roles", roles);
            u.add("accounts", accounts);
            u.add("claims", claims);
            if (stored == null) {
                // Findings raised before the run was known were not counted: count them now.
                u.add("findingIds", findingsOf(runKey));
                u.condition("attribute_not_exists(#pk)");
            } else {
                u.condition("attribute_exists(#pk)");
                u.unchanged("firstAt", stored.firstAt);
                u.unchanged("lastAt", stored.lastAt);
            }
            if (first != null) {
                u.set("firstAt", AttributeValue.fromS(Keys.time(first)));
                u.set(AuditTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(first.plus(retention).getEpochSecond())));
            }
            if (last != null) {
                u.set("lastAt", AttributeValue.fromS(Keys.time(last)));
            }
            if (root) {
                if (f.root().subject() != null) {
                    subjects.add(f.root().subject(), f.root().provider()); // before the summary that lists the run under it
                }
                setRoot(u, f.root(), runKey);
            }
            try {
                client.updateItem(u.request(runKey));
                seen.put(runKey, after(runKey, stored, f, first, last));
                return;
            } catch (ConditionalCheckFailedException raced) {
                // another writer changed the times (or created, or expired, the item) meanwhile: read again
                seen.remove(runKey);
            }
        }
        throw new IllegalStateException("could not update the summary of run " + runKey + ": too much contention");
    }

    /** The summary as this update left it, as far as folds need it (sets and times; not the finding ids). */
    private static RunSummaryItem after(String runKey, RunSummaryItem before, Fold f, Instant first, Instant last) {
        RunSummaryItem s = new RunSummaryItem();
        s.runKey = runKey;
        s.states = union(before == null ? null : before.states, f.states());
        s.roles = union(before == null ? null : before.roles, f.roles());
        s.accounts = union(before == null ? null : before.accounts, f.accounts());
        s.claims = union(before == null ? null : before.claims, f.claims());
        s.firstAt = Keys.time(first);
        s.lastAt = Keys.time(last);
        s.rootAt = before != null && before.rootAt != null ? before.rootAt : f.root() == null ? null : Keys.time(f.root().at());
        return s;
    }

    /** {@code a} may be null (a set attribute not stored yet). */
    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(b);
        if (a != null) {
            out.addAll(a);
        }
        return out;
    }

    /** A synchronized map that keeps the {@code capacity} entries used last. */
    static <K, V> Map<K, V> lru(int capacity) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }

    /** The root's subject and time, and the subject index entries that list the run by them ({@link SubjectIndex}). */
    private static void setRoot(Update u, Root root, String runKey) {
        u.set("rootAt", AttributeValue.fromS(Keys.time(root.at())));
        if (root.subject() == null) {
            return;
        }
        u.set("rootSubject", AttributeValue.fromS(root.subject()));
        if (root.provider() != null) {
            u.set("rootProvider", AttributeValue.fromS(root.provider()));
        }
        String sk = Keys.timeSk(root.at(), runKey); // the run's sort key in every listing
        for (SubjectIndex.Partition p : SubjectIndex.partitionsOf(root.subject(), root.provider())) {
            u.set(p.index() + "pk", AttributeValue.fromS(p.key()));
            u.set(p.index() + "sk", AttributeValue.fromS(sk));
        }
    }

    /**
     * Completes, for a table with summaries written before the subject catalogue and index existed, what a summary
     * written now comes with: its root subject in the catalogue and its subject index entries. Scans the summaries a
     * page at a time for at most {@code budget}, resuming where the previous call stopped, and marks the catalogue
     * complete when the scan is through. Returns how many summaries with a root subject it went through (catalogued and
     * indexed, or found so already); 0 once the catalogue is complete.
     */
    int completeIndexes(Duration budget, int pageSize) {
        SubjectCatalogue catalogue = subjects;
        if (catalogue.complete()) {
            return 0;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, AttributeValue> progress = client.getItem(b -> b.tableName(tableName)
                .key(SubjectCatalogue.key(SubjectCatalogue.PROGRESS_SK)).consistentRead(true)).item();
        Map<String, AttributeValue> start = progress == null || !progress.containsKey("startPk") ? null
                : Map.of(AuditTable.PK, progress.get("startPk"), AuditTable.SK, progress.get("startSk"));
        int completed = 0;
        do {
            ScanResponse page = client.scan(ScanRequest.builder().tableName(tableName).limit(pageSize).exclusiveStartKey(start)
                    .filterExpression("#type = :summary")
                    .projectionExpression("runKey, rootSubject, rootProvider, rootAt, gsi3pk")
                    .expressionAttributeNames(Map.of("#type", "type"))
                    .expressionAttributeValues(Map.of(":summary", AttributeValue.fromS("runsummary")))
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (item.containsKey("rootSubject") && item.containsKey("rootAt")) {
                    String subject = item.get("rootSubject").s();
                    String provider = item.containsKey("rootProvider") ? item.get("rootProvider").s() : null;
                    catalogue.add(subject, provider);
                    if (!item.containsKey("gsi3pk")) {
                        indexRoot(item.get("runKey").s(), new Root(subject, provider, Keys.instant(item.get("rootAt").s())));
                    }
                    completed++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                client.putItem(PutItemRequest.builder().tableName(tableName).item(progressItem(start)).build());
            }
        } while (start != null && System.nanoTime() < deadline);
        if (start == null) {
            catalogue.markComplete();
        }
        return completed;
    }

    private static Map<String, AttributeValue> progressItem(Map<String, AttributeValue> start) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(SubjectCatalogue.key(SubjectCatalogue.PROGRESS_SK));
        item.put("startPk", start.get(AuditTable.PK));
        item.put("startSk", start.get(AuditTable.SK));
        return item;
    }

    /** Sets a summary's subject index entries (a summary written before they existed); a no-op once it has them. */
    private void indexRoot(String runKey, Root root) {
        Update u = new Update();
        u.condition("attribute_exists(#pk)");
        setRoot(u, root, runKey);
        try {
            client.updateItem(u.request(runKey));
        } catch (ConditionalCheckFailedException expired) {
            // the summary expired meanwhile
        }
    }

    /** Counts these findings (held by their evaluation) in their runs' summaries where missing: a read, a write if needed. */
    void findingsHeld(Collection<io.statetrail.core.finding.Finding> held) {
        Map<String, Set<String>> byRun = new TreeMap<>();
        for (io.statetrail.core.finding.Finding f : held) {
            if (f.runKey() != null) {
                byRun.computeIfAbsent(f.runKey(), k -> new TreeSet<>()).add(f.id());
            }
        }
        for (Map.Entry<String, Set<String>> e : byRun.entrySet()) {
            RunSummaryItem stored = items.getItem(r -> r.key(key(e.getKey())).consistentRead(true));
            if (stored == null) {
                continue; // counted from the findings index when the summary is created
            }
            for (String id : missing(e.getValue(), stored.findingIds)) {
                finding(e.getKey(), id, true);
            }
        }
    }

    /** A finding of this run was raised ({@code present}) or retracted; a run without a summary yet counts it later. */
    void finding(String runKey, String findingId, boolean present) {
        if (runKey == null) {
            return;
        }
        String op = present ? "ADD" : "DELETE";
        try {
            client.updateItem(UpdateItemRequest.builder().tableName(tableName).key(keyAttributes(runKey))
                    .updateExpression(op + " #f :f")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#f", "findingIds", "#pk", AuditTable.PK))
                    .expressionAttributeValues(Map.of(":f", AttributeValue.fromSs(List.of(findingId))))
                    .build());
        } catch (ConditionalCheckFailedException noSummaryYet) {
            // counted from the findings index when the summary is created
        }
    }

    /** Summaries of these runs (BatchGetItem); absent runs are missing from the map. */
    Map<String, RunSummaryItem> get(Collection<String> runKeys) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String k : new LinkedHashSet<>(runKeys)) {
            keys.add(keyAttributes(k));
        }
        Map<String, RunSummaryItem> out = new HashMap<>();
        for (Map<String, AttributeValue> item : table.batchGet(keys, List.of())) {
            RunSummaryItem s = RunSummaryItem.SCHEMA.mapToItem(item);
            out.put(s.runKey, s);
        }
        return out;
    }

    /** The summaries in one subject index partition, newest first, with run sort keys below {@code hi}. */
    java.util.Iterator<RunSummaryItem> listed(SubjectIndex.Partition p, String hi) {
        return TableAccess.streamIndex(items, p.index(), p.key(), null, hi, false, RunListing.RUNS_PAGE);
    }

    private Set<String> findingsOf(String runKey) {
        Set<String> out = new TreeSet<>();
        for (FindingItem f : table.heldFindingsOfRun(runKey)) {
            out.add(f.findingId);
        }
        return out;
    }

    private static software.amazon.awssdk.enhanced.dynamodb.Key key(String runKey) {
        return TableAccess.key(Keys.RUN_SUMMARY + runKey, Keys.RUN_SUMMARY_SK);
    }

    private static Map<String, AttributeValue> keyAttributes(String runKey) {
        return Map.of(AuditTable.PK, AttributeValue.fromS(Keys.RUN_SUMMARY + runKey), AuditTable.SK, AttributeValue.fromS(Keys.RUN_SUMMARY_SK));
    }

    private static Set<String> missing(Set<String> wanted, Set<String> stored) {
        Set<String> out = new TreeSet<>(wanted);
        if (stored != null) {
            out.removeAll(stored);
        }
        return out;
    }

    static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** One UpdateItem: SET and ADD clauses, a condition, names and values. */
    private final class Update {
        private final List<String> sets = new ArrayList<>();
        private final List<String> adds = new ArrayList<>();
        private final List<String> removes = new ArrayList<>();
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, String> names = new LinkedHashMap<>();
        private final Map<String, AttributeValue> values = new LinkedHashMap<>();

        void set(String attribute, AttributeValue v) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, v);
            sets.add("#" + attribute + " = :" + attribute);
        }

        void add(String attribute, Set<String> members) {
            if (!members.isEmpty()) {
                names.put("#" + attribute, attribute);
                values.put(":" + attribute, AttributeValue.fromSs(List.copyOf(members)));
                adds.add("#" + attribute + " :" + attribute);
            }
        }

        /** Sets a string set attribute to exactly these members; removes it when there are none (DynamoDB has no empty set). */
        void setExactly(String attribute, Set<String> members) {
            if (members.isEmpty()) {
                remove(attribute);
            } else {
                set(attribute, AttributeValue.fromSs(List.copyOf(members)));
            }
        }

        void remove(String attribute) {
            names.put("#" + attribute, attribute);
            removes.add("#" + attribute);
        }

        void condition(String c) {
            names.put("#pk", AuditTable.PK);
            conditions.add(c);
        }

        /** The attribute still has the value read (optimistic concurrency on the times, which are not commutative). */
        void unchanged(String attribute, String read) {
            names.put("#" + attribute, attribute);
            if (read == null) {
                conditions.add("attribute_not_exists(#" + attribute + ")");
            } else {
                values.put(":old_" + attribute, AttributeValue.fromS(read));
                conditions.add("#" + attribute + " = :old_" + attribute);
            }
        }

        UpdateItemRequest request(String runKey) {
            String expression = "SET " + String.join(", ", sets) + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds))
                    + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
            return UpdateItemRequest.builder().tableName(tableName).key(keyAttributes(runKey))
                    .updateExpression(expression)
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build();
        }
    }
}
