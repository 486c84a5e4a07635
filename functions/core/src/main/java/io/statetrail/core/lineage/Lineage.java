package io.statetrail.core.lineage;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.WebIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every session seen, linked to its parent, so that any call can be followed back to the subject or principal
 * that started its run, across any number of role hops and accounts.
 *
 * <p>Links: the caller's {@code userIdentity.accessKeyId} of an AssumeRole made by an {@code AssumedRole} session is
 * the parent of the key in its {@code responseElements.credentials}; any other caller (an IAM user or root, with a
 * long-lived key or temporary credentials of their own) is the origin of the chain. The role account's copy of a cross-account AssumeRole names the caller only
 * by {@code principalId} ("AROA…:session"); when that copy is all we have, the parent is the one session with that
 * assumed-role id that was alive at the time, if there is exactly one.
 */
public final class Lineage {

    /** Deep enough for any real chain; stops loops in hostile input. */
    static final int MAX_HOPS = 32;

    private final Map<String, Session> sessions = new HashMap<>();

    /**
     * @param assumptions successful role assumptions, one per call (copies already merged)
     * @param eventIdsOf  eventIDs of every copy of each call
     */
    public static Lineage of(List<RoleAssumed> assumptions, java.util.function.Function<RoleAssumed, List<String>> eventIdsOf) {
        Lineage lineage = new Lineage();
        List<RoleAssumed> sorted = new ArrayList<>(assumptions);
        sorted.sort(Comparator.comparing((RoleAssumed r) -> r.meta().time()).thenComparing(r -> r.meta().eventId()));
        for (RoleAssumed r : sorted) {
            lineage.add(r, eventIdsOf.apply(r));
        }
        lineage.linkByPrincipalId();
        return lineage;
    }

    private void add(RoleAssumed r, List<String> eventIds) {
        Actor caller = r.meta().actor();
        // Only a role session's key names a parent session; an IAM user's MFA session (aws-vault) is its own principal.
        String parentKey = caller.namesRoleSession() ? caller.accessKeyId() : null;
        String parentPrincipal = null;
        if (parentKey == null && r.webIdentity() == null) {
            parentPrincipal = caller.arn() != null ? caller.arn() : caller.invokedBy();
        }
        Session s = new Session(r.issuedKey(), r.method(), r.roleArn(), r.roleAccount() != null ? r.roleAccount() : r.meta().account(),
                r.sessionName(), r.assumedRoleArn(), r.assumedRoleId(), r.meta().time(), r.expiration(), parentKey,
                parentPrincipal, caller.type(), caller.principalId(), r.webIdentity(), eventIds, Claims.of(r));
        Session existing = sessions.get(s.key());
        // Two different calls issuing one key should not happen; keep the earliest, deterministically.
        if (existing == null) {
            sessions.put(s.key(), s);
        }
    }

    private void linkByPrincipalId() {
        Map<String, List<Session>> byAssumedRoleId = new HashMap<>();
        for (Session s : sessions.values()) {
            if (s.assumedRoleId() != null) {
                byAssumedRoleId.computeIfAbsent(s.assumedRoleId(), k -> new ArrayList<>()).add(s);
            }
        }
        for (Session s : List.copyOf(sessions.values())) {
            if (s.parentKey() != null || s.webIdentity() != null || !"AWSAccount".equals(s.parentType()) || s.callerPrincipalId() == null) {
                continue;
            }
            List<Session> candidates = byAssumedRoleId.getOrDefault(s.callerPrincipalId(), List.of()).stream()
                    .filter(c -> !c.key().equals(s.key()))
                    .filter(c -> !c.issuedAt().isAfter(s.issuedAt()) && (c.expiration() == null || !c.expiration().isBefore(s.issuedAt())))
                    .toList();
            if (candidates.size() == 1) {
                // Keeps the caller type AWSAccount: the link is inferred (Session.linkedByGuess), not named by a key.
                sessions.put(s.key(), new Session(s.key(), s.method(), s.roleArn(), s.account(), s.sessionName(), s.assumedRoleArn(),
                        s.assumedRoleId(), s.issuedAt(), s.expiration(), candidates.get(0).key(), null, s.parentType(),
                        s.callerPrincipalId(), null, s.eventIds(), s.claims()));
            }
        }
    }

    public Session session(String key) {
        return sessions.get(key);
    }

    /**
     * The latest expiry among the sessions of a run issued at or before {@code at}: its root session and every session
     * chained from it, including those issued after the one that made some call (a long apply re-assumes its backend
     * role, as a chained role session lasts at most one hour). Null when the run has no known session.
     */
    public Instant latestExpiryOfRun(String runKey, Instant at) {
        Instant latest = null;
        for (Session s : sessionsOfRun().getOrDefault(runKey, List.of())) {
            if (s.expiration() != null && !s.issuedAt().isAfter(at) && (latest == null || s.expiration().isAfter(latest))) {
                latest = s.expiration();
            }
        }
        return latest;
    }

    private Map<String, List<Session>> byRun;

    private Map<String, List<Session>> sessionsOfRun() {
        if (byRun == null) {
            Map<String, List<Session>> out = new HashMap<>();
            for (Session s : sessions.values()) {
                out.computeIfAbsent(chainOfKey(s.key(), Actor.UNKNOWN).runKey(), k -> new ArrayList<>()).add(s);
            }
            byRun = out;
        }
        return byRun;
    }

    public java.util.Collection<Session> sessions() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    /** Follows the session that made a call (or the principal, for long-lived keys) back to the start of its run. */
    public Chain chainOf(Actor actor) {
        if (actor.namesRoleSession()) {
            return chainOfKey(actor.accessKeyId(), actor);
        }
        // The principal is in userIdentity itself, whether it signed with a long-lived key or with temporary credentials
        // of its own (console sign-in, GetSessionToken, GetFederationToken, AssumeRoot); each such key is one run.
        String ownKey = actor.accessKeyId() != null ? actor.accessKeyId() : actor.arn();
        Origin origin;
        if (actor.isRoot()) {
            // Checked before long-lived keys: the root user's access keys are AKIA… too.
            origin = new Origin(Origin.Kind.ROOT, ownKey, null, actor.arn(), null);
        } else if (actor.isFederatedUser()) {
            origin = new Origin(Origin.Kind.FEDERATED_USER, ownKey, null, actor.arn(), null);
        } else if (actor.isIamUser() || actor.isLongLivedKey()) {
            origin = new Origin(Origin.Kind.IAM_USER, ownKey, null, actor.arn(), null);
        } else if ("AWSService".equals(actor.type()) || actor.invokedBy() != null) {
            String who = actor.invokedBy() != null ? actor.invokedBy() : actor.principalId();
            origin = new Origin(Origin.Kind.AWS_SERVICE, "service:" + who, null, who, null);
        } else {
            String who = actor.arn() != null ? actor.arn() : actor.principalId();
            origin = new Origin(Origin.Kind.UNKNOWN, "principal:" + who, null, null, null);
        }
        return new Chain(origin, List.of(), actor);
    }

    public Chain chainOfKey(String key, Actor actor) {
        List<Session> chain = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        String current = key;
        Origin origin = null;
        while (origin == null) {
            Session s = sessions.get(current);
            if (s == null || !visited.add(current) || chain.size() >= MAX_HOPS) {
                String top = chain.isEmpty() ? key : chain.get(chain.size() - 1).key();
                String missing = s == null ? current : null;
                origin = new Origin(Origin.Kind.UNKNOWN, missing != null ? missing : top, null, null, missing);
                break;
            }
            chain.add(s);
            WebIdentity web = s.webIdentity();
            if (web != null) {
                origin = new Origin(Origin.Kind.WEB_IDENTITY, s.key(), web, null, null);
            } else if ("AssumeRoleWithSAML".equals(s.method())) {
                origin = new Origin(Origin.Kind.SAML, s.key(), null, s.assumedRoleArn(), null);
            } else if (s.parentKey() != null) {
                current = s.parentKey();
            } else if ("IAMUser".equals(s.parentType())) {
                origin = new Origin(Origin.Kind.IAM_USER, s.key(), null, s.parentPrincipal(), null);
            } else if ("Root".equals(s.parentType())) {
                origin = new Origin(Origin.Kind.ROOT, s.key(), null, s.parentPrincipal(), null);
            } else if ("FederatedUser".equals(s.parentType())) {
                origin = new Origin(Origin.Kind.FEDERATED_USER, s.key(), null, s.parentPrincipal(), null);
            } else if ("AWSService".equals(s.parentType())) {
                origin = new Origin(Origin.Kind.SERVICE_ROLE, s.key(), null, s.parentPrincipal(), null);
            } else {
                // e.g. only the role account's copy of a cross-account hop: we know a session assumed it, not which.
                origin = new Origin(Origin.Kind.UNKNOWN, s.key(), null, null, null);
            }
        }
        Collections.reverse(chain);
        return new Chain(origin, chain, actor);
    }
}
