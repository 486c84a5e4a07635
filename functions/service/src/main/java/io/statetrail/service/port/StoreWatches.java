package io.statetrail.service.port;

import java.util.List;

/** The weakened stores the sweeper watches (issue 19) until they are restored. Every method is idempotent. */
public interface StoreWatches {

    /**
     * Watches the store a finding is about; a watch that exists keeps what the sweeper recorded (its check and
     * resolution), so raising the same finding again changes nothing.
     */
    void watchStore(StoreWatch watch);

    /** Stops watching: the trail shows the store restored, or the finding no longer holds. */
    void unwatchStore(String findingId);

    /** Watches not resolved, least recently checked first (never checked first). */
    List<StoreWatch> storesToWatch(int limit);

    /** Records what the sweeper saw ({@link StoreWatch#checked}); a resolved watch is no longer listed. */
    void storeChecked(StoreWatch checked);
}
