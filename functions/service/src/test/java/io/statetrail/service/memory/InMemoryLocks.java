package io.statetrail.service.memory;

import io.statetrail.service.port.LockState;
import io.statetrail.service.port.LockWatch;
import io.statetrail.service.port.Locks;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.LockDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link Locks} in memory: newest-wins lock states, the sweeper's watch, lock bodies matched within five minutes. */
public final class InMemoryLocks implements Locks {

    static final Duration LOCK_BODY_SKEW = Duration.ofMinutes(5);

    private record LockBody(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
    }

    private final Map<String, LockState> lockStates = new TreeMap<>();
    private final Map<String, LockWatch> lockWatches = new TreeMap<>();
    private final List<LockBody> lockBodies = new ArrayList<>();

    @Override
    public synchronized void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details) {
        lockBodies.removeIf(b -> b.stateKey.equals(stateKey) && b.lockStore.equals(lockStore) && b.acquiredAt.equals(acquiredAt));
        lockBodies.add(new LockBody(stateKey, lockStore, acquiredAt, details));
    }

    private LockDetails lockDetails(String stateKey, String lockStore, Instant acquiredAt) {
        LockBody best = null;
        long bestGap = LOCK_BODY_SKEW.toMillis() + 1;
        for (LockBody b : lockBodies) {
            if (acquiredAt == null || !b.stateKey.equals(stateKey) || !b.lockStore.equals(lockStore)) {
                continue;
            }
            long gap = Math.abs(Duration.between(acquiredAt, b.acquiredAt).toMillis());
            if (gap < bestGap) {
                best = b;
                bestGap = gap;
            }
        }
        return best == null ? null : best.details;
    }

    @Override
    public synchronized void putLockState(LockState state) {
        String k = state.stateKey() + "\u0000" + state.lockStore();
        LockState stored = lockStates.get(k);
        if (stored != null && stored.compareLastOp(state) > 0) {
            return; // an older call arrived late: the stored state is newer
        }
        lockStates.put(k, state);
    }

    @Override
    public synchronized List<WatchedLock> locksToWatch() {
        List<WatchedLock> out = new ArrayList<>();
        for (Map.Entry<String, LockState> e : lockStates.entrySet()) {
            LockState s = e.getValue();
            LockWatch w = lockWatches.getOrDefault(e.getKey(), LockWatch.NONE);
            boolean open = s.open() && !java.util.Objects.equals(w.goneCallKey(), s.acquiredCallKey());
            if (open || w.alertOpen()) {
                out.add(new WatchedLock(s, w, lockDetails(s.stateKey(), s.lockStore(), s.acquiredAt())));
            }
        }
        return out;
    }

    @Override
    public synchronized void putLockWatch(String stateKey, String lockStore, LockWatch watch) {
        String k = stateKey + "\u0000" + lockStore;
        if (lockStates.containsKey(k)) {
            lockWatches.put(k, watch);
        }
    }

    @Override
    public synchronized List<LockState> locksInBucket(String bucket) {
        return lockStates.values().stream().filter(l -> l.stateKey().startsWith(bucket + "/")).toList();
    }

    synchronized void snapshot(Map<String, String> into) {
        lockStates.forEach((key, s) -> into.put("lock|" + key, s.toString()));
        lockWatches.forEach((key, w) -> into.put("watch|" + key, w.toString()));
        lockBodies.forEach(b -> into.put("body|" + b.stateKey + "|" + b.lockStore + "|" + b.acquiredAt, b.toString()));
    }
}
