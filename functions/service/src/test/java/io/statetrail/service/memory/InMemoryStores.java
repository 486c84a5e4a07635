package io.statetrail.service.memory;

import io.statetrail.service.port.StoreCatalogue;
import io.statetrail.service.port.StoreWatch;
import io.statetrail.service.port.StoreWatches;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link StoreCatalogue} and {@link StoreWatches} in memory, answering as the DynamoDB adapter does. */
public final class InMemoryStores implements StoreCatalogue, StoreWatches {

    private final Set<String> known = new TreeSet<>();
    private final Map<String, StoreWatch> watches = new TreeMap<>();

    @Override
    public synchronized Set<String> markStores(Collection<String> refs) {
        Set<String> fresh = new TreeSet<>();
        for (String r : refs) {
            if (known.add(r)) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    @Override
    public synchronized Set<String> knownStores(Collection<String> refs) {
        Set<String> out = new TreeSet<>(refs);
        out.retainAll(known);
        return out;
    }

    @Override
    public synchronized Set<String> statesIn(String bucket) {
        Set<String> out = new TreeSet<>();
        for (String r : known) {
            if (r.startsWith("state:" + bucket + "/")) {
                out.add(r.substring("state:".length()));
            }
        }
        return out;
    }

    @Override
    public synchronized void watchStore(StoreWatch watch) {
        StoreWatch stored = watches.get(watch.findingId());
        watches.put(watch.findingId(), stored == null ? watch
                : watch.checked(stored.checkedAt(), stored.stillWeak(), stored.verification(), stored.resolvedAt()));
    }

    @Override
    public synchronized void unwatchStore(String findingId) {
        watches.remove(findingId);
    }

    @Override
    public synchronized List<StoreWatch> storesToWatch(int limit) {
        List<StoreWatch> out = new ArrayList<>();
        for (StoreWatch w : watches.values()) {
            if (w.resolvedAt() == null) {
                out.add(w);
            }
        }
        // Never checked first, then the least recently checked; ties by finding id (the DynamoDB index's order).
        out.sort(Comparator.comparing((StoreWatch w) -> w.checkedAt() == null ? "" : w.checkedAt().toString())
                .thenComparing(StoreWatch::findingId));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public synchronized void storeChecked(StoreWatch checked) {
        if (watches.containsKey(checked.findingId())) {
            watches.put(checked.findingId(), checked);
        }
    }
}
