package io.statetrail.api;

import io.statetrail.service.query.OpenLock;

/**
 * An open lock as incident review shows it: how long it has been held at the server's now, and the stale-lock finding
 * raised for it, if any (a lock that outlived its state's {@code staleLockAfter} and is still there).
 */
public record LockView(OpenLock lock, long ageSeconds, String staleFindingId) {
}
