package io.statetrail.service.port;

import io.statetrail.service.query.LockDetails;
import java.time.Instant;
import java.util.List;

/** The Terraform locks: where each stands as CloudTrail tells, what the sweeper saw of it, and the bodies read. */
public interface Locks {

    /** Lock body read from the lock table or {@code .tflock} object (ID, Operation, Who, Version, Created). */
    void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details);

    /** Stores the current state of a lock unless the stored one is newer; keeps what the sweeper recorded. */
    void putLockState(LockState state);

    /** Locks held as far as CloudTrail tells (and not found gone), and locks with an unresolved alert. */
    List<WatchedLock> locksToWatch();

    /** Records the sweeper's view of a lock; a lock found gone leaves the open-locks index. */
    void putLockWatch(String stateKey, String lockStore, LockWatch watch);

    /** Every lock tracked in this bucket (a state key and its lock store each): the state objects known there. */
    List<LockState> locksInBucket(String bucket);
}
