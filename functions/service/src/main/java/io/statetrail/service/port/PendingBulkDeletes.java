package io.statetrail.service.port;

import java.time.Instant;
import java.util.List;

/** {@code DeleteObjects} calls (whose keys CloudTrail does not log) waiting for the sweeper to judge them. */
public interface PendingBulkDeletes {

    /** Records a successful {@code DeleteObjects} (state key {@code <bucket>/*}) for the sweeper to judge; idempotent. */
    void markBulkDelete(String stateKey, String callKey, Instant time);

    /** Bulk deletes not judged yet with eventTime before the cutoff, oldest first. */
    List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit);

    /** The sweeper judged this bulk delete (raised its finding, or found that its bucket holds no state). */
    void markBulkDeleteJudged(String callKey, Instant at);
}
