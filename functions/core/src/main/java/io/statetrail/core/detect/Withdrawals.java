package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.terraform.Lock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a finding raised earlier no longer holds, in words the person who was paged can check against the trail. The
 * live service judges on the records it has; when a late one arrives (the lock acquisition of a write, the hop that
 * links a session to its run, a call in the same second) the same evaluation no longer yields the finding.
 */
public final class Withdrawals {

    private Withdrawals() {
    }

    /**
     * @param gone    the finding as it was stored
     * @param now     the evaluation that no longer yields it
     * @param current what that evaluation yields instead (for the same unit)
     */
    public static String why(Finding gone, Evaluation now, List<Finding> current) {
        Optional<Finding> successor = successor(gone, current);
        if (successor.isPresent()) {
            return "replaced by finding " + successor.get().id() + " (" + successor.get().summary() + ")";
        }
        Set<String> ids = new HashSet<>(gone.eventIds());
        FindingType type = FindingType.byId(gone.type()).orElse(null);
        if (type == FindingType.UNLOCKED_STATE_WRITE) {
            for (StateAccess s : now.successfulStateAccesses()) {
                if (s.operation() == StateAccess.Operation.WRITE && s.stateKey().equals(gone.stateKey()) && shares(now, s, ids)) {
                    Chain chain = now.chainOf(s);
                    for (Lock lock : now.locksOf(s.stateKey())) {
                        if (lock.holder() != null && lock.holder().runKey().equals(chain.runKey()) && lock.isHeldAt(s.meta().time())) {
                            return "the run held the lock when it wrote: " + RunGroups.who(chain) + " took it at "
                                    + lock.acquired().meta().time() + " (" + lock.store() + ", eventID " + lock.acquired().meta().eventId()
                                    + "), a record that arrived later";
                        }
                    }
                }
            }
        } else if (type == FindingType.FORCE_UNLOCK) {
            for (Lock lock : now.locksOf(gone.stateKey())) {
                if (lock.released() != null && shares(now, lock.released(), ids) && !lock.releasedByOtherRun()) {
                    if (lock.acquired() == null) {
                        return "the release ended a lock taken before the trail shows, so no other run's lock was broken";
                    }
                    return "the release was by the run that took the lock: " + RunGroups.who(lock.holder()) + " took it at "
                            + lock.acquired().meta().time() + " (eventID " + lock.acquired().meta().eventId() + ")";
                }
            }
        } else if (type != null && type.settling() == FindingType.Settling.FINAL_WHEN_TRACED) {
            for (StateAccess s : now.successfulStateAccesses()) {
                if (s.stateKey().equals(gone.stateKey()) && shares(now, s, ids)) {
                    return "the run is now traced to " + RunGroups.who(now.chainOf(s)) + RunGroups.via(now.chainOf(s))
                            + ", which the policy allows";
                }
            }
        }
        return "no longer supported once later CloudTrail records arrived";
    }

    /** A finding of the same type about the same thing that now stands on the same first evidence: it replaced this one. */
    public static Optional<Finding> successor(Finding gone, List<Finding> current) {
        if (gone.eventIds().isEmpty()) {
            return Optional.empty();
        }
        String first = gone.eventIds().get(0);
        return current.stream()
                .filter(f -> !f.id().equals(gone.id()) && f.type().equals(gone.type())
                        && java.util.Objects.equals(f.stateKey(), gone.stateKey()) && f.eventIds().contains(first))
                .findFirst();
    }

    private static boolean shares(Evaluation e, StateAccess s, Set<String> ids) {
        return e.eventIdsOf(s).stream().anyMatch(ids::contains);
    }
}
