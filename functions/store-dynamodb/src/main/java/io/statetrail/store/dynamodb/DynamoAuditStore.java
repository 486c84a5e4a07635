package io.statetrail.store.dynamodb;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrailEventJson;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import io.statetrail.store.dynamodb.Items.CallItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import io.statetrail.store.dynamodb.Items.LockInfoItem;
import io.statetrail.store.dynamodb.Items.LockItem;
import io.statetrail.store.dynamodb.Items.PendingItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The audit trail on one DynamoDB table, with the SDK v2 enhanced client and static table schemas. Layout, access
 * patterns, idempotency and write cost: {@code docs/data-model.md}.
 *
 * <p>Nothing stored depends on when it was ingested: every time attribute and every TTL comes from CloudTrail's
 * {@code eventTime} (or the finding's time), never from the clock, so ingesting the same events in any order gives the
 * same items. Only the sweeper's and the dispatcher's bookkeeping carries their own {@code now}.
 */
public final class DynamoAuditStore implements AuditStore, AuditQueries {

    public static final String DEFAULT_TABLE = "statetrail-audit";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);
    /** Longest an STS session can last (a role's maximum session duration): bounds every lineage look-up. */
    static final Duration MAX_SESSION = Duration.ofHours(12);
    /** Look-back for the latest lock call before a window: enough for any real lock, bounded for hostile input. */
    static final int LOCK_LOOKBACK = 1000;
    private static final Expression NOT_EXISTS = Expression.builder()
            .expression("attribute_not_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();
    private static final Expression EXISTS = Expression.builder()
            .expression("attribute_exists(#pk)").putExpressionName("#pk", AuditTable.PK).build();

    private final Duration retention;
    private final Clock clock;
    private final DynamoDbClient client;
    private final String tableName;
    final DynamoDbTable<CallItem> calls;
    final DynamoDbTable<LockItem> locks;
    final DynamoDbTable<LockInfoItem> lockInfos;
    final DynamoDbTable<FindingItem> findings;
    final DynamoDbTable<PendingItem> pending;
    private final BulkDeletes bulkDeletes;
    private final StoreQueries queries;
    final RunSummaries runSummaries;
    final SubjectCatalogue subjects;
    private final DynamoFindings findingStore;

    public DynamoAuditStore(DynamoDbClient client, String tableName) {
        this(client, tableName, Clock.systemUTC(), DEFAULT_RETENTION);
    }

    /** @param retention how long items live after their event (TTL on {@code expiresAt}); 400 days by default */
    public DynamoAuditStore(DynamoDbClient client, String tableName, Clock clock, Duration retention) {
        this.retention = retention == null ? DEFAULT_RETENTION : retention;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.client = client;
        this.tableName = tableName;
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
        this.calls = enhanced.table(tableName, CallItem.SCHEMA);
        this.locks = enhanced.table(tableName, LockItem.SCHEMA);
        this.lockInfos = enhanced.table(tableName, LockInfoItem.SCHEMA);
        this.findings = enhanced.table(tableName, FindingItem.SCHEMA);
        this.pending = enhanced.table(tableName, PendingItem.SCHEMA);
        this.bulkDeletes = new BulkDeletes(enhanced.table(tableName, Items.BulkDeleteItem.SCHEMA), locks, this.retention);
        this.queries = new StoreQueries(this);
        this.subjects = new SubjectCatalogue(client, tableName);
        this.runSummaries = new RunSummaries(client, tableName, enhanced.table(tableName, Items.RunSummaryItem.SCHEMA), this, this.retention);
        this.findingStore = new DynamoFindings(enhanced, tableName, runSummaries, this.retention, this.clock);
    }

    // =====================================================================================================
    // Calls
    // =====================================================================================================

    @Override
    public Trail.Added putCall(List<TrailEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events");
        }
        EventMeta meta = events.get(0).meta();
        String copyId = copyId(meta);
        String json = TrailEventJson.recordToJson(events);
        CallItem fresh = callItem(Map.of(copyId, json), null);
        try {
            calls.putItem(r -> r.item(fresh).conditionExpression(NOT_EXISTS));
            putRefs(fresh);
            runSummaries.callStored(fresh);
            return Trail.Added.NEW;
        } catch (ConditionalCheckFailedException exists) {
            // another delivery of this call, or another account's copy of it
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            CallItem stored = calls.getItem(r -> r.key(key(fresh.pk, fresh.sk)).consistentRead(true));
            if (stored == null) {
                try {
                    calls.putItem(r -> r.item(fresh).conditionExpression(NOT_EXISTS));
                    putRefs(fresh);
                    runSummaries.callStored(fresh);
                    return Trail.Added.NEW;
                } catch (ConditionalCheckFailedException raced) {
                    continue;
                }
            }
            if (stored.copies != null && stored.copies.containsKey(copyId)) {
                repairRefs(stored);
                // A redelivery may follow a crash between storing the call and summarising it: summarise again (no
                // write when nothing changes).
                runSummaries.callStored(stored);
                return Trail.Added.DUPLICATE;
            }
            Map<String, String> merged = new TreeMap<>(stored.copies == null ? Map.of() : stored.copies);
            merged.put(copyId, json);
            CallItem next = callItem(merged, stored);
            // Optimistic: only if no other copy was added meanwhile, else merge again.
            Expression unchanged = Expression.builder()
                    .expression("attribute_exists(#pk) AND size(#copies) = :n")
                    .putExpressionName("#pk", AuditTable.PK).putExpressionName("#copies", "copies")
                    .putExpressionValue(":n", AttributeValue.fromN(String.valueOf(merged.size() - 1)))
                    .build();
            try {
                calls.putItem(r -> r.item(next).conditionExpression(unchanged));
                putRefs(next);
                runSummaries.callStored(next);
                return Trail.Added.OTHER_COPY;
            } catch (ConditionalCheckFailedException raced) {
                // retry with the new stored copies
            }
        }
        throw new IllegalStateException("could not store call " + meta.callKey() + ": too much contention");
    }

    static String copyId(EventMeta meta) {
        return meta.eventId() + "@" + meta.recipientAccountId();
    }

    /**
     * The item for a call from all its copies: the preferred copy ({@link Trail#prefer}) decides every derived
     * attribute, so the item is the same whichever copy came first. Session run attributes not derivable from the
     * call itself are carried over from {@code carry}.
     */
    CallItem callItem(Map<String, String> copies, CallItem carry) {
        TreeMap<String, List<TrailEvent>> decoded = new TreeMap<>();
        copies.forEach((id, json) -> decoded.put(id, TrailEventJson.recordFromJson(json)));
        String best = null;
        for (Map.Entry<String, List<TrailEvent>> c : decoded.entrySet()) {
            if (best == null || Trail.prefer(c.getValue().get(0).meta(), decoded.get(best).get(0).meta())) {
                best = c.getKey();
            }
        }
        List<TrailEvent> events = decoded.get(best);
        EventMeta m = events.get(0).meta();
        Actor actor = m.actor() == null ? Actor.UNKNOWN : m.actor();
        CallItem i = new CallItem();
        i.type = "call";
        i.callKey = m.callKey();
        i.time = Keys.time(m.time());
        i.copies = new TreeMap<>(copies);
        i.preferred = best;
        i.primary = true;
        i.actingKey = actor.accessKeyId();
        i.account = m.account();
        i.region = m.region();
        i.eventName = m.eventName();
        i.errorCode = m.errorCode();
        i.expiresAt = m.time().plus(retention).getEpochSecond();
        TrailEvent first = events.get(0);
        if (first instanceof StateAccess s) {
            i.kind = "state";
            i.pk = Keys.STATE + s.stateKey();
            i.stateKey = s.stateKey();
            i.operation = s.operation().name().toLowerCase(java.util.Locale.ROOT);
            i.lockStore = s.lockStore();
        } else if (first instanceof RoleAssumed r) {
            i.kind = "session";
            i.pk = Keys.SESSION + r.issuedKey();
            i.issuedKey = r.issuedKey();
            i.method = r.method();
            i.parentKey = actor.namesRoleSession() ? actor.accessKeyId() : null;
            i.callerPrincipalId = actor.principalId();
            i.roleArn = r.roleArn();
            i.roleAccount = r.roleAccount() != null ? r.roleAccount() : m.account();
            i.assumedRoleId = r.assumedRoleId();
            i.expiration = Keys.time(r.expiration());
            if (r.webIdentity() != null) {
                i.subject = r.webIdentity().subject().raw();
                i.provider = r.webIdentity().provider();
                i.repository = r.webIdentity().subject().repository();
            }
            SessionRun own = ownRun(r, actor);
            SessionRun run = own != null ? own : carry == null || carry.runKey == null ? null
                    : new SessionRun(r.issuedKey(), carry.runKey, carry.origin, carry.rootSubject, carry.rootProvider, carry.rootPrincipal);
            applyRun(i, run);
            if (r.assumedRoleId() != null) {
                i.gsi2pk = Keys.BY_ROLE_ID + r.assumedRoleId();
                i.gsi2sk = Keys.timeSk(m.time(), r.issuedKey());
            }
        } else if (first instanceof RoleAssumptionFailed f) {
            i.kind = "denied";
            i.roleArn = f.roleArn();
            i.method = f.method();
            if (f.webIdentity() != null) {
                i.subject = f.webIdentity().subject().raw();
                i.provider = f.webIdentity().provider();
                i.repository = f.webIdentity().subject().repository();
            }
            i.pk = "AssumeRoleWithWebIdentity".equals(f.method())
                    ? denied(f.webIdentity() == null ? "" : f.webIdentity().subject().raw(), String.valueOf(f.roleArn()), m.time())
                    : Keys.FAILED + f.method() + "|" + f.roleArn() + "|" + day(m.time());
        } else if (first instanceof TrustPolicyChanged t) {
            i.kind = "trust";
            i.pk = Keys.ROLE + t.roleArn();
            i.roleArn = t.roleArn();
        }
        i.sk = "session".equals(i.kind) ? Keys.SESSION_SK : Keys.callSk(m.time(), i.callKey);
        String by = null;
        if ("session".equals(i.kind) && i.subject != null) {
            // A login has no caller key; its index entry lists the runs of its repository instead.
            by = i.repository != null ? Keys.BY_REPO + i.repository : Keys.BY_SUBJECT + i.subject;
        } else if (actor.accessKeyId() != null) {
            by = Keys.BY_KEY + actor.accessKeyId();
        } else if ("AWSAccount".equals(actor.type()) && actor.principalId() != null) {
            by = Keys.BY_PRINCIPAL_ID + actor.principalId();
        } else if (actor.arn() != null) {
            by = Keys.BY_ARN + actor.arn();
        }
        if (by != null) {
            i.gsi1pk = by;
            i.gsi1sk = Keys.timeSk(m.time(), i.callKey);
        }
        return i;
    }

    /** A session that starts its own run, as far as its issuing event alone tells (same rule as {@code Lineage}). */
    private static SessionRun ownRun(RoleAssumed r, Actor caller) {
        if (r.webIdentity() != null) {
            return new SessionRun(r.issuedKey(), r.issuedKey(), "web-identity", r.webIdentity().subject().raw(), r.webIdentity().provider(), null);
        }
        if ("AssumeRoleWithSAML".equals(r.method())) {
            return new SessionRun(r.issuedKey(), r.issuedKey(), "saml", null, null, r.assumedRoleArn());
        }
        if (caller.namesRoleSession()) {
            return null;
        }
        String principal = caller.arn() != null ? caller.arn() : caller.invokedBy();
        return switch (String.valueOf(caller.type())) {
            case "IAMUser" -> new SessionRun(r.issuedKey(), r.issuedKey(), "iam-user", null, null, principal);
            case "Root" -> new SessionRun(r.issuedKey(), r.issuedKey(), "root", null, null, principal);
            case "AWSService" -> new SessionRun(r.issuedKey(), r.issuedKey(), "aws-service", null, null, principal);
            default -> null;
        };
    }

    private static void applyRun(CallItem i, SessionRun run) {
        i.runKey = run == null ? null : run.runKey();
        i.origin = run == null ? null : run.origin();
        i.rootSubject = run == null ? null : run.subject();
        i.rootProvider = run == null ? null : run.provider();
        i.rootPrincipal = run == null ? null : run.principal();
        i.gsi3pk = null;
        i.gsi3sk = null;
        if (run != null && i.issuedKey != null) {
            Instant t = Keys.instant(i.time);
            if (run.runKey().equals(i.issuedKey)) {
                i.gsi3pk = Keys.RUNS + Keys.month(t);
            } else {
                i.gsi3pk = Keys.RUN + run.runKey();
            }
            i.gsi3sk = Keys.timeSk(t, i.issuedKey);
        }
    }

    /** A call on several state keys (CopyObject between states, DeleteObjects) is also listed under the others. */
    private void putRefs(CallItem primary) {
        for (CallItem ref : refs(primary)) {
            calls.putItem(ref);
        }
    }

    private void repairRefs(CallItem stored) {
        for (CallItem ref : refs(stored)) {
            CallItem existing = calls.getItem(r -> r.key(key(ref.pk, ref.sk)).consistentRead(true));
            if (existing == null || !Objects.equals(existing.copies, ref.copies)) {
                calls.putItem(ref);
            }
        }
    }

    private List<CallItem> refs(CallItem primary) {
        if (!"state".equals(primary.kind)) {
            return List.of();
        }
        Set<String> others = new TreeSet<>();
        for (TrailEvent e : TrailEventJson.recordFromJson(primary.copies.get(primary.preferred))) {
            if (e instanceof StateAccess s && !s.stateKey().equals(primary.stateKey)) {
                others.add(s.stateKey());
            }
        }
        List<CallItem> out = new ArrayList<>();
        for (String other : others) {
            CallItem ref = new CallItem();
            ref.type = "call";
            ref.pk = Keys.STATE + other;
            ref.sk = primary.sk;
            ref.callKey = primary.callKey;
            ref.kind = primary.kind;
            ref.time = primary.time;
            ref.copies = primary.copies;
            ref.preferred = primary.preferred;
            ref.primary = false;
            ref.stateKey = other;
            ref.actingKey = primary.actingKey;
            ref.account = primary.account;
            ref.region = primary.region;
            ref.eventName = primary.eventName;
            ref.expiresAt = primary.expiresAt;
            out.add(ref);
        }
        return out;
    }

    static String denied(String subject, String roleArn, Instant time) {
        return Keys.DENIED + subject + "|" + roleArn + "|" + day(time);
    }

    static String day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** Each stored copy's events, in copy-id order. */
    static List<List<TrailEvent>> copies(CallItem i) {
        List<List<TrailEvent>> out = new ArrayList<>();
        if (i.copies != null) {
            new TreeMap<>(i.copies).values().forEach(json -> out.add(TrailEventJson.recordFromJson(json)));
        }
        return out;
    }

    /** The preferred copy's events. */
    static List<TrailEvent> preferred(CallItem i) {
        return TrailEventJson.recordFromJson(i.copies.get(i.preferred));
    }

    private static List<TrailEvent> flat(List<List<TrailEvent>> copies) {
        List<TrailEvent> out = new ArrayList<>();
        copies.forEach(out::addAll);
        return out;
    }

    @Override
    public Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys) {
        Map<String, List<TrailEvent>> out = new LinkedHashMap<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            List<TrailEvent> events = new ArrayList<>();
            for (CallItem i : sessionItems(key)) {
                events.addAll(flat(copies(i)));
            }
            if (!events.isEmpty()) {
                out.put(key, events);
            }
        }
        return out;
    }

    /** The item of the session with this access key, or null. */
    CallItem sessionItem(String key) {
        return calls.getItem(r -> r.key(key(Keys.SESSION + key, Keys.SESSION_SK)).consistentRead(true));
    }

    /** The session's item as a list (empty when unknown): one item per issued key since its sort key is fixed. */
    List<CallItem> sessionItems(String key) {
        CallItem i = sessionItem(key);
        return i == null ? List.of() : List.of(i);
    }

    /** The findings of a run that are not withdrawn, oldest first. */
    List<FindingItem> heldFindingsOfRun(String runKey) {
        List<FindingItem> out = new ArrayList<>();
        for (FindingItem f : queryIndex(findings, "gsi3", Keys.RUN_FINDINGS + runKey, null, null, true, Integer.MAX_VALUE)) {
            if (!Boolean.TRUE.equals(f.withdrawn)) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public Set<String> childSessions(Collection<String> parentKeys) {
        Set<String> out = new TreeSet<>();
        for (String parent : new LinkedHashSet<>(parentKeys)) {
            for (CallItem i : queryIndex(calls, "gsi1", Keys.BY_KEY + parent, null, null, true, Integer.MAX_VALUE)) {
                if ("session".equals(i.kind) && i.issuedKey != null) {
                    out.add(i.issuedKey);
                }
            }
            // Children named only by the parent's principalId (the role account's copy of a cross-account hop),
            // issued while the parent was alive.
            for (CallItem p : sessionItems(parent)) {
                if (p.assumedRoleId == null) {
                    continue;
                }
                Instant from = Keys.instant(p.time);
                Instant to = p.expiration != null ? Keys.instant(p.expiration) : from.plus(MAX_SESSION);
                for (String child : sessionsOpenedByRoleId(p.assumedRoleId, from, to)) {
                    if (!child.equals(parent)) {
                        out.add(child);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to) {
        Set<String> out = new TreeSet<>();
        for (CallItem i : queryIndex(calls, "gsi1", Keys.BY_PRINCIPAL_ID + assumedRoleId, Keys.timeSk(from, ""), Keys.timeSk(to, "~"),
                true, Integer.MAX_VALUE)) {
            if ("session".equals(i.kind) && i.issuedKey != null) {
                out.add(i.issuedKey);
            }
        }
        return out;
    }

    @Override
    public Set<String> stateKeysTouchedBy(Collection<String> accessKeys) {
        Set<String> out = new TreeSet<>();
        for (List<TrailEvent> call : callsSignedBy(accessKeys)) {
            for (TrailEvent e : call) {
                if (e instanceof StateAccess s) {
                    out.add(s.stateKey());
                }
            }
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            for (CallItem i : queryIndex(calls, "gsi1", Keys.BY_KEY + key, null, null, true, Integer.MAX_VALUE)) {
                out.addAll(copies(i));
            }
        }
        return out;
    }

    List<CallItem> callItemsSignedBy(String key, Instant from, Instant to, boolean forward, int limit) {
        return queryIndex(calls, "gsi1", Keys.BY_KEY + key, from == null ? null : Keys.timeSk(from, ""),
                to == null ? null : Keys.timeSk(to, ""), forward, limit);
    }

    @Override
    public List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to) {
        List<TrailEvent> out = new ArrayList<>();
        for (CallItem i : queryIndex(calls, "gsi2", Keys.BY_ROLE_ID + assumedRoleId, Keys.timeSk(from, ""), Keys.timeSk(to, "~"),
                true, Integer.MAX_VALUE)) {
            out.addAll(flat(copies(i)));
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to) {
        List<List<TrailEvent>> out = new ArrayList<>();
        for (CallItem i : stateItems(stateKey, from, to, true, Integer.MAX_VALUE)) {
            out.addAll(copies(i));
        }
        return out;
    }

    List<CallItem> stateItems(String stateKey, Instant from, Instant to, boolean forward, int limit) {
        String pk = Keys.STATE + stateKey;
        String lo = from == null ? Keys.CALL_SK : Keys.CALL_SK + Keys.time(from);
        String hi = to == null ? Keys.CALL_SK + "~" : Keys.CALL_SK + Keys.time(to);
        return queryBase(calls, pk, QueryConditional.sortBetween(key(pk, lo), key(pk, hi)), forward, limit);
    }

    @Override
    public List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart) {
        String pk = denied(subject == null ? "" : subject, String.valueOf(roleArn), dayStart);
        List<List<TrailEvent>> out = new ArrayList<>();
        for (CallItem i : queryBase(calls, pk, QueryConditional.keyEqualTo(k -> k.partitionValue(pk)), true, Integer.MAX_VALUE)) {
            out.addAll(copies(i));
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to) {
        String pk = Keys.ROLE + roleArn;
        List<List<TrailEvent>> out = new ArrayList<>();
        for (CallItem i : queryBase(calls, pk, QueryConditional.sortBetween(key(pk, Keys.CALL_SK + Keys.time(from)),
                key(pk, Keys.CALL_SK + Keys.time(to))), true, Integer.MAX_VALUE)) {
            out.addAll(copies(i));
        }
        return out;
    }

    @Override
    public List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before) {
        String pk = Keys.STATE + stateKey;
        Map<String, CallItem> latest = new TreeMap<>();
        int seen = 0;
        Iterator<CallItem> it = calls.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(key(pk, Keys.CALL_SK), key(pk, Keys.CALL_SK + Keys.time(before))))
                .scanIndexForward(false).consistentRead(true).limit(100).build()).items().iterator();
        while (it.hasNext() && seen++ < LOCK_LOOKBACK) {
            CallItem i = it.next();
            if (i.lockStore != null && i.errorCode == null) {
                latest.putIfAbsent(i.lockStore, i);
            }
        }
        List<List<TrailEvent>> out = new ArrayList<>();
        latest.values().forEach(i -> out.addAll(copies(i)));
        return out;
    }

    @Override
    public List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from) {
        String pk = Keys.STATE + stateKey;
        int seen = 0;
        Iterator<CallItem> it = calls.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(key(pk, Keys.CALL_SK + Keys.time(from)), key(pk, Keys.CALL_SK + "~")))
                .scanIndexForward(true).consistentRead(true).limit(100).build()).items().iterator();
        while (it.hasNext() && seen++ < LOCK_LOOKBACK) {
            CallItem i = it.next();
            if (lockStore.equals(i.lockStore) && i.errorCode == null) {
                return flat(copies(i));
            }
        }
        return List.of();
    }

    @Override
    public int completeIndexes(Duration budget) {
        return runSummaries.completeIndexes(budget, 1_000);
    }

    @Override
    public void putSessionRuns(Collection<SessionRun> runs) {
        for (SessionRun run : runs) {
            for (CallItem i : sessionItems(run.sessionKey())) {
                CallItem next = callItem(i.copies, null);
                SessionRun own = next.runKey != null ? null : run;
                if (own != null) {
                    applyRun(next, own);
                }
                if (!sameRun(i, next)) {
                    calls.putItem(r -> r.item(next).conditionExpression(EXISTS));
                    runSummaries.sessionLinked(next);
                    if (i.runKey != null && !"unknown".equals(i.origin) && !i.runKey.equals(next.runKey)) {
                        runSummaries.sessionLeft(i.runKey); // a guessed link was corrected: the old run gives it back
                    }
                }
            }
        }
    }

    private static boolean sameRun(CallItem a, CallItem b) {
        return Objects.equals(a.runKey, b.runKey) && Objects.equals(a.origin, b.origin) && Objects.equals(a.rootSubject, b.rootSubject)
                && Objects.equals(a.rootProvider, b.rootProvider) && Objects.equals(a.rootPrincipal, b.rootPrincipal)
                && Objects.equals(a.gsi3pk, b.gsi3pk) && Objects.equals(a.gsi3sk, b.gsi3sk);
    }

    // =====================================================================================================
    // Locks
    // =====================================================================================================

    @Override
    public void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
        LockInfoItem i = new LockInfoItem();
        i.type = "lockinfo";
        i.pk = Keys.STATE + stateKey;
        i.sk = Keys.LOCKINFO_SK + lockStore + "#" + Keys.time(acquiredAt);
        i.stateKey = stateKey;
        i.lockStore = lockStore;
        i.acquiredAt = Keys.time(acquiredAt);
        i.lockId = details.id();
        i.operation = details.operation();
        i.who = details.who();
        i.version = details.version();
        i.created = details.created();
        i.path = details.path();
        i.expiresAt = acquiredAt.plus(retention).getEpochSecond();
        lockInfos.putItem(i);
    }

    /** How far a lock body's time (lock table stream, sweeper probe) may be from the CloudTrail acquisition. */
    static final Duration LOCK_BODY_SKEW = Duration.ofMinutes(5);

    /** The lock body stored for the acquisition at {@code acquiredAt} (stream and CloudTrail times differ a little). */
    Optional<LockDetails> lockDetails(String stateKey, String lockStore, Instant acquiredAt) {
        if (acquiredAt == null) {
            return Optional.empty();
        }
        return nearestLockDetails(lockInfos(stateKey, lockStore, acquiredAt, acquiredAt), acquiredAt);
    }

    /** Lock bodies of one lock store for acquisitions in [from, to], widened by {@link #LOCK_BODY_SKEW} each side. */
    List<LockInfoItem> lockInfos(String stateKey, String lockStore, Instant from, Instant to) {
        String pk = Keys.STATE + stateKey;
        String prefix = Keys.LOCKINFO_SK + lockStore + "#";
        return queryBase(lockInfos, pk, QueryConditional.sortBetween(key(pk, prefix + Keys.time(from.minus(LOCK_BODY_SKEW))),
                key(pk, prefix + Keys.time(to.plus(LOCK_BODY_SKEW)))), true, Integer.MAX_VALUE);
    }

    /** The body closest in time to the acquisition, within {@link #LOCK_BODY_SKEW}. */
    static Optional<LockDetails> nearestLockDetails(List<LockInfoItem> bodies, Instant acquiredAt) {
        LockInfoItem best = null;
        long bestGap = LOCK_BODY_SKEW.toMillis() + 1;
        for (LockInfoItem i : bodies) {
            long gap = Math.abs(Duration.between(acquiredAt, Keys.instant(i.acquiredAt)).toMillis());
            if (gap < bestGap) {
                best = i;
                bestGap = gap;
            }
        }
        return best == null ? Optional.empty()
                : Optional.of(new LockDetails(best.lockId, best.operation, best.who, best.version, best.created, best.path));
    }

    @Override
    public void putLockState(LockState s) {
        Key k = key(Keys.STATE + s.stateKey(), Keys.LOCK_SK + s.lockStore());
        LockItem stored = locks.getItem(r -> r.key(k).consistentRead(true));
        if (stored != null && stored.lastOpAt != null) {
            LockState old = lockState(stored);
            if (old.compareLastOp(s) > 0) {
                return; // an older call arrived late: the stored state is newer
            }
        }
        LockItem next = new LockItem();
        next.type = "lock";
        next.pk = k.partitionKeyValue().s();
        next.sk = k.sortKeyValue().orElseThrow().s();
        next.stateKey = s.stateKey();
        next.lockStore = s.lockStore();
        next.open = s.open();
        next.lastOpAt = Keys.time(s.lastOpAt());
        next.lastOpCallKey = s.lastOpCallKey();
        next.acquiredAt = Keys.time(s.acquiredAt());
        next.acquiredCallKey = s.acquiredCallKey();
        next.acquiredEventId = s.acquiredEventId();
        next.holderKey = s.holderKey();
        next.holderRunKey = s.holderRunKey();
        next.subject = s.subject();
        next.repository = s.repository();
        next.account = s.account();
        next.region = s.region();
        next.expiresAt = s.lastOpAt().plus(retention).getEpochSecond();
        if (stored != null) {
            copyWatch(stored, next);
        }
        indexLock(next);
        if (stored == null || !sameLock(stored, next)) {
            locks.putItem(next);
        }
    }

    private static void copyWatch(LockItem from, LockItem to) {
        to.goneCallKey = from.goneCallKey;
        to.goneAt = from.goneAt;
        to.alertCallKey = from.alertCallKey;
        to.alertFindingId = from.alertFindingId;
        to.alertedAt = from.alertedAt;
        to.remindedAt = from.remindedAt;
        to.reminders = from.reminders;
        to.resolvedAt = from.resolvedAt;
    }

    private static void indexLock(LockItem i) {
        boolean open = Boolean.TRUE.equals(i.open) && !Objects.equals(i.goneCallKey, i.acquiredCallKey);
        i.gsi1pk = open ? Keys.OPEN_LOCKS : null;
        i.gsi1sk = open ? Keys.timeSk(Keys.instant(i.acquiredAt), i.stateKey + "#" + i.lockStore) : null;
        boolean alerted = i.alertFindingId != null && i.resolvedAt == null;
        i.gsi3pk = alerted ? Keys.ALERTED_LOCKS : null;
        i.gsi3sk = alerted ? i.stateKey + "#" + i.lockStore : null;
        BulkDeletes.indexByBucket(i);
    }

    private static boolean sameLock(LockItem a, LockItem b) {
        return Objects.equals(a.open, b.open) && Objects.equals(a.lastOpAt, b.lastOpAt) && Objects.equals(a.lastOpCallKey, b.lastOpCallKey)
                && Objects.equals(a.acquiredAt, b.acquiredAt) && Objects.equals(a.acquiredCallKey, b.acquiredCallKey)
                && Objects.equals(a.acquiredEventId, b.acquiredEventId) && Objects.equals(a.holderKey, b.holderKey)
                && Objects.equals(a.holderRunKey, b.holderRunKey) && Objects.equals(a.subject, b.subject)
                && Objects.equals(a.repository, b.repository) && Objects.equals(a.account, b.account) && Objects.equals(a.region, b.region)
                && Objects.equals(a.gsi1pk, b.gsi1pk) && Objects.equals(a.gsi1sk, b.gsi1sk) && Objects.equals(a.gsi3pk, b.gsi3pk)
                && Objects.equals(a.gsi2pk, b.gsi2pk) && Objects.equals(a.expiresAt, b.expiresAt);
    }

    static LockState lockState(LockItem i) {
        return new LockState(i.stateKey, i.lockStore, Boolean.TRUE.equals(i.open), Keys.instant(i.lastOpAt), i.lastOpCallKey,
                Keys.instant(i.acquiredAt), i.acquiredCallKey, i.acquiredEventId, i.holderKey, i.holderRunKey, i.subject, i.repository,
                i.account, i.region);
    }

    static LockWatch lockWatch(LockItem i) {
        return new LockWatch(i.goneCallKey, Keys.instant(i.goneAt), i.alertCallKey, i.alertFindingId, Keys.instant(i.alertedAt),
                Keys.instant(i.remindedAt), i.reminders == null ? 0 : i.reminders.intValue(), Keys.instant(i.resolvedAt));
    }

    @Override
    public List<WatchedLock> locksToWatch() {
        Map<String, LockItem> items = new LinkedHashMap<>();
        for (LockItem i : queryIndex(locks, "gsi1", Keys.OPEN_LOCKS, null, null, true, Integer.MAX_VALUE)) {
            items.put(i.pk + "\u0000" + i.sk, i);
        }
        for (LockItem i : queryIndex(locks, "gsi3", Keys.ALERTED_LOCKS, null, null, true, Integer.MAX_VALUE)) {
            items.putIfAbsent(i.pk + "\u0000" + i.sk, i);
        }
        List<WatchedLock> out = new ArrayList<>();
        for (LockItem i : items.values()) {
            out.add(new WatchedLock(lockState(i), lockWatch(i), lockDetails(i.stateKey, i.lockStore, Keys.instant(i.acquiredAt)).orElse(null)));
        }
        return out;
    }

    List<LockItem> openLockItems() {
        return queryIndex(locks, "gsi1", Keys.OPEN_LOCKS, null, null, true, Integer.MAX_VALUE);
    }

    @Override
    public void putLockWatch(String stateKey, String lockStore, LockWatch w) {
        Key k = key(Keys.STATE + stateKey, Keys.LOCK_SK + lockStore);
        LockItem stored = locks.getItem(r -> r.key(k).consistentRead(true));
        if (stored == null) {
            return;
        }
        stored.goneCallKey = w.goneCallKey();
        stored.goneAt = Keys.time(w.goneAt());
        stored.alertCallKey = w.alertCallKey();
        stored.alertFindingId = w.alertFindingId();
        stored.alertedAt = Keys.time(w.alertedAt());
        stored.remindedAt = Keys.time(w.remindedAt());
        stored.reminders = w.reminders() == 0 ? null : (long) w.reminders();
        stored.resolvedAt = Keys.time(w.resolvedAt());
        indexLock(stored);
        locks.putItem(stored);
    }

    // =====================================================================================================
    // Unattributed sessions
    // =====================================================================================================

    @Override
    public void markUnattributed(String accessKey, Instant firstSeen) {
        Key k = key(Keys.PENDING + accessKey, Keys.PENDING_INDEX);
        PendingItem stored = pending.getItem(r -> r.key(k).consistentRead(true));
        if (stored != null && !Keys.instant(stored.firstSeen).isAfter(firstSeen)) {
            return;
        }
        PendingItem i = new PendingItem();
        i.type = "pending";
        i.pk = Keys.PENDING + accessKey;
        i.sk = Keys.PENDING_INDEX;
        i.accessKey = accessKey;
        i.firstSeen = Keys.time(firstSeen);
        i.lookedUpAt = stored == null ? null : stored.lookedUpAt;
        if (i.lookedUpAt == null) {
            i.gsi1pk = Keys.PENDING_INDEX;
            i.gsi1sk = Keys.timeSk(firstSeen, accessKey);
        }
        i.expiresAt = firstSeen.plus(retention).getEpochSecond();
        pending.putItem(i);
    }

    @Override
    public void clearUnattributed(String accessKey) {
        Key k = key(Keys.PENDING + accessKey, Keys.PENDING_INDEX);
        if (pending.getItem(r -> r.key(k).consistentRead(true)) != null) {
            pending.deleteItem(k);
        }
    }

    @Override
    public List<Unattributed> unattributedBefore(Instant cutoff, int limit) {
        List<Unattributed> out = new ArrayList<>();
        for (PendingItem i : queryIndex(pending, "gsi1", Keys.PENDING_INDEX, null, Keys.timeSk(cutoff, ""), true, limit)) {
            out.add(new Unattributed(i.accessKey, Keys.instant(i.firstSeen), Keys.instant(i.lookedUpAt)));
        }
        return out;
    }

    @Override
    public void markLookedUp(String accessKey, Instant at) {
        Key k = key(Keys.PENDING + accessKey, Keys.PENDING_INDEX);
        PendingItem stored = pending.getItem(r -> r.key(k).consistentRead(true));
        if (stored == null) {
            return;
        }
        stored.lookedUpAt = Keys.time(at);
        stored.gsi1pk = null;
        stored.gsi1sk = null;
        pending.putItem(stored);
    }

    // =====================================================================================================
    // Issue 13: bulk deletes (BulkDeletes) and the sessions of a run
    // =====================================================================================================

    @Override
    public void markBulkDelete(String stateKey, String callKey, Instant time) {
        bulkDeletes.mark(stateKey, callKey, time);
    }

    @Override
    public List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit) {
        return bulkDeletes.before(cutoff, limit);
    }

    @Override
    public void markBulkDeleteJudged(String callKey, Instant at) {
        bulkDeletes.judged(callKey, at);
    }

    @Override
    public List<LockState> locksInBucket(String bucket) {
        return bulkDeletes.locksIn(bucket);
    }

    @Override
    public Set<String> sessionKeysOfRun(String runKey) {
        Set<String> out = new TreeSet<>();
        for (CallItem i : sessionItems(runKey)) {
            out.add(i.issuedKey);
        }
        for (CallItem i : queryIndex(calls, "gsi3", Keys.RUN + runKey, null, null, true, Integer.MAX_VALUE)) {
            if (i.issuedKey != null) {
                out.add(i.issuedKey);
            }
        }
        return out;
    }

    // =====================================================================================================
    // Findings and deliveries
    // =====================================================================================================

    @Override
    public List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to) {
        return findingStore.findingsOf(scope, types, from, to);
    }

    @Override
    public List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to) {
        return findingStore.findingTimes(scope, types, from, to);
    }

    @Override
    public Optional<StoredFinding> storedFinding(String id) {
        return findingStore.storedFinding(id);
    }

    @Override
    public Optional<Finding> finding(String id) {
        return findingStore.finding(id);
    }

    @Override
    public boolean create(StoredFinding finding, List<Delivery> queue) {
        return findingStore.create(finding, queue);
    }

    @Override
    public void put(StoredFinding finding) {
        findingStore.put(finding);
    }

    @Override
    public void stillHeld(Collection<Finding> held) {
        findingStore.stillHeld(held);
    }

    @Override
    public void delete(StoredFinding finding) {
        findingStore.delete(finding);
    }

    @Override
    public List<Delivery> deliveriesOf(String findingId) {
        return findingStore.deliveriesOf(findingId);
    }

    @Override
    public void enqueue(Collection<Delivery> queue) {
        findingStore.enqueue(queue);
    }

    @Override
    public void cancel(Delivery delivery) {
        findingStore.cancel(delivery);
    }

    @Override
    public List<Delivery> dueDeliveries(Instant now, int limit) {
        return findingStore.dueDeliveries(now, limit);
    }

    @Override
    public boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref) {
        return findingStore.recordDelivery(delivery, delivered, error, nextAttempt, ref);
    }

    @Override
    public boolean postpone(Delivery delivery, Instant until, String note) {
        return findingStore.postpone(delivery, until, note);
    }

    @Override
    public Optional<Instant> lastAlerted(String destination, String groupKey) {
        return findingStore.lastAlerted(destination, groupKey);
    }

    @Override
    public void alerted(String destination, String groupKey, Instant at) {
        findingStore.alerted(destination, groupKey, at);
    }

    // =====================================================================================================
    // Queries (AuditQueries): see StoreQueries
    // =====================================================================================================

    @Override
    public Optional<RunDetail> lineage(String accessKeyId) {
        return queries.lineage(accessKeyId);
    }

    @Override
    public Page<RunSummary> runs(RunQuery query) {
        return queries.runs(query);
    }

    @Override
    public Optional<RunDetail> run(String runKey) {
        return queries.run(runKey);
    }

    @Override
    public Page<Activity> stateTimeline(String stateKey, Instant from, Instant to, int limit, String cursor) {
        return queries.stateTimeline(stateKey, from, to, limit, cursor);
    }

    @Override
    public Page<Activity> activity(String repositoryOrSubjectPattern, Instant from, Instant to, int limit, String cursor) {
        return queries.activity(repositoryOrSubjectPattern, from, to, limit, cursor);
    }

    @Override
    public List<OpenLock> openLocks() {
        return queries.openLocks();
    }

    @Override
    public Page<Finding> findings(FindingQuery query) {
        return queries.findings(query);
    }

    Clock clock() {
        return clock;
    }

    // =====================================================================================================
    // Query helpers
    // =====================================================================================================

    static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    /** BatchGetItem takes at most 100 keys a request. */
    private static final int BATCH = 100;

    static final List<String> SESSION_RUN_ATTRIBUTES = List.of("issuedKey", "runKey", "origin", "roleArn", "rootSubject", "rootProvider");

    /**
     * Items by full key, strongly consistent, 100 a request, unprocessed keys retried; missing items are absent.
     *
     * @param attributes the attributes to read (all when empty)
     */
    List<Map<String, AttributeValue>> batchGet(Collection<Map<String, AttributeValue>> keys, List<String> attributes) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String a : attributes) {
            names.put("#a" + names.size(), a);
        }
        List<Map<String, AttributeValue>> all = new ArrayList<>(keys);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Map<String, AttributeValue>> pending = new ArrayList<>(all.subList(from, Math.min(all.size(), from + BATCH)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                List<Map<String, AttributeValue>> ask = List.copyOf(pending);
                KeysAndAttributes.Builder request = KeysAndAttributes.builder().keys(ask).consistentRead(true);
                if (!names.isEmpty()) {
                    request.projectionExpression(String.join(", ", names.keySet())).expressionAttributeNames(names);
                }
                BatchGetItemResponse r = client.batchGetItem(b -> b.requestItems(Map.of(tableName, request.build())));
                out.addAll(r.responses().getOrDefault(tableName, List.of()));
                pending.clear();
                KeysAndAttributes unprocessed = r.unprocessedKeys().get(tableName);
                if (unprocessed != null && unprocessed.hasKeys()) {
                    if (attempt >= 10) {
                        throw new IllegalStateException("BatchGetItem kept returning unprocessed keys");
                    }
                    pending.addAll(unprocessed.keys());
                    try {
                        Thread.sleep(Math.min(1000L, 10L << attempt));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The run attributes of sessions by issued key ({@code issuedKey}, {@code runKey}, {@code origin}, {@code roleArn},
     * {@code rootSubject}, {@code rootProvider}; not the copies), one BatchGetItem per 100 keys; unknown keys are absent.
     */
    Map<String, CallItem> sessionRuns(Collection<String> keys) {
        List<Map<String, AttributeValue>> ask = new ArrayList<>();
        for (String k : new LinkedHashSet<>(keys)) {
            ask.add(Map.of(AuditTable.PK, AttributeValue.fromS(Keys.SESSION + k), AuditTable.SK, AttributeValue.fromS(Keys.SESSION_SK)));
        }
        Map<String, CallItem> out = new java.util.HashMap<>();
        for (Map<String, AttributeValue> item : batchGet(ask, SESSION_RUN_ATTRIBUTES)) {
            CallItem i = CallItem.SCHEMA.mapToItem(item);
            out.put(i.issuedKey, i);
        }
        return out;
    }

    /** Items of one base-table partition, strongly consistent. */
    static <T> List<T> queryBase(DynamoDbTable<T> table, String pk, QueryConditional condition, boolean forward, int limit) {
        List<T> out = new ArrayList<>();
        Iterator<T> it = table.query(QueryEnhancedRequest.builder().queryConditional(condition).scanIndexForward(forward)
                .consistentRead(true).build()).items().iterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    /** Items of one index partition with sort key in [lo, hi) (either bound may be null). */
    static <T> List<T> queryIndex(DynamoDbTable<T> table, String index, String pk, String lo, String hi, boolean forward, int limit) {
        List<T> out = new ArrayList<>();
        QueryConditional c = condition(pk, lo, hi);
        Iterator<software.amazon.awssdk.enhanced.dynamodb.model.Page<T>> pages = table.index(index)
                .query(QueryEnhancedRequest.builder().queryConditional(c).scanIndexForward(forward).build()).iterator();
        while (pages.hasNext() && out.size() < limit) {
            for (T item : pages.next().items()) {
                if (out.size() < limit) {
                    out.add(item);
                }
            }
        }
        return out;
    }

    /**
     * Items of one index partition, fetched lazily {@code pageSize} at a time: a caller that stops after the first
     * few (the newest runs of a month) reads one page, not the partition.
     */
    static <T> Iterator<T> streamIndex(DynamoDbTable<T> table, String index, String pk, String lo, String hi, boolean forward, int pageSize) {
        return streamIndex(table, index, pk, lo, hi, forward, pageSize, List.of());
    }

    /** The same, reading only these attributes (all when empty): a listing need not carry each call's copies. */
    static <T> Iterator<T> streamIndex(DynamoDbTable<T> table, String index, String pk, String lo, String hi, boolean forward, int pageSize,
                                       List<String> attributes) {
        QueryEnhancedRequest.Builder q = QueryEnhancedRequest.builder().queryConditional(condition(pk, lo, hi)).scanIndexForward(forward).limit(pageSize);
        if (!attributes.isEmpty()) {
            q.attributesToProject(attributes);
        }
        return table.index(index)
                .query(q.build())
                .stream()
                .flatMap(page -> page.items().stream())
                .iterator();
    }

    static QueryConditional condition(String pk, String lo, String hi) {
        if (lo == null && hi == null) {
            return QueryConditional.keyEqualTo(k -> k.partitionValue(pk));
        }
        if (lo == null) {
            return QueryConditional.sortLessThan(key(pk, hi));
        }
        if (hi == null) {
            return QueryConditional.sortGreaterThanOrEqualTo(key(pk, lo));
        }
        return QueryConditional.sortBetween(key(pk, lo), key(pk, hi));
    }
}
