package io.statetrail.core.detect;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Claim;
import io.statetrail.core.lineage.Claims;
import io.statetrail.core.lineage.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of an evaluation opened by an OIDC login, each with every session chained from it and every call its
 * sessions signed: what {@code run-claims-mismatch} and {@code session-used-elsewhere} judge a run on. Listed by login
 * time; the lists follow the trail's fixed order.
 *
 * <p>A session linked to its parent only by a guess (the role account's copy of a hop, one candidate caller alive) is
 * left out, with its calls: a later session with the same assumed-role id undoes the guess, and a run's findings must
 * not rest on a session that may belong to another run (two jobs of one workflow share the session name
 * {@code GitHubActions}).
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
            if (!traced(chain)) {
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
                Chain chain = e.chainOf(t);
                Run run = runs.get(chain.runKey());
                if (run != null && traced(chain)) {
                    run.calls().add(t);
                }
            }
        }
        return new ArrayList<>(runs.values());
    }

    /** Traced to an OIDC login through links the records name (no guessed one). */
    private static boolean traced(Chain chain) {
        return chain.origin().isWebIdentity() && chain.sessions().stream().noneMatch(Session::linkedByGuess);
    }
}
