package io.statetrail.core.detect;

import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.StateAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/** Groups state operations by run and state key: one finding per run and state, however many calls it made. */
final class RunGroups {
    private RunGroups() {
    }

    record Group(Chain chain, String stateKey, List<StateAccess> operations) {
        StateAccess first() {
            return operations.get(0);
        }
    }

    static List<Group> of(Evaluation e, BiPredicate<StateAccess, Chain> include) {
        Map<List<String>, Group> groups = new LinkedHashMap<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            Chain chain = e.chainOf(s);
            if (include.test(s, chain)) {
                groups.computeIfAbsent(List.of(chain.runKey(), s.stateKey()), k -> new Group(chain, s.stateKey(), new ArrayList<>()))
                        .operations().add(s);
            }
        }
        return new ArrayList<>(groups.values());
    }

    static FindingDraft draft(Evaluation e, FindingDraft d, Group g) {
        d.chain(g.chain()).stateKey(g.stateKey()).count(g.operations().size());
        g.operations().forEach(d::also);
        return d;
    }

    static String who(Chain chain) {
        if (chain.origin().webIdentity() != null) {
            return chain.origin().webIdentity().subject().raw();
        }
        if (chain.origin().principalArn() != null) {
            return chain.origin().principalArn();
        }
        return "session " + chain.runKey();
    }

    static String via(Chain chain) {
        List<String> roles = chain.roleChain();
        return roles.isEmpty() ? "" : " via " + String.join(" -> ", roles);
    }
}
