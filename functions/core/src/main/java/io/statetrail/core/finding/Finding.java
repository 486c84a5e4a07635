package io.statetrail.core.finding;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Something a security team must hear about, with the evidence that shows it.
 *
 * @param id          deterministic: the same evidence always gives the same id, so a finding is created once
 * @param type        one of {@link FindingType}'s names; part of the output contract
 * @param time        when it happened (the first evidence event)
 * @param account     AWS account where it happened
 * @param subject     root OIDC subject of the run, when known
 * @param repository  repository (or project) from the subject
 * @param ref         branch, tag, environment or pull_request from the subject
 * @param roleArn     role of the session that acted; for {@code trust-policy-weakened}, the changed role
 * @param stateKey    {@code <bucket>/<key>} of the state object, for state and lock findings
 * @param accessKeyId session (or long-lived) key that acted
 * @param runKey      access key of the run's root session, or of the principal for non-federated runs
 * @param roleChain   role ARNs from the root session to the one that acted
 * @param eventIds    CloudTrail eventIDs: the evidence (sorted), then the calls that issued the run's sessions, root first
 * @param count       how many occurrences this finding groups
 * @param details     type-specific facts (lock holder, principal ARN, trust-policy problem…)
 * @param lastSeen    when the latest evidence event happened ({@code time} when there is one)
 * @param provisional true when CloudTrail records that arrive late could still withdraw or re-attribute it
 *                    ({@link FindingType.Settling}); the live service pages it only once its evidence has settled
 * @param statusChange the analyst's latest triage of it, or null while it was never changed ({@code open}); kept apart
 *                    from the finding in the store (the ingest never overwrites it) and attached where it is shown
 */
public record Finding(
        String id,
        String type,
        Severity severity,
        Instant time,
        String account,
        String subject,
        String repository,
        String ref,
        String roleArn,
        String stateKey,
        String accessKeyId,
        String runKey,
        List<String> roleChain,
        List<String> eventIds,
        String summary,
        int count,
        Map<String, String> details,
        Instant lastSeen,
        boolean provisional,
        StatusChange statusChange) {

    /** A finding as detection produces it: never triaged. */
    public Finding(String id, String type, Severity severity, Instant time, String account, String subject, String repository,
                   String ref, String roleArn, String stateKey, String accessKeyId, String runKey, List<String> roleChain,
                   List<String> eventIds, String summary, int count, Map<String, String> details, Instant lastSeen,
                   boolean provisional) {
        this(id, type, severity, time, account, subject, repository, ref, roleArn, stateKey, accessKeyId, runKey, roleChain,
                eventIds, summary, count, details, lastSeen, provisional, null);
    }

    public Finding {
        roleChain = roleChain == null ? List.of() : List.copyOf(roleChain);
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        details = details == null ? Map.of() : Map.copyOf(details);
        lastSeen = lastSeen == null || (time != null && lastSeen.isBefore(time)) ? time : lastSeen;
    }

    /** Detail naming the {@code suppressions:} entry that covers this finding: its line and reason. */
    public static final String SUPPRESSED_BY = "suppressedBy";

    /** Known and accepted by the policy: stored and listed, never paged. */
    public boolean suppressed() {
        return details.containsKey(SUPPRESSED_BY);
    }

    /** The same finding with another summary and details (notices, verification results). */
    public Finding with(String newSummary, Map<String, String> newDetails) {
        return new Finding(id, type, severity, time, account, subject, repository, ref, roleArn, stateKey, accessKeyId, runKey,
                roleChain, eventIds, newSummary, count, newDetails, lastSeen, provisional, statusChange);
    }

    /** {@code open} until an analyst (or the service) changed it. */
    public FindingStatus status() {
        return statusChange == null ? FindingStatus.OPEN : statusChange.status();
    }

    /** The same finding with this latest status change (null: never changed). */
    public Finding withStatus(StatusChange change) {
        return new Finding(id, type, severity, time, account, subject, repository, ref, roleArn, stateKey, accessKeyId, runKey,
                roleChain, eventIds, summary, count, details, lastSeen, provisional, change);
    }

    /** The same finding first seen at {@code first} (posture: a role found wrong on an earlier day, seen again now). */
    public Finding firstSeenAt(Instant first) {
        Instant last = lastSeen == null || (first != null && lastSeen.isBefore(first)) ? first : lastSeen;
        return new Finding(id, type, severity, first, account, subject, repository, ref, roleArn, stateKey, accessKeyId, runKey,
                roleChain, eventIds, summary, count, details, last, provisional, statusChange);
    }

    /**
     * What a person paged about this finding relies on: who did it (subject, run, role, key), where, and how bad.
     * A change in any of these after a page is worth a follow-up; more evidence of the same (count, eventIds) is not.
     */
    public List<String> material() {
        return java.util.Arrays.asList(severity == null ? null : severity.label(), subject, runKey, roleArn, stateKey, accessKeyId);
    }
}
