package io.statetrail.core.lineage;

import java.time.Instant;

/**
 * Something a run says about itself, set by its own client and so only claimed: STS verifies none of it.
 *
 * @param field   {@code runId}, {@code runAttempt}, {@code workflow}, {@code actor}, {@code commit}, {@code branch} or
 *                {@code repository}
 * @param source  where it was read: {@code tag:<Key>}, {@code principalTag:<Key>}, {@code transitiveTag:<Key>} (session
 *                tags of a role assumption), {@code userAgent}, {@code roleSessionName} or {@code sourceIdentity}
 * @param eventId the CloudTrail eventID of the role assumption it was read from
 */
public record Claim(String field, String value, String source, String eventId, Instant time) {
}
