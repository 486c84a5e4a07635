package io.statetrail.core.terraform;

import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.StateAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Pairs lock acquisitions with releases. CloudTrail never shows the lock ID (it is in the lock body), so a
 * release is matched to the lock held at that time on the same state key and store.
 *
 * <p>{@code eventTime} has one-second resolution and a run's release and the next run's acquisition often share a
 * second. Within one second the order of records says nothing, so each second is settled by meaning: first the
 * release by the run that holds the lock, then (when nothing is held) releases by runs that take no lock in that
 * second, of locks taken before the trail shows, then acquisitions, then releases by the run that just acquired, and
 * only what is left over counts as a release by someone else.
 */
public final class LockHistory {

    private LockHistory() {
    }

    /** @param operations successful LOCK and UNLOCK operations, any order */
    public static List<Lock> of(List<StateAccess> operations, Function<StateAccess, Chain> chainOf) {
        Map<String, List<StateAccess>> byLock = new TreeMap<>();
        for (StateAccess op : operations) {
            if (op.operation().isLock() && !op.meta().failed()) {
                byLock.computeIfAbsent(op.stateKey() + "\u0000" + op.lockStore(), k -> new ArrayList<>()).add(op);
            }
        }
        List<Lock> locks = new ArrayList<>();
        for (List<StateAccess> ops : byLock.values()) {
            locks.addAll(pair(ops, chainOf));
        }
        return locks;
    }

    private static List<Lock> pair(List<StateAccess> ops, Function<StateAccess, Chain> chainOf) {
        ops.sort(Comparator.comparing((StateAccess o) -> o.meta().time()).thenComparing(o -> o.meta().eventId()));
        Map<Instant, List<StateAccess>> bySecond = new LinkedHashMap<>();
        for (StateAccess op : ops) {
            bySecond.computeIfAbsent(op.meta().time(), k -> new ArrayList<>()).add(op);
        }
        List<Lock> out = new ArrayList<>();
        StateAccess held = null;
        Chain holder = null;
        for (List<StateAccess> second : bySecond.values()) {
            List<StateAccess> acquires = new ArrayList<>();
            List<StateAccess> releases = new ArrayList<>();
            for (StateAccess op : second) {
                (op.operation() == StateAccess.Operation.LOCK ? acquires : releases).add(op);
            }
            boolean progress = true;
            while (progress && (!acquires.isEmpty() || !releases.isEmpty())) {
                progress = false;
                if (held != null) {
                    StateAccess own = releaseBy(releases, holder, chainOf);
                    if (own != null) {
                        out.add(new Lock(own.stateKey(), own.lockStore(), held, holder, own, chainOf.apply(own)));
                        releases.remove(own);
                        held = null;
                        holder = null;
                        progress = true;
                        continue;
                    }
                }
                if (held == null && !acquires.isEmpty()) {
                    // An acquisition succeeds only on a free lock, so a release in this second by a run that takes no
                    // lock in it released a lock taken before anything we saw, before the acquisition.
                    StateAccess orphan = releaseByNoneOf(releases, acquires, chainOf);
                    if (orphan != null) {
                        out.add(new Lock(orphan.stateKey(), orphan.lockStore(), null, null, orphan, chainOf.apply(orphan)));
                        releases.remove(orphan);
                        progress = true;
                        continue;
                    }
                    // Prefer the acquisition whose run also releases in this second: a complete quick run.
                    StateAccess next = acquires.get(0);
                    for (StateAccess a : acquires) {
                        if (releaseBy(releases, chainOf.apply(a), chainOf) != null) {
                            next = a;
                            break;
                        }
                    }
                    acquires.remove(next);
                    held = next;
                    holder = chainOf.apply(next);
                    progress = true;
                    continue;
                }
                if (!releases.isEmpty() && (acquires.isEmpty() || held != null)) {
                    StateAccess other = releases.remove(0);
                    if (held != null) {
                        out.add(new Lock(other.stateKey(), other.lockStore(), held, holder, other, chainOf.apply(other)));
                        held = null;
                        holder = null;
                    } else {
                        // A release of a lock taken before anything we saw.
                        out.add(new Lock(other.stateKey(), other.lockStore(), null, null, other, chainOf.apply(other)));
                    }
                    progress = true;
                    continue;
                }
                if (held != null && !acquires.isEmpty()) {
                    // The lock was taken again while we think it is held: its release never reached us.
                    out.add(new Lock(held.stateKey(), held.lockStore(), held, holder, null, null).supersededAt(acquires.get(0).meta().time()));
                    held = null;
                    holder = null;
                    progress = true;
                }
            }
        }
        if (held != null) {
            out.add(new Lock(held.stateKey(), held.lockStore(), held, holder, null, null));
        }
        return out;
    }

    private static StateAccess releaseByNoneOf(List<StateAccess> releases, List<StateAccess> acquires, Function<StateAccess, Chain> chainOf) {
        for (StateAccess r : releases) {
            String run = chainOf.apply(r).runKey();
            if (acquires.stream().noneMatch(a -> chainOf.apply(a).runKey().equals(run))) {
                return r;
            }
        }
        return null;
    }

    private static StateAccess releaseBy(List<StateAccess> releases, Chain run, Function<StateAccess, Chain> chainOf) {
        for (StateAccess r : releases) {
            if (chainOf.apply(r).runKey().equals(run.runKey())) {
                return r;
            }
        }
        return null;
    }
}
