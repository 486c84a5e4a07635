package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.record.StateAccess;
import java.util.ArrayList;
import java.util.List;

/** A state object deleted: Terraform forgets everything it manages there. Rare enough to always be worth a look. */
public final class StateDeleted implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STATE_DELETED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            if (s.operation() != StateAccess.Operation.DELETE) {
                continue;
            }
            Chain chain = e.chainOf(s);
            out.add(e.draft(type(), s)
                    .chain(chain)
                    .stateKey(s.stateKey())
                    .summary(RunGroups.who(chain) + " deleted state " + s.stateKey() + RunGroups.via(chain))
                    .identity(s.meta().callKey(), s.stateKey())
                    .build());
        }
        return out;
    }
}
