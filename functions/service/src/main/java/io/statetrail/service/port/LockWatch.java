package io.statetrail.service.port;

import java.time.Instant;

/**
 * What the sweeper knows about a lock beyond CloudTrail: that it found it gone, and the stale-lock alert it raised
 * (with reminders) until it resolves. All fields are nullable.
 *
 * @param goneCallKey    acquisition call of the lock the probe found gone (that lock is no longer open)
 * @param alertCallKey   acquisition call the alert is about
 * @param alertFindingId the stale-lock finding raised for it
 * @param reminders      reminders sent so far
 * @param resolvedAt     when the resolved notice was queued; the alert is then closed
 */
public record LockWatch(String goneCallKey, Instant goneAt, String alertCallKey, String alertFindingId, Instant alertedAt,
                        Instant remindedAt, int reminders, Instant resolvedAt) {

    public static final LockWatch NONE = new LockWatch(null, null, null, null, null, null, 0, null);

    public boolean alertOpen() {
        return alertFindingId != null && resolvedAt == null;
    }
}
