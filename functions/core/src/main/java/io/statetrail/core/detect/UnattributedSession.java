package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Origin;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.lineage.Chain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A session touched state but the event that issued it was never seen, so nothing says who is behind it: a trail
 * gap, an unwatched account or region, or credentials minted some other way. Judged at the end of a replay, and in
 * the live service only after a grace period and a CloudTrail lookup.
 */
public final class UnattributedSession implements Detection {

    @Override
    public FindingType type() {
        return FindingType.UNATTRIBUTED_SESSION;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        Map<String, List<StateAccess>> bySession = new LinkedHashMap<>();
        Map<String, Chain> chains = new LinkedHashMap<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            Chain chain = e.chainOf(s);
            if (chain.origin().kind() != Origin.Kind.UNKNOWN || !s.meta().actor().namesRoleSession() || !s.operation().namesState()) {
                continue;
            }
            String key = chain.origin().missingKey() != null ? chain.origin().missingKey() : chain.runKey();
            bySession.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            chains.putIfAbsent(key, chain);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<StateAccess>> entry : bySession.entrySet()) {
            List<StateAccess> touches = entry.getValue();
            StateAccess first = touches.get(0);
            Chain chain = chains.get(entry.getKey());
            TreeSet<String> states = new TreeSet<>();
            touches.forEach(t -> states.add(t.stateKey()));
            FindingDraft d = e.draft(type(), first).chain(chain).stateKey(first.stateKey()).accessKeyId(entry.getKey()).count(touches.size());
            touches.forEach(d::also);
            String provider = first.meta().actor().federatedProvider();
            out.add(d.detail("states", String.join(",", states))
                    .detail("actingKey", first.meta().actor().accessKeyId())
                    .detail("federatedProvider", provider)
                    .detail("sessionArn", first.meta().actor().arn())
                    .summary("Session " + entry.getKey() + (provider != null ? " (web identity via " + provider + ")" : "")
                            + " touched " + String.join(", ", states) + " but the event that issued it was never seen")
                    .identity(entry.getKey())
                    .build());
        }
        return out;
    }
}
