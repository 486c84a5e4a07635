package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.terraform.Lock;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock released by a run other than the one that took it: {@code terraform force-unlock}, or someone deleting the
 * {@code .tflock} object or {@code LockID} item by hand. Sometimes the right fix for a stale lock, sometimes a way to
 * race a running apply; either way it must be seen.
 */
public final class ForceUnlock implements Detection {

    @Override
    public FindingType type() {
        return FindingType.FORCE_UNLOCK;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (Lock lock : e.locks()) {
            if (!lock.releasedByOtherRun()) {
                continue;
            }
            out.add(e.draft(type(), lock.released())
                    .chain(lock.releaser())
                    .also(lock.acquired())
                    .stateKey(lock.stateKey())
                    .detail("lockStore", lock.store())
                    .detail("holderRun", lock.holder().runKey())
                    .detail("holder", RunGroups.who(lock.holder()))
                    .detail("acquiredAt", lock.acquired().meta().time().toString())
                    .summary("Lock on " + lock.stateKey() + " (" + lock.store() + ") held by " + RunGroups.who(lock.holder())
                            + " was released by " + RunGroups.who(lock.releaser()) + RunGroups.via(lock.releaser()))
                    .identity(lock.stateKey(), lock.store(), lock.released().meta().callKey())
                    .build());
        }
        return out;
    }
}
