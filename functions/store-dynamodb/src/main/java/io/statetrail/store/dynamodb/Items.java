package io.statetrail.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The item types of the audit table, each with a static (reflection-free) schema over the shared key attributes.
 * Layout and access patterns: {@code docs/data-model.md}. Every time attribute is the fixed-width UTC text of
 * {@link Keys#time}, so that it sorts as text; {@code expiresAt} is epoch seconds for TTL.
 */
final class Items {

    private Items() {
    }

    /** Key attributes every item has (index keys only when the item is in that index). */
    abstract static class Base {
        String pk;
        String sk;
        String gsi1pk;
        String gsi1sk;
        String gsi2pk;
        String gsi2sk;
        String gsi3pk;
        String gsi3sk;
        Long expiresAt;
        /** call, session, lock, lockinfo, finding, delivery, pending, alerted */
        String type;
    }

    static <T extends Base> StaticTableSchema.Builder<T> schema(Class<T> c, Supplier<T> supplier) {
        StaticTableSchema.Builder<T> b = StaticTableSchema.builder(c).newItemSupplier(supplier);
        b.addAttribute(String.class, a -> a.name(AuditTable.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()));
        b.addAttribute(String.class, a -> a.name(AuditTable.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()));
        b.addAttribute(String.class, a -> a.name("gsi1pk").getter(i -> i.gsi1pk).setter((i, v) -> i.gsi1pk = v).tags(secondaryPartitionKey("gsi1")));
        b.addAttribute(String.class, a -> a.name("gsi1sk").getter(i -> i.gsi1sk).setter((i, v) -> i.gsi1sk = v).tags(secondarySortKey("gsi1")));
        b.addAttribute(String.class, a -> a.name("gsi2pk").getter(i -> i.gsi2pk).setter((i, v) -> i.gsi2pk = v).tags(secondaryPartitionKey("gsi2")));
        b.addAttribute(String.class, a -> a.name("gsi2sk").getter(i -> i.gsi2sk).setter((i, v) -> i.gsi2sk = v).tags(secondarySortKey("gsi2")));
        b.addAttribute(String.class, a -> a.name("gsi3pk").getter(i -> i.gsi3pk).setter((i, v) -> i.gsi3pk = v).tags(secondaryPartitionKey("gsi3")));
        b.addAttribute(String.class, a -> a.name("gsi3sk").getter(i -> i.gsi3sk).setter((i, v) -> i.gsi3sk = v).tags(secondarySortKey("gsi3")));
        b.addAttribute(Long.class, a -> a.name(AuditTable.TTL_ATTRIBUTE).getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v));
        b.addAttribute(String.class, a -> a.name("type").getter(i -> i.type).setter((i, v) -> i.type = v));
        return b;
    }

    static <T, V> void attr(StaticTableSchema.Builder<T> b, Class<V> c, String name, Function<T, V> get, BiConsumer<T, V> set) {
        b.addAttribute(c, a -> a.name(name).getter(get).setter(set));
    }

    /**
     * One API call (all copies of it): state and lock operations, role assumptions (sessions), refused logins,
     * trust-policy changes. {@code copies} maps {@code eventID@recipientAccountId} of every copy seen to its events
     * ({@code TrailEventJson}); every other attribute is derived from the preferred copy ({@code Trail.prefer}).
     */
    static final class CallItem extends Base {
        String callKey;
        String kind;
        String time;
        Map<String, String> copies;
        String preferred;
        Boolean primary;
        String actingKey;
        String account;
        String region;
        String eventName;
        String errorCode;
        // state and lock operations
        String stateKey;
        String operation;
        String lockStore;
        // sessions (RoleAssumed)
        String issuedKey;
        String method;
        String parentKey;
        String callerPrincipalId;
        String roleArn;
        String roleAccount;
        String assumedRoleId;
        String expiration;
        String subject;
        String provider;
        String repository;
        String runKey;
        String origin;
        String rootSubject;
        String rootProvider;
        String rootPrincipal;
        /** Each copy's CloudTrail record minus secrets, gzipped ({@link CallRecords}); on the primary item only. */
        Map<String, SdkBytes> records;
        /** {@code EVENT#<eventID>} of the kept copy: the keys-only index {@code gsi4} finds a call by eventID. */
        String gsi4pk;

        static final StaticTableSchema<CallItem> SCHEMA;

        static {
            StaticTableSchema.Builder<CallItem> b = schema(CallItem.class, CallItem::new);
            attr(b, String.class, "callKey", i -> i.callKey, (i, v) -> i.callKey = v);
            attr(b, String.class, "kind", i -> i.kind, (i, v) -> i.kind = v);
            attr(b, String.class, "time", i -> i.time, (i, v) -> i.time = v);
            b.addAttribute(EnhancedType.mapOf(String.class, String.class),
                    a -> a.name("copies").getter(i -> i.copies).setter((i, v) -> i.copies = v));
            attr(b, String.class, "preferred", i -> i.preferred, (i, v) -> i.preferred = v);
            attr(b, Boolean.class, "primary", i -> i.primary, (i, v) -> i.primary = v);
            attr(b, String.class, "actingKey", i -> i.actingKey, (i, v) -> i.actingKey = v);
            attr(b, String.class, "account", i -> i.account, (i, v) -> i.account = v);
            attr(b, String.class, "region", i -> i.region, (i, v) -> i.region = v);
            attr(b, String.class, "eventName", i -> i.eventName, (i, v) -> i.eventName = v);
            attr(b, String.class, "errorCode", i -> i.errorCode, (i, v) -> i.errorCode = v);
            attr(b, String.class, "stateKey", i -> i.stateKey, (i, v) -> i.stateKey = v);
            attr(b, String.class, "operation", i -> i.operation, (i, v) -> i.operation = v);
            attr(b, String.class, "lockStore", i -> i.lockStore, (i, v) -> i.lockStore = v);
            attr(b, String.class, "issuedKey", i -> i.issuedKey, (i, v) -> i.issuedKey = v);
            attr(b, String.class, "method", i -> i.method, (i, v) -> i.method = v);
            attr(b, String.class, "parentKey", i -> i.parentKey, (i, v) -> i.parentKey = v);
            attr(b, String.class, "callerPrincipalId", i -> i.callerPrincipalId, (i, v) -> i.callerPrincipalId = v);
            attr(b, String.class, "roleArn", i -> i.roleArn, (i, v) -> i.roleArn = v);
            attr(b, String.class, "roleAccount", i -> i.roleAccount, (i, v) -> i.roleAccount = v);
            attr(b, String.class, "assumedRoleId", i -> i.assumedRoleId, (i, v) -> i.assumedRoleId = v);
            attr(b, String.class, "expiration", i -> i.expiration, (i, v) -> i.expiration = v);
            attr(b, String.class, "subject", i -> i.subject, (i, v) -> i.subject = v);
            attr(b, String.class, "provider", i -> i.provider, (i, v) -> i.provider = v);
            attr(b, String.class, "repository", i -> i.repository, (i, v) -> i.repository = v);
            attr(b, String.class, "runKey", i -> i.runKey, (i, v) -> i.runKey = v);
            attr(b, String.class, "origin", i -> i.origin, (i, v) -> i.origin = v);
            attr(b, String.class, "rootSubject", i -> i.rootSubject, (i, v) -> i.rootSubject = v);
            attr(b, String.class, "rootProvider", i -> i.rootProvider, (i, v) -> i.rootProvider = v);
            attr(b, String.class, "rootPrincipal", i -> i.rootPrincipal, (i, v) -> i.rootPrincipal = v);
            b.addAttribute(EnhancedType.mapOf(String.class, SdkBytes.class),
                    a -> a.name("records").getter(i -> i.records).setter((i, v) -> i.records = v));
            b.addAttribute(String.class, a -> a.name(AuditTable.EVENT_INDEX + "pk").getter(i -> i.gsi4pk).setter((i, v) -> i.gsi4pk = v)
                    .tags(secondaryPartitionKey(AuditTable.EVENT_INDEX)));
            SCHEMA = b.build();
        }
    }

    /**
     * The current state of one lock (state key and lock store), as the latest lock call tells, plus what the sweeper
     * recorded about it. In {@code gsi1} ({@code OPENLOCK}) while open and not found gone; in {@code gsi3}
     * ({@code ALERTED}) while a stale-lock alert is unresolved.
     */
    static final class LockItem extends Base {
        String stateKey;
        String lockStore;
        Boolean open;
        String lastOpAt;
        String lastOpCallKey;
        String acquiredAt;
        String acquiredCallKey;
        String acquiredEventId;
        String holderKey;
        String holderRunKey;
        String subject;
        String repository;
        String account;
        String region;
        // the sweeper's
        String goneCallKey;
        String goneAt;
        String alertCallKey;
        String alertFindingId;
        String alertedAt;
        String remindedAt;
        Long reminders;
        String resolvedAt;

        static final StaticTableSchema<LockItem> SCHEMA;

        static {
            StaticTableSchema.Builder<LockItem> b = schema(LockItem.class, LockItem::new);
            attr(b, String.class, "stateKey", i -> i.stateKey, (i, v) -> i.stateKey = v);
            attr(b, String.class, "lockStore", i -> i.lockStore, (i, v) -> i.lockStore = v);
            attr(b, Boolean.class, "open", i -> i.open, (i, v) -> i.open = v);
            attr(b, String.class, "lastOpAt", i -> i.lastOpAt, (i, v) -> i.lastOpAt = v);
            attr(b, String.class, "lastOpCallKey", i -> i.lastOpCallKey, (i, v) -> i.lastOpCallKey = v);
            attr(b, String.class, "acquiredAt", i -> i.acquiredAt, (i, v) -> i.acquiredAt = v);
            attr(b, String.class, "acquiredCallKey", i -> i.acquiredCallKey, (i, v) -> i.acquiredCallKey = v);
            attr(b, String.class, "acquiredEventId", i -> i.acquiredEventId, (i, v) -> i.acquiredEventId = v);
            attr(b, String.class, "holderKey", i -> i.holderKey, (i, v) -> i.holderKey = v);
            attr(b, String.class, "holderRunKey", i -> i.holderRunKey, (i, v) -> i.holderRunKey = v);
            attr(b, String.class, "subject", i -> i.subject, (i, v) -> i.subject = v);
            attr(b, String.class, "repository", i -> i.repository, (i, v) -> i.repository = v);
            attr(b, String.class, "account", i -> i.account, (i, v) -> i.account = v);
            attr(b, String.class, "region", i -> i.region, (i, v) -> i.region = v);
            attr(b, String.class, "goneCallKey", i -> i.goneCallKey, (i, v) -> i.goneCallKey = v);
            attr(b, String.class, "goneAt", i -> i.goneAt, (i, v) -> i.goneAt = v);
            attr(b, String.class, "alertCallKey", i -> i.alertCallKey, (i, v) -> i.alertCallKey = v);
            attr(b, String.class, "alertFindingId", i -> i.alertFindingId, (i, v) -> i.alertFindingId = v);
            attr(b, String.class, "alertedAt", i -> i.alertedAt, (i, v) -> i.alertedAt = v);
            attr(b, String.class, "remindedAt", i -> i.remindedAt, (i, v) -> i.remindedAt = v);
            attr(b, Long.class, "reminders", i -> i.reminders, (i, v) -> i.reminders = v);
            attr(b, String.class, "resolvedAt", i -> i.resolvedAt, (i, v) -> i.resolvedAt = v);
            SCHEMA = b.build();
        }
    }

    /** Terraform's lock body (LockInfo), from the lock table's stream or the sweeper's probe, by acquisition time. */
    static final class LockInfoItem extends Base {
        String stateKey;
        String lockStore;
        String acquiredAt;
        String lockId;
        String operation;
        String who;
        String version;
        String created;
        String path;

        static final StaticTableSchema<LockInfoItem> SCHEMA;

        static {
            StaticTableSchema.Builder<LockInfoItem> b = schema(LockInfoItem.class, LockInfoItem::new);
            attr(b, String.class, "stateKey", i -> i.stateKey, (i, v) -> i.stateKey = v);
            attr(b, String.class, "lockStore", i -> i.lockStore, (i, v) -> i.lockStore = v);
            attr(b, String.class, "acquiredAt", i -> i.acquiredAt, (i, v) -> i.acquiredAt = v);
            attr(b, String.class, "lockId", i -> i.lockId, (i, v) -> i.lockId = v);
            attr(b, String.class, "operation", i -> i.operation, (i, v) -> i.operation = v);
            attr(b, String.class, "who", i -> i.who, (i, v) -> i.who = v);
            attr(b, String.class, "version", i -> i.version, (i, v) -> i.version = v);
            attr(b, String.class, "created", i -> i.created, (i, v) -> i.created = v);
            attr(b, String.class, "path", i -> i.path, (i, v) -> i.path = v);
            SCHEMA = b.build();
        }
    }

    /**
     * A finding: its JSON ({@code FindingJson}, the contract) plus what queries filter on. {@code owner} is the
     * evaluation unit that produced it ({@code scope|from}); {@code withdrawn} marks a delivered finding whose evidence
     * no longer supports it (it is kept, since it was sent).
     */
    static final class FindingItem extends Base {
        String findingId;
        String json;
        String findingType;
        String severity;
        String time;
        String scope;
        String owner;
        String runKey;
        String stateKey;
        String repository;
        String subject;
        Boolean withdrawn;
        /** When it was withdrawn (the ingesting function's clock) and why; absent while it holds. */
        String withdrawnAt;
        String withdrawnReason;

        static final StaticTableSchema<FindingItem> SCHEMA;

        static {
            StaticTableSchema.Builder<FindingItem> b = schema(FindingItem.class, FindingItem::new);
            attr(b, String.class, "findingId", i -> i.findingId, (i, v) -> i.findingId = v);
            attr(b, String.class, "json", i -> i.json, (i, v) -> i.json = v);
            attr(b, String.class, "findingType", i -> i.findingType, (i, v) -> i.findingType = v);
            attr(b, String.class, "severity", i -> i.severity, (i, v) -> i.severity = v);
            attr(b, String.class, "time", i -> i.time, (i, v) -> i.time = v);
            attr(b, String.class, "scope", i -> i.scope, (i, v) -> i.scope = v);
            attr(b, String.class, "owner", i -> i.owner, (i, v) -> i.owner = v);
            attr(b, String.class, "runKey", i -> i.runKey, (i, v) -> i.runKey = v);
            attr(b, String.class, "stateKey", i -> i.stateKey, (i, v) -> i.stateKey = v);
            attr(b, String.class, "repository", i -> i.repository, (i, v) -> i.repository = v);
            attr(b, String.class, "subject", i -> i.subject, (i, v) -> i.subject = v);
            attr(b, Boolean.class, "withdrawn", i -> i.withdrawn, (i, v) -> i.withdrawn = v);
            attr(b, String.class, "withdrawnAt", i -> i.withdrawnAt, (i, v) -> i.withdrawnAt = v);
            attr(b, String.class, "withdrawnReason", i -> i.withdrawnReason, (i, v) -> i.withdrawnReason = v);
            SCHEMA = b.build();
        }
    }

    /**
     * One finding (or one notice about it: a reminder, a resolution) to one destination, stored in the finding's
     * partition. In {@code gsi2} ({@code DUE}) while it waits to be sent.
     */
    static final class DeliveryItem extends Base {
        String findingId;
        String destination;
        String notice;
        String json;
        Long attempts;
        String nextAttempt;
        String lastError;
        Boolean delivered;
        /** Once delivered: when, the destination's name for the message (Slack channel and ts), and what it said. */
        String deliveredAt;
        String ref;
        String sent;

        static final StaticTableSchema<DeliveryItem> SCHEMA;

        static {
            StaticTableSchema.Builder<DeliveryItem> b = schema(DeliveryItem.class, DeliveryItem::new);
            attr(b, String.class, "findingId", i -> i.findingId, (i, v) -> i.findingId = v);
            attr(b, String.class, "destination", i -> i.destination, (i, v) -> i.destination = v);
            attr(b, String.class, "notice", i -> i.notice, (i, v) -> i.notice = v);
            attr(b, String.class, "json", i -> i.json, (i, v) -> i.json = v);
            attr(b, Long.class, "attempts", i -> i.attempts, (i, v) -> i.attempts = v);
            attr(b, String.class, "nextAttempt", i -> i.nextAttempt, (i, v) -> i.nextAttempt = v);
            attr(b, String.class, "lastError", i -> i.lastError, (i, v) -> i.lastError = v);
            attr(b, Boolean.class, "delivered", i -> i.delivered, (i, v) -> i.delivered = v);
            attr(b, String.class, "deliveredAt", i -> i.deliveredAt, (i, v) -> i.deliveredAt = v);
            attr(b, String.class, "ref", i -> i.ref, (i, v) -> i.ref = v);
            attr(b, String.class, "sent", i -> i.sent, (i, v) -> i.sent = v);
            SCHEMA = b.build();
        }
    }

    /** A session that touched state while its issuing event is missing; in {@code gsi1} ({@code PENDING}) until looked up. */
    static final class PendingItem extends Base {
        String accessKey;
        String firstSeen;
        String lookedUpAt;

        static final StaticTableSchema<PendingItem> SCHEMA;

        static {
            StaticTableSchema.Builder<PendingItem> b = schema(PendingItem.class, PendingItem::new);
            attr(b, String.class, "accessKey", i -> i.accessKey, (i, v) -> i.accessKey = v);
            attr(b, String.class, "firstSeen", i -> i.firstSeen, (i, v) -> i.firstSeen = v);
            attr(b, String.class, "lookedUpAt", i -> i.lookedUpAt, (i, v) -> i.lookedUpAt = v);
            SCHEMA = b.build();
        }
    }

    /**
     * A {@code DeleteObjects} call waiting for the sweeper (issue 13): indexed in gsi1 under {@link Keys#BULK_PENDING} until
     * judged.
     */
    static final class BulkDeleteItem extends Base {
        String stateKey;
        String callKey;
        String time;
        String judgedAt;

        static final StaticTableSchema<BulkDeleteItem> SCHEMA;

        static {
            StaticTableSchema.Builder<BulkDeleteItem> b = schema(BulkDeleteItem.class, BulkDeleteItem::new);
            attr(b, String.class, "stateKey", i -> i.stateKey, (i, v) -> i.stateKey = v);
            attr(b, String.class, "callKey", i -> i.callKey, (i, v) -> i.callKey = v);
            attr(b, String.class, "time", i -> i.time, (i, v) -> i.time = v);
            attr(b, String.class, "judgedAt", i -> i.judgedAt, (i, v) -> i.judgedAt = v);
            SCHEMA = b.build();
        }
    }

    /**
     * Issue 19: a store known to hold state (the catalogue: {@link Keys#CATALOGUE} or, for a state key,
     * {@link Keys#BUCKET_STATES}), or a weakened store the sweeper watches ({@link Keys#STORE_WATCH}, indexed in gsi1 under
     * {@link Keys#OPEN_STORES} until resolved).
     */
    /**
     * Issue 15: a finding's triage, every status change oldest first ({@code history}, JSON), in a partition of its own
     * ({@code STATUS#<findingId>}) that the ingest never writes and an analyst may write alone. {@code changes} counts
     * the entries: each write is conditional on it, so two analysts at once never lose a change.
     */
    static final class StatusItem extends Base {
        String findingId;
        String status;
        String history;
        Long changes;

        static final StaticTableSchema<StatusItem> SCHEMA;

        static {
            StaticTableSchema.Builder<StatusItem> b = schema(StatusItem.class, StatusItem::new);
            attr(b, String.class, "findingId", i -> i.findingId, (i, v) -> i.findingId = v);
            attr(b, String.class, "status", i -> i.status, (i, v) -> i.status = v);
            attr(b, String.class, "history", i -> i.history, (i, v) -> i.history = v);
            attr(b, Long.class, "changes", i -> i.changes, (i, v) -> i.changes = v);
            SCHEMA = b.build();
        }
    }

    static final class StoreItem extends Base {
        String ref;
        String findingId;
        String store;
        String name;
        String setting;
        String account;
        String region;
        String raisedAt;
        String checkedAt;
        Boolean stillWeak;
        String verification;
        String resolvedAt;

        static final StaticTableSchema<StoreItem> SCHEMA;

        static {
            StaticTableSchema.Builder<StoreItem> b = schema(StoreItem.class, StoreItem::new);
            attr(b, String.class, "ref", i -> i.ref, (i, v) -> i.ref = v);
            attr(b, String.class, "findingId", i -> i.findingId, (i, v) -> i.findingId = v);
            attr(b, String.class, "store", i -> i.store, (i, v) -> i.store = v);
            attr(b, String.class, "name", i -> i.name, (i, v) -> i.name = v);
            attr(b, String.class, "setting", i -> i.setting, (i, v) -> i.setting = v);
            attr(b, String.class, "account", i -> i.account, (i, v) -> i.account = v);
            attr(b, String.class, "region", i -> i.region, (i, v) -> i.region = v);
            attr(b, String.class, "raisedAt", i -> i.raisedAt, (i, v) -> i.raisedAt = v);
            attr(b, String.class, "checkedAt", i -> i.checkedAt, (i, v) -> i.checkedAt = v);
            attr(b, Boolean.class, "stillWeak", i -> i.stillWeak, (i, v) -> i.stillWeak = v);
            attr(b, String.class, "verification", i -> i.verification, (i, v) -> i.verification = v);
            attr(b, String.class, "resolvedAt", i -> i.resolvedAt, (i, v) -> i.resolvedAt = v);
            SCHEMA = b.build();
        }
    }

    /**
     * What the runs listing shows of one run without reading the run: states touched, roles and accounts of its hops,
     * first and last activity, its findings. Derived data, kept by {@link RunSummaries} with commutative updates (set
     * additions, min/max of times), so it is the same whatever order the calls arrived in.
     */
    static final class RunSummaryItem extends Base {
        String runKey;
        Set<String> states;
        Set<String> roles;
        Set<String> accounts;
        Set<String> findingIds;
        /** What the run's sessions claim ({@link StoredClaims}): only claimed, never verified. */
        Set<String> claims;
        String firstAt;
        String lastAt;
        /** The root session's subject, provider and issue time: what subject-filtered listings read and sort by. */
        String rootSubject;
        String rootProvider;
        String rootAt;

        static final StaticTableSchema<RunSummaryItem> SCHEMA;

        static {
            StaticTableSchema.Builder<RunSummaryItem> b = schema(RunSummaryItem.class, RunSummaryItem::new);
            attr(b, String.class, "runKey", i -> i.runKey, (i, v) -> i.runKey = v);
            set(b, "states", i -> i.states, (i, v) -> i.states = v);
            set(b, "roles", i -> i.roles, (i, v) -> i.roles = v);
            set(b, "accounts", i -> i.accounts, (i, v) -> i.accounts = v);
            set(b, "findingIds", i -> i.findingIds, (i, v) -> i.findingIds = v);
            set(b, "claims", i -> i.claims, (i, v) -> i.claims = v);
            attr(b, String.class, "firstAt", i -> i.firstAt, (i, v) -> i.firstAt = v);
            attr(b, String.class, "lastAt", i -> i.lastAt, (i, v) -> i.lastAt = v);
            attr(b, String.class, "rootSubject", i -> i.rootSubject, (i, v) -> i.rootSubject = v);
            attr(b, String.class, "rootProvider", i -> i.rootProvider, (i, v) -> i.rootProvider = v);
            attr(b, String.class, "rootAt", i -> i.rootAt, (i, v) -> i.rootAt = v);
            SCHEMA = b.build();
        }

        private static void set(StaticTableSchema.Builder<RunSummaryItem> b, String name, Function<RunSummaryItem, Set<String>> get,
                                BiConsumer<RunSummaryItem, Set<String>> set) {
            b.addAttribute(EnhancedType.setOf(String.class), a -> a.name(name).getter(get).setter(set));
        }
    }

    /** When an alert of one group last went to one destination (the dispatcher's grouping window). */
    static final class AlertedItem extends Base {
        String destination;
        String groupKey;
        String at;

        static final StaticTableSchema<AlertedItem> SCHEMA;

        static {
            StaticTableSchema.Builder<AlertedItem> b = schema(AlertedItem.class, AlertedItem::new);
            attr(b, String.class, "destination", i -> i.destination, (i, v) -> i.destination = v);
            attr(b, String.class, "groupKey", i -> i.groupKey, (i, v) -> i.groupKey = v);
            attr(b, String.class, "at", i -> i.at, (i, v) -> i.at = v);
            SCHEMA = b.build();
        }
    }
}
