package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.StateAccess;
import java.util.ArrayList;
import java.util.List;

/**
 * A state object deleted: Terraform forgets everything it manages there. Rare enough to always be worth a look.
 *
 * <p>A {@code DeleteObjects} call (the console, {@code aws s3 rm --recursive}) is logged without the keys it deleted: on
 * a bucket that holds state (a {@code states} entry names it, or state objects were seen in it) it is reported once per
 * run and bucket, with state key {@code <bucket>/*}, the states known in the bucket, and {@code verified} false: a
 * replay cannot look at S3. In AWS the sweeper raises it instead, after checking with {@code HeadObject} which known
 * state and lock objects are gone ({@code verified} true when every check answered).
 */
public final class StateDeleted implements Detection {

    /** Detail that marks the bulk-delete form (the live service verifies it before raising it). */
    public static final String BULK = "bulkDelete";
    static final String NOT_LOGGED = "CloudTrail does not log the keys a DeleteObjects call deleted (S3 server access logs name them)";

    @Override
    public FindingType type() {
        return FindingType.STATE_DELETED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            if (s.operation() != StateAccess.Operation.DELETE) {
                continue;
            }
            Chain chain = e.chainOf(s);
            out.add(e.draft(type(), s)
                    .chain(chain)
                    .stateKey(s.stateKey())
                    .summary(RunGroups.who(chain) + " deleted state " + s.stateKey() + RunGroups.via(chain))
                    .identity(s.meta().callKey(), s.stateKey())
                    .build());
        }
        for (RunGroups.Group g : RunGroups.of(e, (s, chain) -> s.operation() == StateAccess.Operation.BULK_DELETE && e.holdsState(s.bucket()))) {
            String bucket = g.first().bucket();
            List<String> states = e.statesIn(bucket);
            out.add(RunGroups.draft(e, e.draft(type(), g.first()), g)
                    .detail(BULK, "true")
                    .detail("bucket", bucket)
                    .detail("keysLogged", "false")
                    .detail("note", NOT_LOGGED)
                    .detail("knownStates", states.isEmpty() ? null : String.join(",", states))
                    .detail("verified", "false")
                    .detail("verification", "not checked: a replay cannot look at S3")
                    .summary(RunGroups.who(g.chain()) + " deleted objects in bucket " + bucket + ", which holds Terraform state, with "
                            + g.operations().size() + " DeleteObjects call" + (g.operations().size() == 1 ? "" : "s") + RunGroups.via(g.chain())
                            + "; the keys are not logged" + (states.isEmpty() ? "" : " (states known there: " + String.join(", ", states) + ")"))
                    .identity(g.chain().runKey(), g.stateKey())
                    .build());
        }
        return out;
    }

    /** A bulk delete's finding (state key {@code <bucket>/*}), as opposed to one naming a deleted state. */
    public static boolean isBulk(Finding f) {
        return FindingType.STATE_DELETED.id().equals(f.type()) && "true".equals(f.details().get(BULK));
    }
}
