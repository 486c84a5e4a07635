package io.statetrail.core.event;

/**
 * A refused role assumption. On denial CloudTrail logs {@code requestParameters} as null, so the role ARN is
 * taken from {@code errorMessage} when it is not in the request.
 */
public record RoleAssumptionFailed(EventMeta meta, String method, String roleArn, WebIdentity webIdentity) implements TrailEvent {
}
