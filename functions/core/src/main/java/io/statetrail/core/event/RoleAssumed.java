package io.statetrail.core.event;

import java.time.Instant;

/**
 * A successful {@code AssumeRoleWithWebIdentity}, {@code AssumeRole} or {@code AssumeRoleWithSAML}: a new session,
 * keyed by the access key it was issued. Its parent is whoever made the call ({@link EventMeta#actor()}).
 *
 * @param webIdentity present for web-identity logins: the root of a run
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
        String sourceIdentity) implements TrailEvent {

    /** Account that owns the assumed role (from its ARN), which may differ from the caller's. */
    public String roleAccount() {
        return Arns.account(roleArn);
    }
}
