package io.statetrail.service.ingest;

import io.statetrail.core.lineage.Chain;
import io.statetrail.core.lineage.Origin;
import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.port.Sessions;
import io.statetrail.service.port.SessionRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sessions an evaluation needs, read from the store: those that made the calls being judged and all their
 * ancestors, up to the origin of each run. With them, a core {@link Trail} built from a slice of the store links every
 * call to its subject exactly as a replay of the whole trail would.
 */
public final class Neighbourhood {

    /** Same bound as the core lineage: deeper chains are hostile input. */
    static final int MAX_HOPS = 32;
    /** Longest STS session: a parent named by principalId must have been issued within this before its child. */
    static final Duration MAX_SESSION = Duration.ofHours(12);

    private final Sessions store;
    /**
     * Access key → issuing events (every stored copy); an empty list when the issuing event is not stored. Replaced
     * whole by each load, never changed in place: steps judged side by side (issue 18) each see a session with all its
     * ancestors or not at all.
     */
    private volatile Map<String, List<TrailEvent>> sessions = Map.of();

    public Neighbourhood(Sessions store) {
        this.store = store;
    }

    /**
     * Loads these sessions and their ancestors (cached across calls). All or nothing: when a read fails, nothing of this
     * call is cached, so a session is never cached without its ancestors (a batch goes on judging after a failed step).
     */
    public void load(Collection<String> keys) {
        Map<String, List<TrailEvent>> loaded = new HashMap<>();
        Set<String> frontier = new TreeSet<>();
        for (String k : keys) {
            if (k != null && !sessions.containsKey(k)) {
                frontier.add(k);
            }
        }
        for (int depth = 0; depth <= MAX_HOPS && !frontier.isEmpty(); depth++) {
            Map<String, List<TrailEvent>> found = store.sessionEvents(frontier);
            Set<String> next = new TreeSet<>();
            for (String k : frontier) {
                List<TrailEvent> events = found.getOrDefault(k, List.of());
                loaded.put(k, events);
                for (TrailEvent e : events) {
                    if (e instanceof RoleAssumed r && r.webIdentity() == null) {
                        Actor caller = r.meta().actor();
                        if (caller.namesRoleSession()) {
                            next.add(caller.accessKeyId());
                        } else if ("AWSAccount".equals(caller.type()) && caller.principalId() != null) {
                            // Only the role account's copy: the parent is the one session with that assumed-role id alive
                            // at the time (core Lineage decides); load every candidate.
                            for (TrailEvent c : store.sessionsByRoleId(caller.principalId(), r.meta().time().minus(MAX_SESSION), r.meta().time())) {
                                if (c instanceof RoleAssumed candidate) {
                                    next.add(candidate.issuedKey());
                                }
                            }
                        }
                    }
                }
            }
            next.removeIf(k -> sessions.containsKey(k) || loaded.containsKey(k));
            frontier = next;
        }
        synchronized (this) {
            Map<String, List<TrailEvent>> next = new HashMap<>(loaded);
            next.putAll(sessions);
            sessions = next;
        }
    }

    /** The issuing events of a loaded session (every stored copy); empty when it is not stored or not loaded. */
    public List<TrailEvent> events(String key) {
        return sessions.getOrDefault(key, List.of());
    }

    /** Acting session keys of these calls. */
    public static Set<String> actingKeys(Collection<List<TrailEvent>> calls) {
        Set<String> out = new TreeSet<>();
        for (List<TrailEvent> call : calls) {
            for (TrailEvent e : call) {
                if (e.meta().actor() != null && e.meta().actor().namesRoleSession()) {
                    out.add(e.meta().actor().accessKeyId());
                }
            }
        }
        return out;
    }

    /** Adds every loaded session (each stored copy) to the trail. */
    public void addTo(Trail trail) {
        for (List<TrailEvent> events : sessions.values()) {
            addCopies(trail, events);
        }
    }

    /** Adds events to a trail one copy at a time (events of one copy share their meta). */
    public static void addCopies(Trail trail, List<TrailEvent> events) {
        Map<String, List<TrailEvent>> byCopy = new LinkedHashMap<>();
        for (TrailEvent e : events) {
            EventMeta m = e.meta();
            byCopy.computeIfAbsent(m.eventId() + "@" + m.recipientAccountId(), k -> new ArrayList<>()).add(e);
        }
        byCopy.values().forEach(trail::add);
    }

    /** A trail of these calls (each a stored copy's events) and the loaded sessions. */
    public Trail trail(Collection<List<TrailEvent>> calls) {
        Trail trail = new Trail();
        for (List<TrailEvent> call : calls) {
            trail.add(call);
        }
        addTo(trail);
        return trail;
    }

    /** The run of a session as a chain resolves it, for {@link Sessions#putSessionRuns}. */
    public static SessionRun run(String key, Chain chain) {
        Origin o = chain.origin();
        return new SessionRun(key, chain.runKey(), o.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                o.webIdentity() == null ? null : o.webIdentity().subject().raw(), o.webIdentity() == null ? null : o.webIdentity().provider(),
                o.principalArn());
    }
}
