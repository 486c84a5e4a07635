package io.statetrail.core.record;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code userIdentity} of a CloudTrail record: who made the call.
 *
 * @param type              WebIdentityUser, AssumedRole, IAMUser, Root, AWSAccount, AWSService, FederatedUser…
 * @param accessKeyId       the key that signed the call: ASIA… for a session, AKIA… for a long-lived key
 * @param sessionIssuerArn  for AssumedRole: the IAM role ARN the session belongs to
 * @param federatedProvider for sessions born of web identity: the OIDC provider (no subject here)
 */
public record Actor(
        String type,
        String principalId,
        String arn,
        String accountId,
        String accessKeyId,
        String userName,
        String identityProvider,
        String sessionIssuerArn,
        String federatedProvider,
        String invokedBy) {

    public static final Actor UNKNOWN = new Actor(null, null, null, null, null, null, null, null, null, null);

    public boolean hasSessionKey() {
        return accessKeyId != null && accessKeyId.startsWith("ASIA");
    }

    public boolean isLongLivedKey() {
        return accessKeyId != null && accessKeyId.startsWith("AKIA");
    }

    public boolean isIamUser() {
        return "IAMUser".equals(type);
    }

    public boolean isRoot() {
        return "Root".equals(type);
    }

    public boolean isAssumedRole() {
        return "AssumedRole".equals(type);
    }

    /** Every ARN that names this principal, for {@code arn:} entries of the policy. */
    public List<String> arns() {
        List<String> out = new ArrayList<>(2);
        if (arn != null) {
            out.add(arn);
        }
        if (sessionIssuerArn != null) {
            out.add(sessionIssuerArn);
        }
        return out;
    }
}
