package io.statetrail.core.detect;

import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Lineage;
import io.statetrail.core.lineage.Session;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.Actor;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.terraform.Lock;
import io.statetrail.core.terraform.LockHistory;
import io.statetrail.core.trail.Trail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the detections look at, derived once from a {@link Trail}: the lineage of every session, the state
 * operations in time order, and the locks paired from acquisition to release.
 */
public final class Evaluation {

    private final Trail trail;
    private final Policy policy;
    private final Instant now;
    private final Lineage lineage;
    private final List<RoleAssumed> assumptions = new ArrayList<>();
    private final List<RoleAssumptionFailed> failedAssumptions = new ArrayList<>();
    private final List<StateAccess> stateAccesses = new ArrayList<>();
    private final List<TrustPolicyChanged> trustPolicyChanges = new ArrayList<>();
    private final List<StoreChange> storeChanges = new ArrayList<>();
    private final StoreFacts stores;
    private final List<Lock> locks;
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, List<Lock>> locksByState = new HashMap<>();
    private final Set<String> stateBuckets = new TreeSet<>();
    private final Set<String> knownStateKeys = new TreeSet<>();
    private final List<TrailEvent> events;

    private Evaluation(Trail trail, Policy policy, Instant now, StoreFacts.Known known) {
        this.trail = trail;
        this.policy = policy;
        this.now = now;
        this.stateBuckets.addAll(known.named("bucket"));
        this.knownStateKeys.addAll(known.stateKeys());
        this.events = trail.events();
        for (TrailEvent e : events) {
            if (e instanceof RoleAssumed r) {
                assumptions.add(r);
            } else if (e instanceof RoleAssumptionFailed f) {
                failedAssumptions.add(f);
            } else if (e instanceof StateAccess s) {
                stateAccesses.add(s);
                if (s.operation().namesState() && !s.meta().failed()) {
                    stateBuckets.add(s.bucket());
                }
            } else if (e instanceof TrustPolicyChanged t) {
                trustPolicyChanges.add(t);
            } else if (e instanceof StoreChange c) {
                storeChanges.add(c);
            }
        }
        this.stores = new StoreFacts(policy, known, stateBuckets, stateAccesses, storeChanges);
        this.lineage = Lineage.of(assumptions, trail::eventIdsOf);
        this.locks = LockHistory.of(stateAccesses, this::chainOf);
        for (Lock lock : locks) {
            locksByState.computeIfAbsent(lock.stateKey(), k -> new ArrayList<>()).add(lock);
        }
    }

    public static Evaluation of(Trail trail, Policy policy, Instant now) {
        return new Evaluation(trail, policy, now, StoreFacts.Known.NONE);
    }

    /**
     * @param knownStateBuckets buckets where state objects were seen outside this trail (the live service judges a slice
     *                          of its store and knows the rest from its catalogue of state objects)
     */
    public static Evaluation of(Trail trail, Policy policy, Instant now, Set<String> knownStateBuckets) {
        return new Evaluation(trail, policy, now, StoreFacts.Known.buckets(knownStateBuckets));
    }

    /** @param known stores seen outside this trail (the live service's catalogue of state buckets, lock tables, KMS keys) */
    public static Evaluation of(Trail trail, Policy policy, Instant now, StoreFacts.Known known) {
        return new Evaluation(trail, policy, now, known);
    }

    public Policy policy() {
        return policy;
    }

    /** The moment stale locks are judged at. */
    public Instant now() {
        return now;
    }

    public Lineage lineage() {
        return lineage;
    }

    /** Every event of the trail, in its fixed order. */
    public List<TrailEvent> events() {
        return events;
    }

    private List<Runs.Run> runs;

    /** The runs opened by an OIDC login, with all their sessions and calls (computed once). */
    List<Runs.Run> runs() {
        if (runs == null) {
            runs = Runs.of(this);
        }
        return runs;
    }

    /** Successful role assumptions, oldest first. */
    public List<RoleAssumed> assumptions() {
        return assumptions;
    }

    public List<RoleAssumptionFailed> failedAssumptions() {
        return failedAssumptions;
    }

    /** State and lock operations, oldest first, failed ones included. */
    public List<StateAccess> stateAccesses() {
        return stateAccesses;
    }

    /** Successful state and lock operations, oldest first. */
    public List<StateAccess> successfulStateAccesses() {
        return stateAccesses.stream().filter(s -> !s.meta().failed()).toList();
    }

    public List<TrustPolicyChanged> trustPolicyChanges() {
        return trustPolicyChanges;
    }

    public List<Lock> locks() {
        return locks;
    }

    /** Changes of buckets, lock tables and KMS keys (issue 19), oldest first. */
    public List<StoreChange> storeChanges() {
        return storeChanges;
    }

    /** The stores state lives in, and what is known of them. */
    public StoreFacts stores() {
        return stores;
    }

    /**
     * Whether a bucket holds Terraform state: a {@code states} entry names it, or a state object or its lock was seen in
     * it (a successful call on it, at any time).
     */
    public boolean holdsState(String bucket) {
        return stateBuckets.contains(bucket) || policy.namesBucket(bucket) || policy.stores().namesBucket(bucket);
    }

    /** State keys seen in this bucket (successful calls naming a state or its lock, and those known outside the trail), sorted. */
    public List<String> statesIn(String bucket) {
        TreeSet<String> out = new TreeSet<>();
        for (String k : knownStateKeys) {
            if (k.startsWith(bucket + "/")) {
                out.add(k);
            }
        }
        for (StateAccess s : stateAccesses) {
            if (s.operation().namesState() && !s.meta().failed() && s.bucket().equals(bucket)) {
                out.add(s.stateKey());
            }
        }
        return List.copyOf(out);
    }

    /** Locks of one state key, in every store. */
    public List<Lock> locksOf(String stateKey) {
        return locksByState.getOrDefault(stateKey, List.of());
    }

    /** The chain from the run's origin to the session that made this call. */
    public Chain chainOf(TrailEvent event) {
        Actor actor = event.meta().actor();
        String cacheKey = actor.accessKeyId() != null ? actor.accessKeyId() : "principal:" + actor.arn() + "|" + actor.principalId() + "|" + actor.type();
        return chains.computeIfAbsent(cacheKey, k -> lineage.chainOf(actor));
    }

    /** The session that made this call, when its issuing event was seen. */
    public Session sessionOf(TrailEvent event) {
        String key = event.meta().actor().accessKeyId();
        return key == null ? null : lineage.session(key);
    }

    public List<String> eventIdsOf(TrailEvent event) {
        return trail.eventIdsOf(event);
    }

    FindingDraft draft(FindingType type, TrailEvent evidence) {
        return new FindingDraft(type, this).evidence(evidence);
    }
}
