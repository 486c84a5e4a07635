package io.statetrail.core.record;

/**
 * {@code iam:CreateRole} or {@code iam:UpdateAssumeRolePolicy}.
 *
 * @param document the trust policy JSON, URL-decoded when CloudTrail logged it encoded
 */
public record TrustPolicyChanged(EventMeta meta, String roleName, String roleArn, String document) implements TrailEvent {
}
