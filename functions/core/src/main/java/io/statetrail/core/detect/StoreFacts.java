package io.statetrail.core.detect;

import io.statetrail.core.event.Arns;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.StorePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What is known about the stores Terraform state lives in (issue 19), from the policy and from the trail: which buckets
 * hold state, which tables hold its locks, which KMS keys encrypt it, which accounts are ours, who may change them, and
 * each store's changes in time order.
 *
 * <p>Discovery is a function of the whole set of calls: a bucket holds state once a state call on it was seen (at any
 * time), a table once a lock item was seen in it, a key once a state write was encrypted with it or a state bucket's
 * default encryption named it. So a change judged before the state write that shows its bucket holds state is judged
 * the same as after it.
 */
public final class StoreFacts {

    /**
     * Stores known outside the trail being judged (the live service judges a slice of its store and keeps a catalogue of
     * the rest).
     *
     * @param stores    stores known to hold state, by {@link StoreChange#storeRef()}: {@code bucket:<name>} (a state call
     *                  was seen in it), {@code table:<name>} (a lock item), {@code key:<key id>} (a state write's key)
     * @param stateKeys state keys seen, {@code <bucket>/<key>} (which prefixes of a bucket hold state)
     */
    public record Known(Set<String> stores, Set<String> stateKeys) {
        public static final Known NONE = new Known(Set.of(), Set.of());

        public Known {
            stores = Set.copyOf(stores);
            stateKeys = Set.copyOf(stateKeys);
        }

        /** Buckets known to hold state, as the bulk-delete judgement gives them. */
        public static Known buckets(Set<String> buckets) {
            return new Known(buckets.stream().map(b -> "bucket:" + b).collect(java.util.stream.Collectors.toSet()), Set.of());
        }

        Set<String> named(String kind) {
            Set<String> out = new TreeSet<>();
            for (String r : stores) {
                if (r.startsWith(kind + ":")) {
                    out.add(r.substring(kind.length() + 1));
                }
            }
            return out;
        }
    }

    private final Policy policy;
    private final Set<String> buckets = new TreeSet<>();
    private final Set<String> tables = new TreeSet<>();
    private final Set<String> keyIds = new TreeSet<>();
    private final Set<String> defaultKeyIds = new TreeSet<>();
    private final Set<String> accounts = new TreeSet<>();
    private final Map<String, List<StoreChange>> changes = new LinkedHashMap<>();

    StoreFacts(Policy policy, Known known, Set<String> stateBuckets, List<StateAccess> stateAccesses, List<StoreChange> storeChanges) {
        this.policy = policy;
        buckets.addAll(known.named("bucket"));
        buckets.addAll(stateBuckets);
        buckets.addAll(policy.stores().buckets());
        tables.addAll(known.named("table"));
        tables.addAll(policy.lockTables());
        keyIds.addAll(known.named("key"));
        for (String k : policy.stores().kmsKeys()) {
            keyIds.add(lower(k.startsWith("arn:") ? StorePolicy.keyId(k) : k));
        }
        for (StateAccess s : stateAccesses) {
            if (s.meta().failed()) {
                continue;
            }
            if (s.operation().isLock() && s.lockStore() != null && s.lockStore().startsWith("dynamodb:")) {
                tables.add(s.lockStore().substring("dynamodb:".length()));
            }
            String id = keyIdOf(s.kmsKeyId());
            if (id != null) {
                keyIds.add(id);
            }
        }
        for (StoreChange c : storeChanges) {
            changes.computeIfAbsent(c.storeId(), k -> new ArrayList<>()).add(c);
        }
        // A state bucket's default encryption names the key new state objects are encrypted with.
        for (StoreChange c : storeChanges) {
            if (c.store() == StoreChange.Store.BUCKET && holdsState(c.name()) && "PutBucketEncryption".equals(c.meta().eventName())) {
                BucketVerdicts.defaultKeys(c).forEach(k -> {
                    String id = keyIdOf(k);
                    if (id != null) {
                        keyIds.add(id);
                        defaultKeyIds.add(id);
                    }
                });
            }
        }
        for (Policy.RoleEntry r : policy.roles()) {
            addAccount(r.arn());
        }
        for (Policy.StateEntry s : policy.states()) {
            s.writers().forEach(this::addAccount);
            s.readers().forEach(this::addAccount);
        }
        policy.stores().admins().forEach(this::addAccount);
        for (String k : policy.stores().kmsKeys()) {
            String a = Arns.account(k);
            if (a != null && a.matches("\\d{12}")) {
                accounts.add(a);
            }
        }
    }

    private void addAccount(Glob g) {
        String a = g.pattern().startsWith("arn:") ? Arns.account(g.pattern()) : null;
        if (a != null && a.matches("\\d{12}")) {
            accounts.add(a);
        }
    }

    /** Whether the bucket holds Terraform state: named by the policy, or a state call on it was seen. */
    public boolean holdsState(String bucket) {
        return buckets.contains(bucket) || policy.namesBucket(bucket);
    }

    /** Whether the table holds Terraform locks: listed in {@code lockTables}, or a lock item was seen in it. */
    public boolean isLockTable(String table) {
        return tables.contains(table);
    }

    /** Whether the key encrypts Terraform state: named in {@code stores.kmsKeys}, or seen encrypting state. */
    public boolean encryptsState(String keyArn) {
        String id = keyIdOf(keyArn);
        return (id != null && keyIds.contains(id)) || policy.stores().namesKey(keyArn);
    }

    /** Accounts that are ours for a resource of {@code ownAccount}: it, and every account the policy names. */
    public boolean isOurAccount(String account, String ownAccount) {
        return account != null && (account.equals(ownAccount) || accounts.contains(account));
    }

    /** Whether the run that acted may change the store ({@code stores.admins}). */
    public boolean isAdmin(Chain chain) {
        var web = chain.origin().webIdentity();
        return policy.stores().isAdmin(web == null ? null : web.subject(), chain.principalArns());
    }

    /** The changes of one store ({@link StoreChange#storeId()}), oldest first. */
    public List<StoreChange> changesOf(String storeId) {
        return changes.getOrDefault(storeId, List.of());
    }

    /** Every store change, grouped by store, each store's oldest first. */
    public List<List<StoreChange>> byStore() {
        return new ArrayList<>(changes.values());
    }

    /**
     * What this trail shows holds state, by {@link StoreChange#storeRef()}: buckets of state calls, tables of lock calls,
     * keys of state writes and of state buckets' default encryption. The live service keeps them in its catalogue.
     */
    public static Set<String> discovered(List<? extends io.statetrail.core.event.TrailEvent> events) {
        Set<String> out = new TreeSet<>();
        for (var e : events) {
            if (e instanceof StateAccess s && !s.meta().failed()) {
                if (s.operation().namesState()) {
                    out.add("bucket:" + s.bucket());
                }
                if (s.operation().isLock() && s.lockStore() != null && s.lockStore().startsWith("dynamodb:")) {
                    out.add("table:" + s.lockStore().substring("dynamodb:".length()));
                }
                String id = keyIdOf(s.kmsKeyId());
                if (id != null) {
                    out.add("key:" + id);
                }
            }
        }
        return out;
    }

    /** Keys a state bucket's default encryption names (by {@link StoreChange#storeRef()}): they encrypt new state. */
    public Set<String> defaultEncryptionKeys() {
        Set<String> out = new TreeSet<>();
        defaultKeyIds.forEach(id -> out.add("key:" + id));
        return out;
    }

    /** The key id in a key ARN, or a bare key id; null for an alias or nothing. Ids compare case-blind. */
    static String keyIdOf(String key) {
        if (key == null || key.isBlank() || key.startsWith("alias/") || key.contains(":alias/")) {
            return null;
        }
        return lower(key.startsWith("arn:") ? StorePolicy.keyId(key) : key);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
