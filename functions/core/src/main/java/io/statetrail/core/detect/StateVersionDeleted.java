package io.statetrail.core.detect;

import io.statetrail.core.event.StateAccess;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import java.util.ArrayList;
import java.util.List;

/**
 * A version of a state object deleted for good ({@code DeleteObject} with a {@code versionId}): the rollback it allowed
 * is gone. Or a delete marker removed the same way, so an older state is current again and the next apply works from
 * it. Always reported, critical, whoever made it (with {@code byAdmin: true} when an admin of the store did).
 */
public final class StateVersionDeleted implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STATE_VERSION_DELETED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            if (!s.operation().deletesVersion()) {
                continue;
            }
            Chain chain = e.chainOf(s);
            boolean admin = e.stores().isAdmin(chain);
            boolean marker = s.operation() == StateAccess.Operation.DELETE_MARKER_REMOVED;
            String what = marker ? "removed delete marker " + s.versionId() + " of state " + s.stateKey() + ", so an older version is current again"
                    : "deleted version " + s.versionId() + " of state " + s.stateKey() + " for good";
            out.add(e.draft(type(), s)
                    .chain(chain)
                    .stateKey(s.stateKey())
                    .detail("versionId", s.versionId())
                    .detail("deleteMarker", String.valueOf(marker))
                    .detail("byAdmin", admin ? "true" : null)
                    .summary(RunGroups.who(chain) + " " + what + RunGroups.via(chain) + (admin ? " (an admin of the store)" : ""))
                    .identity(s.meta().callKey(), s.stateKey())
                    .build());
        }
        return out;
    }
}
