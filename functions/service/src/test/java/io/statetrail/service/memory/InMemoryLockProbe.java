package io.statetrail.service.memory;

import io.statetrail.service.port.LockProbe;
import io.statetrail.service.query.LockDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Terraform's locks where they live (lock table items, {@code .tflock} objects) and the state objects of a bucket, in
 * memory, seen through the {@link LockProbe} port as {@code AwsLockProbe} answers it: HELD with the body while a lock
 * is held, GONE once it is released, UNKNOWN with the reason for a store it cannot reach. It remembers what it was
 * asked, in order.
 */
public final class InMemoryLockProbe implements LockProbe {

    private final Map<String, LockDetails> held = new TreeMap<>();
    private final Map<String, String> unreachable = new TreeMap<>();
    private final Set<String> objects = new TreeSet<>();
    private final List<String> probed = new ArrayList<>();

    /** Terraform takes the lock of this state in this store ({@code s3} or {@code dynamodb:<table>}). */
    public synchronized void hold(String stateKey, String lockStore, LockDetails body) {
        held.put(key(stateKey, lockStore), body);
    }

    /** Terraform releases it. */
    public synchronized void release(String stateKey, String lockStore) {
        held.remove(key(stateKey, lockStore));
    }

    /** This store cannot be looked at (no reader role, access denied). */
    public synchronized void unreachable(String lockStore, String reason) {
        unreachable.put(lockStore, reason);
    }

    /** An object that exists in its bucket ({@code <bucket>/<key>}). */
    public synchronized void object(String bucketAndKey) {
        objects.add(bucketAndKey);
    }

    /** Every probe made, as {@code <state key> <lock store> <account> <region>}, in order. */
    public synchronized List<String> probed() {
        return List.copyOf(probed);
    }

    @Override
    public synchronized Probe probe(String stateKey, String lockStore, String account, String region) {
        probed.add(stateKey + " " + lockStore + " " + account + " " + region);
        if (unreachable.containsKey(lockStore)) {
            return Probe.unknown(unreachable.get(lockStore));
        }
        LockDetails body = held.get(key(stateKey, lockStore));
        return body == null ? new Probe(State.GONE, Optional.empty(), null) : new Probe(State.HELD, Optional.of(body), null);
    }

    @Override
    public synchronized Probe object(String bucket, String key, String account, String region) {
        probed.add(bucket + "/" + key + " object " + account + " " + region);
        if (unreachable.containsKey("s3")) {
            return Probe.unknown(unreachable.get("s3"));
        }
        return new Probe(objects.contains(bucket + "/" + key) ? State.HELD : State.GONE, Optional.empty(), null);
    }

    private static String key(String stateKey, String lockStore) {
        return stateKey + "\u0000" + lockStore;
    }
}
