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
        Map<String, String> details) {

    public Finding {
        roleChain = roleChain == null ? List.of() : List.copyOf(roleChain);
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
