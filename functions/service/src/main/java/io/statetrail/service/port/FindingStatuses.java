package io.statetrail.service.port;

import io.statetrail.core.finding.StatusChange;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysts' triage of findings: each finding's status changes, oldest first. Kept apart from the findings
 * themselves, which the ingest rewrites whenever it judges a unit again: a judgement of a person must survive that.
 * Every method is idempotent.
 */
public interface FindingStatuses {

    /** Every status change of one finding, oldest first; empty when it was never changed (it is {@code open}). */
    List<StatusChange> statusHistory(String findingId);

    /** The latest status change of each of these findings that has one. */
    default Map<String, StatusChange> latestStatuses(Collection<String> findingIds) {
        Map<String, StatusChange> out = new HashMap<>();
        for (String id : findingIds) {
            List<StatusChange> h = statusHistory(id);
            if (!h.isEmpty()) {
                out.put(id, h.get(h.size() - 1));
            }
        }
        return out;
    }

    /**
     * Appends a status change to a finding's history; one equal to a change already there (a retried request) is not
     * added again. The history is kept as long as the trail's retention after its latest change.
     */
    void recordStatus(String findingId, StatusChange change);

    /** A store that keeps no triage: every finding stays {@code open}, and a change is not kept (tools that only replay a trail). */
    FindingStatuses NONE = new FindingStatuses() {
        @Override
        public List<StatusChange> statusHistory(String findingId) {
            return List.of();
        }

        @Override
        public void recordStatus(String findingId, StatusChange change) {
            // nothing kept
        }
    };
}
