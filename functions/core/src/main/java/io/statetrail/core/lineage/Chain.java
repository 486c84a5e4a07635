package io.statetrail.core.lineage;

import io.statetrail.core.event.Actor;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions from the origin of a run to the one that acted, root first, with the actor as CloudTrail showed it.
 */
public record Chain(Origin origin, List<Session> sessions, Actor actor) {

    public Chain {
        sessions = List.copyOf(sessions);
    }

    /** Role ARNs root first; for an unknown session, the role CloudTrail named in the actor's session issuer. */
    public List<String> roleChain() {
        List<String> out = new ArrayList<>();
        for (Session s : sessions) {
            out.add(s.roleArn());
        }
        if (sessions.isEmpty() && actor != null && actor.sessionIssuerArn() != null) {
            out.add(actor.sessionIssuerArn());
        }
        return out;
    }

    /** Role of the session that acted. */
    public String roleArn() {
        List<String> roles = roleChain();
        return roles.isEmpty() ? null : roles.get(roles.size() - 1);
    }

    /** Every ARN that names a principal along the chain, for the policy's {@code arn:} entries. */
    public List<String> principalArns() {
        List<String> out = new ArrayList<>();
        if (origin.principalArn() != null) {
            out.add(origin.principalArn());
        }
        for (Session s : sessions) {
            out.add(s.roleArn());
            if (s.assumedRoleArn() != null) {
                out.add(s.assumedRoleArn());
            }
        }
        if (actor != null) {
            out.addAll(actor.arns());
        }
        return out;
    }

    public String runKey() {
        return origin.runKey();
    }

    /** eventIDs of the issuing calls along the chain, root first. */
    public List<String> eventIds() {
        List<String> out = new ArrayList<>();
        for (Session s : sessions) {
            out.addAll(s.eventIds());
        }
        return out;
    }

    /** What the sessions of this chain claim about their run (only claimed: see {@link Claims}). */
    public Claims claims() {
        List<List<Claim>> all = new ArrayList<>();
        for (Session s : sessions) {
            all.add(s.claims());
        }
        return Claims.union(all);
    }

    /** The claims as a finding's details, with the run's GitHub page when the root login came from GitHub. */
    public java.util.Map<String, String> claimDetails() {
        var web = origin.webIdentity();
        return claims().details(web == null ? null : web.provider(), web == null ? null : web.subject().repository());
    }
}
