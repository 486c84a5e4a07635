package io.statetrail.service.port;

import java.time.Duration;

/** The store's own upkeep, run by the sweeper: indexes an older version did not write. */
public interface IndexUpkeep {

    /**
     * Completes the store's indexes for items an older version wrote without them, for at most {@code budget}, resuming
     * where the last call stopped; returns how many items it completed (0 once nothing is left).
     */
    default int completeIndexes(Duration budget) {
        return 0;
    }
}
