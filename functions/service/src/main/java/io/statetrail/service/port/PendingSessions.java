package io.statetrail.service.port;

import java.time.Instant;
import java.util.List;

/** Sessions that touched state while their issuing event is missing, waiting for the sweeper's grace and look-up. */
public interface PendingSessions {

    /** Records that a session touched state without a known issuing event; keeps the earliest {@code firstSeen}. */
    void markUnattributed(String accessKey, Instant firstSeen);

    /** The issuing event arrived: forget the pending session. */
    void clearUnattributed(String accessKey);

    /** Pending sessions first seen before the cutoff and not looked up yet, oldest first. */
    List<Unattributed> unattributedBefore(Instant cutoff, int limit);

    /** The sweeper looked the session up in vain and raised its finding: off the pending list (it stays recorded). */
    void markLookedUp(String accessKey, Instant at);
}
