package io.statetrail.service.port;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.query.CallRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The calls of the audit trail: every relevant CloudTrail call once, with every copy of it (duplicates and the other
 * account's copy of a cross-account call merged), read back by what a unit of judgement needs. Every method is
 * idempotent. Session tokens never reach it: the event model has no field for them.
 */
public interface Calls {

    /**
     * Stores the events of one CloudTrail record, once per call (key {@link io.statetrail.core.event.EventMeta#callKey()}).
     * A second delivery changes nothing; the other account's copy of a cross-account call only adds its eventID
     * (and replaces the stored copy when {@code Trail.prefer} says it is richer, so the result is order-free).
     */
    default Trail.Added putCall(List<TrailEvent> events) {
        return putCall(events, null);
    }

    /**
     * The same, keeping {@code record}: this copy's CloudTrail record with its secrets already removed
     * ({@code RecordRedaction}), shown as the call's raw record on the finding page. A record of another copy is kept
     * beside it; a redelivery changes nothing (no write).
     */
    Trail.Added putCall(List<TrailEvent> events, String record);

    /**
     * The stored call whose kept copy ({@code Trail.prefer}) has this eventID, with that copy's record; empty when
     * there is none (unknown, or the eventID of a copy that is not the one kept: its call lists it in
     * {@link CallRecord#eventIds()}).
     */
    Optional<CallRecord> call(String eventId);

    /** All calls on a state key and its locks with eventTime in [from, to), as stored (each call's events). */
    List<List<TrailEvent>> stateCalls(String stateKey, Instant from, Instant to);

    /** Failed web-identity logins of one subject and role on one UTC day (the web-identity-denied group). */
    List<List<TrailEvent>> failedLogins(String subject, String roleArn, Instant dayStart);

    /** Trust-policy changes of a role with eventTime in [from, to), each stored copy's events. */
    List<List<TrailEvent>> trustPolicyChanges(String roleArn, Instant from, Instant to);

    /** The latest lock or unlock call before {@code before} on this state key, one per lock store (bounded look-back). */
    List<List<TrailEvent>> lockCallsBefore(String stateKey, Instant before);

    /** The earliest lock or unlock call at or after {@code from} on this state key and store; empty when none. */
    List<TrailEvent> lockCallAfter(String stateKey, String lockStore, Instant from);

    /**
     * Every call that changed this store (issue 19: {@link io.statetrail.core.event.StoreChange#storeRef()}), each stored
     * copy's events, oldest first.
     */
    List<List<TrailEvent>> storeCalls(String storeRef);

    /** Lock calls on items of this DynamoDB lock table with eventTime in [from, to), each stored copy's events. */
    List<List<TrailEvent>> lockTableCalls(String table, Instant from, Instant to);

    /** Every stored call signed by these access keys (each stored copy's events), for re-evaluating a late link. */
    List<List<TrailEvent>> callsSignedBy(Collection<String> accessKeys);

    /** State keys touched (any operation, incl. locks) by calls signed with these access keys. */
    Set<String> stateKeysTouchedBy(Collection<String> accessKeys);
}
