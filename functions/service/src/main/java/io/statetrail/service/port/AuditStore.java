package io.statetrail.service.port;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.query.LockDetails;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit trail: every relevant call once, the sessions they opened, locks, and (through {@link FindingStore})
 * findings and their deliveries.
 * Implemented on DynamoDB (one table); every method is idempotent. Session tokens never reach it: the core model
 * has no field for them.
 */
public interface AuditStore extends FindingStore {

    /**
     * Stores the events of one CloudTrail record, once per call (key {@link io.statetrail.core.event.EventMeta#callKey()}).
     * A second delivery changes nothing; the other account's copy of a cross-account call only adds its eventID
     * (and replaces the stored copy when {@code Trail.prefer} says it is richer, so the result is order-free).
     */
    Trail.Added putCall(List<TrailEvent> events);

    /** Sessions by access key (the issuing {@code RoleAssumed} events), for lineage. Missing keys are absent. */
    Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys);

    /** Access keys of sessions whose parent (caller key) is one of these. */
    Set<String> childSessions(Collection<String> parentKeys);

    /**
     * Access keys of sessions opened by calls signed only with this assumed-role id ({@code AROA…:sessionName}, the role
     * account's copy of a cross-account hop) in [from, to]: the children {@link #childSessions} finds by principal id.
     */
    Set<String> sessionsOpenedByRoleId(String assumedRoleId, Instant from, Instant to);

    /** State keys touched (any operation, incl. locks) by calls signed with these access keys. */
    Set<String> stateKeysTouchedBy(Collection<String> accessKeys);

    /** All calls on a state key and its locks with eventTime in [from, to), as stored (each call's events). */
    List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to);

    /** Failed web-identity logins of one subject and role on one UTC day (the web-identity-denied group). */
    List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart);

    /** Lock body read from the lock table or {@code .tflock} object (ID, Operation, Who, Version, Created). */
    void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details);

    // ---- Live ingest and sweeper (issue 3: the ingestor's re-evaluation and the sweeper's bookkeeping). ----

    /** Every stored call signed by these access keys (each stored copy's events), for re-evaluating a late link. */
    List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys);

    /**
     * Issuing events of sessions with this assumed-role id ({@code AROA…:sessionName}) issued in [from, to]: the
     * candidates for a parent named only by {@code principalId} (the role account's copy of a cross-account hop).
     */
    List<TrailEvent> sessionsByRoleId(String assumedRoleId, Instant from, Instant to);

    /** Trust-policy changes of a role with eventTime in [from, to), each stored copy's events. */
    List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to);

    /** The latest lock or unlock call before {@code before} on this state key, one per lock store (bounded look-back). */
    List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before);

    /** The earliest lock or unlock call at or after {@code from} on this state key and store; empty when none. */
    List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from);

    /** Stores the resolved run of each session; writes only what changed. */
    void putSessionRuns(Collection<SessionRun> runs);

    /** Stores the current state of a lock unless the stored one is newer; keeps what the sweeper recorded. */
    void putLockState(LockState state);

    /** Locks held as far as CloudTrail tells (and not found gone), and locks with an unresolved alert. */
    List<WatchedLock> locksToWatch();

    /** Records the sweeper's view of a lock; a lock found gone leaves the open-locks index. */
    void putLockWatch(String stateKey, String lockStore, LockWatch watch);

    /** Records that a session touched state without a known issuing event; keeps the earliest {@code firstSeen}. */
    void markUnattributed(String accessKey, Instant firstSeen);

    /** The issuing event arrived: forget the pending session. */
    void clearUnattributed(String accessKey);

    /** Pending sessions first seen before the cutoff and not looked up yet, oldest first. */
    List<Unattributed> unattributedBefore(Instant cutoff, int limit);

    /** The sweeper looked the session up in vain and raised its finding: off the pending list (it stays recorded). */
    void markLookedUp(String accessKey, Instant at);

    /**
     * Completes the store's indexes for items an older version wrote without them, for at most {@code budget}, resuming
     * where the last call stopped; returns how many items it completed (0 once nothing is left).
     */
    default int completeIndexes(java.time.Duration budget) {
        return 0;
    }

    // ---- Issue 13: bulk deletes, verified by the sweeper; the sessions of a run, for its credentials' expiry. ----

    /** Records a successful {@code DeleteObjects} (state key {@code <bucket>/*}) for the sweeper to judge; idempotent. */
    void markBulkDelete(String stateKey, String callKey, Instant time);

    /** Bulk deletes not judged yet with eventTime before the cutoff, oldest first. */
    List<BulkDelete> bulkDeletesBefore(Instant cutoff, int limit);

    /** The sweeper judged this bulk delete (raised its finding, or found that its bucket holds no state). */
    void markBulkDeleteJudged(String callKey, Instant at);

    /** Every lock tracked in this bucket (a state key and its lock store each): the state objects known there. */
    List<LockState> locksInBucket(String bucket);

    /** Access keys of every stored session of a run: its root and every session chained from it. */
    Set<String> sessionKeysOfRun(String runKey);
}
