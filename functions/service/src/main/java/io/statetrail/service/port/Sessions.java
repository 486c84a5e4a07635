package io.statetrail.service.port;

import io.statetrail.core.event.TrailEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sessions the calls opened (their issuing events), how they link, and the run each resolved to. */
public interface Sessions {

    /** Sessions by access key (the issuing {@code RoleAssumed} events), for lineage. Missing keys are absent. */
    Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys);

    /** Access keys of sessions whose parent (caller key) is one of these. */
    Set<String> childSessions(Collection<String> parentKeys);

    /**
     * Access keys of sessions opened by calls signed only with this assumed-role id ({@code AROA…:sessionName}, the role
     * account's copy of a cross-account hop) in [from, to]: the children {@link #childSessions} finds by principal id.
     */
    Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to);

    /**
     * Issuing events of sessions with this assumed-role id ({@code AROA…:sessionName}) issued in [from, to]: the
     * candidates for a parent named only by {@code principalId} (the role account's copy of a cross-account hop).
     */
    List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to);

    /** Stores the resolved run of each session; writes only what changed. */
    void putSessionRuns(Collection<SessionRun> runs);

    /** Access keys of every stored session of a run: its root and every session chained from it. */
    Set<String> sessionKeysOfRun(String runKey);
}
