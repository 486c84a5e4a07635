package io.statetrail.core.detect;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Claim;
import io.statetrail.core.lineage.Claims;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of an evaluation opened by an OIDC login, each with every session chained from it and every call its
 * sessions signed: what {@code run-claims-mismatch} and {@code session-used-elsewhere} judge a run on. Listed by login
 * time; the lists follow the trail's fixed order.
 */
final class Runs {

    /**
     * @param login    the chain of the root session (the OIDC login)
     * @param sessions the role assumptions that opened the run's sessions, the login first
     * @param calls    every call signed by one of its sessions (its hops, state and lock calls, failed ones too)
     */
    record Run(Chain login, List<RoleAssumed> sessions, List<TrailEvent> calls) {

        String runKey() {
            return login.runKey();
        }

        Claims claims() {
            List<List<Claim>> all = new ArrayList<>();
            for (RoleAssumed r : sessions) {
                all.add(Claims.of(r));
            }
            return Claims.union(all);
        }
    }

    private Runs() {
    }

    static List<Run> of(Evaluation e) {
        Map<String, Run> runs = new LinkedHashMap<>();
        for (RoleAssumed r : e.assumptions()) {
            Chain chain = e.lineage().chainOfKey(r.issuedKey(), Actor.UNKNOWN);
            if (!chain.origin().isWebIdentity()) {
                continue;
            }
            Run run = runs.get(chain.runKey());
            if (run == null) {
                Chain login = e.lineage().chainOfKey(chain.runKey(), Actor.UNKNOWN);
                run = new Run(login, new ArrayList<>(), new ArrayList<>());
                runs.put(chain.runKey(), run);
            }
            run.sessions().add(r);
        }
        for (TrailEvent t : e.events()) {
            if (t.meta().actor() != null && t.meta().actor().namesRoleSession()) {
                Run run = runs.get(e.chainOf(t).runKey());
                if (run != null && e.chainOf(t).origin().isWebIdentity()) {
                    run.calls().add(t);
                }
            }
        }
        return new ArrayList<>(runs.values());
    }
}
