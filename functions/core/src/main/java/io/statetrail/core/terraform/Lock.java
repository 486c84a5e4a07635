package io.statetrail.core.terraform;

import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.StateAccess;
import java.time.Instant;

/**
 * One Terraform lock from acquisition to release (or still held).
 *
 * @param acquired     the PutObject {@code .tflock} / PutItem {@code LockID}; null when only the release was seen
 * @param released     the DeleteObject / DeleteItem, or null
 * @param supersededAt when the release was never seen but the lock was taken again: the time of that acquisition
 */
public record Lock(String stateKey, String store, StateAccess acquired, Chain holder, StateAccess released, Chain releaser,
                   Instant supersededAt) {

    public Lock(String stateKey, String store, StateAccess acquired, Chain holder, StateAccess released, Chain releaser) {
        this(stateKey, store, acquired, holder, released, releaser, null);
    }

    Lock supersededAt(Instant at) {
        return new Lock(stateKey, store, acquired, holder, released, releaser, at);
    }

    public boolean isHeldAt(Instant t) {
        if (acquired == null || acquired.meta().time().isAfter(t)) {
            return false;
        }
        if (released != null) {
            return !released.meta().time().isBefore(t);
        }
        return supersededAt == null || t.isBefore(supersededAt);
    }

    /** Held now, as far as CloudTrail tells. */
    public boolean isOpen() {
        return acquired != null && released == null && supersededAt == null;
    }

    /** Released by a different run than the one that took it: {@code terraform force-unlock} or a manual delete. */
    public boolean releasedByOtherRun() {
        return acquired != null && released != null && !holder.runKey().equals(releaser.runKey());
    }
}
