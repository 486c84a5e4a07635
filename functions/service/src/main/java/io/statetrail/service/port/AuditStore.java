package io.statetrail.service.port;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.record.TrailEvent;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.query.LockDetails;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit trail: every relevant call once, the sessions they opened, locks, findings and their deliveries.
 * Implemented on DynamoDB (one table); every method is idempotent. Session tokens never reach it: the core model
 * has no field for them.
 */
public interface AuditStore {

    /**
     * Stores the events of one CloudTrail record, once per call (key {@link io.statetrail.core.record.EventMeta#callKey()}).
     * A second delivery changes nothing; the other account's copy of a cross-account call only adds its eventID
     * (and replaces the stored copy when {@code Trail.prefer} says it is richer, so the result is order-free).
     */
    Trail.Added putCall(List<TrailEvent> events);

    /** Sessions by access key (the issuing {@code RoleAssumed} events), for lineage. Missing keys are absent. */
    Map<String, List<TrailEvent>> sessionEvents(Collection<String> accessKeys);

    /** Access keys of sessions whose parent (caller key) is one of these. */
    Set<String> childSessions(Collection<String> parentKeys);

    /** State keys touched (any operation, incl. locks) by calls signed with these access keys. */
    Set<String> stateKeysTouchedBy(Collection<String> accessKeys);

    /** All calls on a state key and its locks with eventTime in [from, to), as stored (each call's events). */
    List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to);

    /** Failed web-identity logins of one subject and role on one UTC day (the web-identity-denied group). */
    List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart);

    /** Lock body read from the lock table or {@code .tflock} object (ID, Operation, Who, Version, Created). */
    void putLockDetails(String stateKey, String lockStore, Instant acquiredAt, LockDetails details);

    /**
     * Replaces the findings of one evaluation scope: creates new ones (conditional on id, so a finding is created
     * once), updates changed evidence, and deletes findings of that scope and these types that no longer hold
     * (e.g. an unlocked-state-write once the late lock acquisition arrived) unless already delivered.
     *
     * @param scope  what was evaluated, e.g. {@code state:<stateKey>}, {@code login:<key>}, {@code call:<callKey>}
     * @return findings that are new (to be alerted)
     */
    List<Finding> replaceFindings(String scope, Set<String> types, Instant from, Instant to, List<Finding> findings);

    /** Queues each finding for each destination (idempotent: an existing delivery is left as it is). */
    void enqueueDeliveries(List<Finding> findings, Collection<String> destinations, Instant now);

    /** Findings whose delivery to a destination is pending or failed and due again at {@code now}. */
    List<Delivery> dueDeliveries(Instant now, int limit);

    /** Records the outcome of one delivery attempt; {@code delivered} is conditional so no destination gets it twice. */
    boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt);
}
