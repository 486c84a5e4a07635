package io.statetrail.core.detect;

import io.statetrail.core.event.StoreChange;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import java.util.List;

/**
 * The KMS key that encrypts state made unusable or less private (issue 19): disabled (no plan or apply can read the
 * state), scheduled for deletion (the state is lost once it is deleted), its key policy replaced by one that lets in
 * principals outside the account or organisation, drops a Deny it had or bypasses the lockout check, or a grant to an
 * outside principal. The key is one {@code stores.kmsKeys} names, one state writes were encrypted with
 * ({@code x-amz-server-side-encryption-aws-kms-key-id}), or a state bucket's default encryption key. Critical; high when
 * an admin of the store made it, but key deletion always critical.
 */
public final class StateKeyDisabled implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STATE_KEY_DISABLED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        return StoreFindings.of(e, type(), StoreChange.Store.KEY, e.stores()::encryptsState);
    }
}
