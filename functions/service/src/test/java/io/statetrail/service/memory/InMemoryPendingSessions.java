package io.statetrail.service.memory;

import io.statetrail.service.port.PendingSessions;
import io.statetrail.service.port.Unattributed;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link PendingSessions} in memory. */
public final class InMemoryPendingSessions implements PendingSessions {

    private final Map<String, Unattributed> pending = new TreeMap<>();

    @Override
    public synchronized void markUnattributed(String accessKey, Instant firstSeen) {
        Unattributed stored = pending.get(accessKey);
        if (stored != null && !stored.firstSeen().isAfter(firstSeen)) {
            return;
        }
        pending.put(accessKey, new Unattributed(accessKey, firstSeen, stored == null ? null : stored.lookedUpAt()));
    }

    @Override
    public synchronized void clearUnattributed(String accessKey) {
        pending.remove(accessKey);
    }

    @Override
    public synchronized List<Unattributed> unattributedBefore(Instant cutoff, int limit) {
        return pending.values().stream()
                .filter(u -> u.lookedUpAt() == null && u.firstSeen().isBefore(cutoff))
                .sorted(Comparator.comparing(Unattributed::firstSeen).thenComparing(Unattributed::accessKey))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void markLookedUp(String accessKey, Instant at) {
        Unattributed u = pending.get(accessKey);
        if (u != null) {
            pending.put(accessKey, new Unattributed(accessKey, u.firstSeen(), at));
        }
    }

    synchronized void snapshot(java.util.Map<String, String> into) {
        pending.forEach((key, u) -> into.put("unattributed|" + key, u.toString()));
    }
}
