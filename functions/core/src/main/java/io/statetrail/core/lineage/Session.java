package io.statetrail.core.lineage;

import io.statetrail.core.event.WebIdentity;
import java.time.Instant;
import java.util.List;

/**
 * A set of temporary credentials, known by the access key it was issued (ASIA…), and where it came from.
 *
 * @param parentKey       the session that assumed this one (a role hop), or null
 * @param parentPrincipal for sessions opened by something other than a session: the IAM user, root or service ARN
 * @param parentType      CloudTrail {@code userIdentity.type} of the caller (IAMUser, Root, AWSService, AWSAccount…)
 * @param webIdentity     present when this session was opened by an OIDC token: the root of a run
 * @param eventIds        CloudTrail eventIDs of every copy of the issuing call
 * @param claims          what the issuing call claims about the run (session tags, user agent, session name)
 */
public record Session(
        String key,
        String method,
        String roleArn,
        String account,
        String sessionName,
        String assumedRoleArn,
        String assumedRoleId,
        Instant issuedAt,
        Instant expiration,
        String parentKey,
        String parentPrincipal,
        String parentType,
        String callerPrincipalId,
        WebIdentity webIdentity,
        List<String> eventIds,
        List<Claim> claims) {

    public Session {
        eventIds = List.copyOf(eventIds);
        claims = claims == null ? List.of() : List.copyOf(claims);
    }

    /**
     * Linked to its parent by inference: only the role account's copy of the hop was seen (caller {@code AWSAccount},
     * named by principal id), and exactly one session with that assumed-role id was alive. A session that arrives later
     * with the same id would undo the link, so findings that rest on it wait before paging.
     */
    public boolean linkedByGuess() {
        return parentKey != null && "AWSAccount".equals(parentType);
    }
}
