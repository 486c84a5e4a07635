package io.statetrail.service.port;

import io.statetrail.service.query.LockDetails;

/** A lock the sweeper must look at: held as far as CloudTrail tells, or with an alert not yet resolved. */
public record WatchedLock(LockState state, LockWatch watch, LockDetails details) {
}
