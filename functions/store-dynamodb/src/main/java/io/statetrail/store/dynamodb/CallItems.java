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
import software.amazon.awssdk.core.SdkBytes;
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
 * The call item of a CloudTrail call, from all its copies: the preferred copy ({@code Trail.prefer}) decides every
 * derived attribute (kind, partition, index entries, the run of a session it can tell on its own), so the item is the
 * same whichever copy came first; and the items that list a call under the other state keys it names.
 */
final class CallItems {

    private final Duration retention;

    CallItems(Duration retention) {
        this.retention = retention;
    }

    /**
     * The item for a call from all its copies: the preferred copy ({@link Trail#prefer}) decides every derived
     * attribute, so the item is the same whichever copy came first. Session run attributes not derivable from the
     * call itself are carried over from {@code carry}. {@code records} (each copy's raw record, {@link CallRecords}) is
     * kept as given.
     */
    CallItem callItem(Map<String, String> copies, Map<String, SdkBytes> records, CallItem carry) {
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
        i.records = records == null || records.isEmpty() ? null : new TreeMap<>(records);
        i.gsi4pk = Keys.BY_EVENT + m.eventId();
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
        } else if (first instanceof io.statetrail.core.event.StoreChange c) {
            // Issue 19: every change of one store in one partition, read whole when the store is judged.
            i.kind = "store";
            i.pk = Keys.STORE + c.storeRef();
            i.stateKey = c.storeKey();
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

    static void applyRun(CallItem i, SessionRun run) {
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

    /**
     * The items that list a call under the other state keys it names, and a DynamoDB lock call under its lock table
     * (issue 19: bursts of deletes are judged per table).
     */
    List<CallItem> refs(CallItem primary) {
        if (!"state".equals(primary.kind)) {
            return List.of();
        }
        Set<String> partitions = new TreeSet<>();
        for (TrailEvent e : TrailEventJson.recordFromJson(primary.copies.get(primary.preferred))) {
            if (e instanceof StateAccess s && !s.stateKey().equals(primary.stateKey)) {
                partitions.add(Keys.STATE + s.stateKey());
            }
            if (e instanceof StateAccess s && s.operation().isLock() && s.lockStore() != null && s.lockStore().startsWith("dynamodb:")) {
                partitions.add(Keys.LOCK_TABLE + s.lockStore().substring("dynamodb:".length()));
            }
        }
        List<CallItem> out = new ArrayList<>();
        for (String partition : partitions) {
            String other = partition.startsWith(Keys.STATE) ? partition.substring(Keys.STATE.length()) : null;
            CallItem ref = new CallItem();
            ref.type = "call";
            ref.pk = partition;
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
}
