package io.statetrail.store.dynamodb;

import static io.statetrail.store.dynamodb.TableAccess.*;

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
import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.Unattributed;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.Activity;
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

import io.statetrail.service.port.Sessions;

/** {@link Sessions} on the audit table: a session item per issued key, indexed by caller, role id and run. */
final class DynamoSessions implements Sessions {

    private final TableAccess table;
    private final DynamoDbTable<CallItem> calls;
    private final CallItems items;
    private final RunSummaries runSummaries;

    DynamoSessions(TableAccess table, CallItems items, RunSummaries runSummaries) {
        this.table = table;
        this.calls = table.calls;
        this.items = items;
        this.runSummaries = runSummaries;
    }

    @Override
    public Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys) {
        Map<String, List<TrailEvent>> out = new LinkedHashMap<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            List<TrailEvent> events = new ArrayList<>();
            for (CallItem i : table.sessionItems(key)) {
                events.addAll(flat(copies(i)));
            }
            if (!events.isEmpty()) {
                out.put(key, events);
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
            for (CallItem p : table.sessionItems(parent)) {
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
    public List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to) {
        List<TrailEvent> out = new ArrayList<>();
        for (CallItem i : queryIndex(calls, "gsi2", Keys.BY_ROLE_ID + assumedRoleId, Keys.timeSk(from, ""), Keys.timeSk(to, "~"),
                true, Integer.MAX_VALUE)) {
            out.addAll(flat(copies(i)));
        }
        return out;
    }

    @Override
    public void putSessionRuns(Collection<SessionRun> runs) {
        for (SessionRun run : runs) {
            for (CallItem i : table.sessionItems(run.sessionKey())) {
                CallItem next = items.callItem(i.copies, i.records, null);
                SessionRun own = next.runKey != null ? null : run;
                if (own != null) {
                    CallItems.applyRun(next, own);
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

    @Override
    public Set<String> sessionKeysOfRun(String runKey) {
        Set<String> out = new TreeSet<>();
        for (CallItem i : table.sessionItems(runKey)) {
            out.add(i.issuedKey);
        }
        for (CallItem i : queryIndex(calls, "gsi3", Keys.RUN + runKey, null, null, true, Integer.MAX_VALUE)) {
            if (i.issuedKey != null) {
                out.add(i.issuedKey);
            }
        }
        return out;
    }
}
