package io.statetrail.service.ingest;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.event.Actor;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Lineage;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.port.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The units a run owns itself, {@code run:<runKey>}: {@code run-claims-mismatch} (what all its sessions claim against its
 * subject) and {@code session-used-elsewhere} (where all its calls came from against where it logged in). Each is a pure
 * function of the run's stored sessions and the calls they signed, judged again whenever one of them arrives: a new
 * session (its run is known once its chain reaches the login) or a new call signed by a session of the run. A call
 * that arrives before its session's issuing event is judged with the run when that event arrives (it is a new session
 * then). So, as for every unit, the final findings are a replay's whatever the arrival order.
 */
final class RunUnits {

    static final Set<FindingType> TYPES = EnumSet.of(FindingType.RUN_CLAIMS_MISMATCH, FindingType.SESSION_USED_ELSEWHERE);

    /** {@link io.statetrail.service.finding.UnitFindings#replace}, as the batch's judge does it. */
    interface Replace {
        List<Finding> replace(String scope, Set<String> types, Instant from, Instant to, List<Finding> produced, Function<Finding, String> why);
    }

    private final AuditStore store;
    private final Policy policy;

    RunUnits(AuditStore store, Policy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** The run of each of these sessions whose chain reaches an OIDC login (only such runs have these units). */
    static Map<String, String> runsOf(Collection<String> sessionKeys, Neighbourhood hood) {
        hood.load(sessionKeys);
        Trail trail = new Trail();
        hood.addTo(trail);
        Lineage lineage = Evaluation.of(trail, Policy.empty(), Instant.EPOCH).lineage();
        Map<String, String> out = new TreeMap<>();
        for (String key : sessionKeys) {
            Chain chain = lineage.chainOfKey(key, Actor.UNKNOWN);
            if (chain.origin().isWebIdentity()) {
                out.put(key, chain.runKey());
            }
        }
        return out;
    }

    /** Judges one run's units on every stored session of the run and every call they signed. */
    List<Finding> judge(String runKey, Neighbourhood hood, Instant now, Replace replace) {
        Set<String> sessions = new TreeSet<>(store.sessionKeysOfRun(runKey));
        sessions.add(runKey);
        hood.load(sessions);
        List<Finding> found = new ArrayList<>();
        Evaluation e = Evaluation.of(hood.trail(store.callsSignedBy(sessions)), policy, now);
        for (Finding f : Detections.run(e, TYPES)) {
            if (runKey.equals(f.runKey())) {
                found.add(f);
            }
        }
        Set<String> typeIds = TYPES.stream().map(FindingType::id).collect(Collectors.toCollection(TreeSet::new));
        return replace.replace("run:" + runKey, typeIds, null, null, found, gone -> FindingType.RUN_CLAIMS_MISMATCH.id().equals(gone.type())
                ? "the run's claims no longer contradict its subject" : "the calls are no longer judged to come from elsewhere (the policy's"
                + " networks, or the run's login, explain them)");
    }
}
