package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.terraform.Lock;
import java.util.List;

/**
 * A state written while the writing run held no lock on it ({@code -lock=false}, a script, a hand upload): two
 * writers can then overwrite each other and lose resources from state.
 */
public final class UnlockedStateWrite implements Detection {

    @Override
    public FindingType type() {
        return FindingType.UNLOCKED_STATE_WRITE;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        return RunGroups.of(e, (s, chain) -> s.operation() == StateAccess.Operation.WRITE && !holdsLock(e, s, chain.runKey()))
                .stream()
                .map(g -> RunGroups.draft(e, e.draft(type(), g.first()), g)
                        .summary(RunGroups.who(g.chain()) + " wrote state " + g.stateKey() + RunGroups.via(g.chain())
                                + " without holding its lock")
                        .identity(g.chain().runKey(), g.stateKey())
                        .build())
                .toList();
    }

    static boolean holdsLock(Evaluation e, StateAccess write, String runKey) {
        for (Lock lock : e.locksOf(write.stateKey())) {
            if (lock.holder() != null && lock.holder().runKey().equals(runKey)
                    && lock.isHeldAt(write.meta().time())) {
                return true;
            }
        }
        return false;
    }
}
