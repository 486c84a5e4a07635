package io.statetrail.core.detect;

import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Lineage;
import io.statetrail.core.lineage.Session;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.record.Actor;
import io.statetrail.core.record.RoleAssumed;
import io.statetrail.core.record.RoleAssumptionFailed;
import io.statetrail.core.record.StateAccess;
import io.statetrail.core.record.TrailEvent;
import io.statetrail.core.record.TrustPolicyChanged;
import io.statetrail.core.terraform.Lock;
import io.statetrail.core.terraform.LockHistory;
import io.statetrail.core.trail.Trail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final List<Lock> locks;
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, List<Lock>> locksByState = new HashMap<>();

    private Evaluation(Trail trail, Policy policy, Instant now) {
        this.trail = trail;
        this.policy = policy;
        this.now = now;
        for (TrailEvent e : trail.events()) {
            if (e instanceof RoleAssumed r) {
                assumptions.add(r);
            } else if (e instanceof RoleAssumptionFailed f) {
                failedAssumptions.add(f);
            } else if (e instanceof StateAccess s) {
                stateAccesses.add(s);
            } else if (e instanceof TrustPolicyChanged t) {
                trustPolicyChanges.add(t);
            }
        }
        this.lineage = Lineage.of(assumptions, trail::eventIdsOf);
        this.locks = LockHistory.of(stateAccesses, this::chainOf);
        for (Lock lock : locks) {
            locksByState.computeIfAbsent(lock.stateKey(), k -> new ArrayList<>()).add(lock);
        }
    }

    public static Evaluation of(Trail trail, Policy policy, Instant now) {
        return new Evaluation(trail, policy, now);
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
