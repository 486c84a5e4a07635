package io.statetrail.core.event;

/**
 * {@code iam:CreateRole} or {@code iam:UpdateAssumeRolePolicy}.
 *
 * @param document the trust policy JSON, URL-decoded when CloudTrail logged it encoded
 */
public record TrustPolicyChanged(EventMeta meta, String roleName, String roleArn, String document) implements TrailEvent {
}
