package io.statetrail.core.detect;

import io.statetrail.core.event.StoreChange;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import java.util.List;

/**
 * A bucket that holds state made less safe (issue 19): versioning suspended, so a bad write can no longer be rolled
 * back; a lifecycle rule that expires or deletes versions under state keys; its bucket policy deleted, opened to
 * principals outside the account or organisation, or stripped of a Deny it had; the public access block removed;
 * default encryption removed or moved away from KMS; replication to a bucket of another account; the bucket or a state
 * object made public by an ACL. One finding per call, critical, whoever made it (high when an admin of the store did).
 * The bucket holds state when a {@code states} entry or {@code stores.buckets} names it, or a state call on it was seen.
 */
public final class StateBucketWeakened implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STATE_BUCKET_WEAKENED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        return StoreFindings.of(e, type(), StoreChange.Store.BUCKET, e.stores()::holdsState);
    }
}
