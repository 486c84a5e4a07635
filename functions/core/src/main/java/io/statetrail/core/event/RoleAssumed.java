package io.statetrail.core.event;

import java.time.Instant;
import java.util.List;

/**
 * A successful {@code AssumeRoleWithWebIdentity}, {@code AssumeRole} or {@code AssumeRoleWithSAML}: a new session,
 * keyed by the access key it was issued. Its parent is whoever made the call ({@link EventMeta#actor()}).
 *
 * @param webIdentity present for web-identity logins: the root of a run
 * @param tags        session tags the caller set ({@code requestParameters.tags}), received transitively
 *                    ({@code incomingTransitiveTags}) or had its identity provider set ({@code principalTags}): claims of
 *                    the caller, never verified by STS
 */
public record RoleAssumed(
        EventMeta meta,
        String method,
        String issuedKey,
        String roleArn,
        String sessionName,
        String assumedRoleArn,
        String assumedRoleId,
        Instant expiration,
        WebIdentity webIdentity,
        String sourceIdentity,
        List<SessionTag> tags) implements TrailEvent {

    public RoleAssumed {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Account that owns the assumed role (from its ARN), which may differ from the caller's. */
    public String roleAccount() {
        return Arns.account(roleArn);
    }
}
