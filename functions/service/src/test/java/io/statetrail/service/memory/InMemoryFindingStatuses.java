package io.statetrail.service.memory;

import io.statetrail.core.finding.StatusChange;
import io.statetrail.service.port.FindingStatuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link FindingStatuses} in memory: the same answers as the DynamoDB adapter. */
public final class InMemoryFindingStatuses implements FindingStatuses {

    private final Map<String, List<StatusChange>> histories = new TreeMap<>();

    @Override
    public synchronized List<StatusChange> statusHistory(String findingId) {
        return List.copyOf(histories.getOrDefault(findingId, List.of()));
    }

    @Override
    public synchronized void recordStatus(String findingId, StatusChange change) {
        List<StatusChange> h = histories.computeIfAbsent(findingId, k -> new ArrayList<>());
        if (!h.contains(change)) {
            h.add(change);
        }
    }
}
