package io.statetrail.service.memory;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.trail.Trail;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import io.statetrail.service.port.SessionRun;
import io.statetrail.service.port.Sessions;

/** {@link Sessions} in memory: the sessions among the stored calls, and the runs they resolved to. */
public final class InMemorySessions implements Sessions {

    private final InMemoryCalls calls;
    private final Map<String, SessionRun> runs = new TreeMap<>();

    public InMemorySessions(InMemoryCalls calls) {
        this.calls = calls;
    }

    @Override
    public synchronized Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys) {
        Map<String, List<TrailEvent>> out = new LinkedHashMap<>();
        for (String key : new LinkedHashSet<>(accessKeys)) {
            List<TrailEvent> events = new ArrayList<>();
            calls.sessionsByKey(key).forEach(c -> events.addAll(c.flat()));
            if (!events.isEmpty()) {
                out.put(key, events);
            }
        }
        return out;
    }

    @Override
    public synchronized Set<String> childSessions(Collection<String> parentKeys) {
        Set<String> out = new TreeSet<>();
        for (String parent : new LinkedHashSet<>(parentKeys)) {
            for (InMemoryCalls.StoredCall c : calls.all()) {
                if (("key:" + parent).equals(InMemoryCalls.by(c)) && c.events().get(0) instanceof RoleAssumed r && r.issuedKey() != null) {
                    out.add(r.issuedKey());
                }
            }
            for (InMemoryCalls.StoredCall p : calls.sessionsByKey(parent)) {
                RoleAssumed r = (RoleAssumed) p.events().get(0);
                if (r.assumedRoleId() == null) {
                    continue;
                }
                Instant from = r.meta().time();
                Instant to = r.expiration() != null ? r.expiration() : from.plus(Duration.ofHours(12));
                for (String child : sessionsOpenedByRoleId(r.assumedRoleId(), from, to)) {
                    if (!child.equals(parent)) {
                        out.add(child);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public synchronized Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to) {
        Set<String> out = new TreeSet<>();
        for (InMemoryCalls.StoredCall c : calls.all()) {
            Instant t = c.meta().time();
            if (("principal:" + assumedRoleId).equals(InMemoryCalls.by(c)) && !t.isBefore(from) && !t.isAfter(to)
                    && c.events().get(0) instanceof RoleAssumed r && r.issuedKey() != null) {
                out.add(r.issuedKey());
            }
        }
        return out;
    }

    @Override
    public synchronized List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to) {
        List<TrailEvent> out = new ArrayList<>();
        for (InMemoryCalls.StoredCall c : InMemoryCalls.chronological(calls.all())) {
            Instant t = c.meta().time();
            if (c.events().get(0) instanceof RoleAssumed r && assumedRoleId.equals(r.assumedRoleId()) && !t.isBefore(from) && !t.isAfter(to)) {
                out.addAll(c.flat());
            }
        }
        return out;
    }

    @Override
    public synchronized void putSessionRuns(Collection<SessionRun> list) {
        list.forEach(r -> runs.put(r.sessionKey(), r));
    }

    public synchronized Optional<SessionRun> sessionRun(String key) {
        return Optional.ofNullable(runs.get(key));
    }

    @Override
    public synchronized Set<String> sessionKeysOfRun(String runKey) {
        Set<String> out = new TreeSet<>();
        if (!calls.sessionsByKey(runKey).isEmpty()) {
            out.add(runKey);
        }
        runs.forEach((key, run) -> {
            if (runKey.equals(run.runKey())) {
                out.add(key);
            }
        });
        return out;
    }

    synchronized void snapshot(java.util.Map<String, String> into) {
        runs.forEach((key, run) -> into.put("run|" + key, run.toString()));
    }
}
