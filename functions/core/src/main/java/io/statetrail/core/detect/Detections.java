package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.trail.Trail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Every detection, run over one evaluation; findings come out sorted by time, type and id. */
public final class Detections {

    public static final List<Detection> ALL = List.of(
            new UnexpectedSubject(),
            new WebIdentityDenied(),
            new StateWriteUnexpectedSubject(),
            new StateReadUnexpectedSubject(),
            new NonFederatedStateWrite(),
            new UnlockedStateWrite(),
            new StaleLock(),
            new ForceUnlock(),
            new StateDeleted(),
            new TrustPolicyWeakened(),
            new UnattributedSession(),
            new LockTableChanged(),
            new StateBucketWeakened(),
            new StateVersionDeleted(),
            new StateKeyDisabled(),
            new RunClaimsMismatch(),
            new SessionUsedElsewhere());

    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::time)
            .thenComparing(Finding::type)
            .thenComparing(Finding::id);

    private Detections() {
    }

    public static List<Finding> run(Trail trail, Policy policy, Instant now) {
        return run(Evaluation.of(trail, policy, now), Set.of(FindingType.values()));
    }

    public static List<Finding> run(Evaluation evaluation, Set<FindingType> types) {
        List<Finding> out = new ArrayList<>();
        for (Detection d : ALL) {
            if (types.contains(d.type())) {
                out.addAll(d.detect(evaluation));
            }
        }
        out.sort(ORDER);
        return out;
    }
}
