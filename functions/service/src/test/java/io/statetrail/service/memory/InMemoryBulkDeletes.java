package io.statetrail.service.memory;

import io.statetrail.service.port.BulkDelete;
import io.statetrail.service.port.PendingBulkDeletes;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link PendingBulkDeletes} in memory. */
public final class InMemoryBulkDeletes implements PendingBulkDeletes {

    private final Map<String, BulkDelete> bulkDeletes = new TreeMap<>();
    private final Set<String> judgedBulkDeletes = new TreeSet<>();

    @Override
    public synchronized void markBulkDelete(String stateKey, String callKey, Instant time) {
        bulkDeletes.putIfAbsent(callKey, new BulkDelete(stateKey, callKey, time));
    }

    @Override
    public synchronized List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit) {
        return bulkDeletes.values().stream().filter(b -> !judgedBulkDeletes.contains(b.callKey()) && b.time().isBefore(cutoff))
                .sorted(Comparator.comparing(BulkDelete::time).thenComparing(BulkDelete::callKey))
                .limit(limit).toList();
    }

    @Override
    public synchronized void markBulkDeleteJudged(String callKey, Instant at) {
        judgedBulkDeletes.add(callKey);
    }

    synchronized void snapshot(Map<String, String> into) {
        bulkDeletes.forEach((key, b) -> into.put("bulk|" + key, b + (judgedBulkDeletes.contains(key) ? " judged" : "")));
    }
}
