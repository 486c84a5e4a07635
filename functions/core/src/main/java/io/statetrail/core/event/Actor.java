package io.statetrail.core.event;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code userIdentity} of a CloudTrail record: who made the call.
 *
 * @param type              WebIdentityUser, AssumedRole, IAMUser, Root, AWSAccount, AWSService, FederatedUser…
 * @param accessKeyId       the key that signed the call: ASIA… for temporary credentials, AKIA… for a long-lived key
 * @param sessionIssuerArn  for AssumedRole: the IAM role ARN the session belongs to; for FederatedUser: the IAM user
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

    /**
     * Temporary credentials (ASIA…). Not every one is a role session: console sign-ins of IAM users and root,
     * {@code GetSessionToken} (MFA, aws-vault), {@code GetFederationToken} and {@code AssumeRoot} issue them too, and
     * CloudTrail names their principal in {@code userIdentity} itself.
     */
    public boolean hasSessionKey() {
        return accessKeyId != null && accessKeyId.startsWith("ASIA");
    }

    /**
     * The key is that of an assumed-role session, issued by an {@code AssumeRole*} call: only then is it looked up as
     * a session (and its issuing event missed when absent). Every other caller is its own principal.
     */
    public boolean namesRoleSession() {
        return isAssumedRole() && hasSessionKey();
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

    /** Credentials from {@code GetFederationToken}: {@code arn:aws:sts::<account>:federated-user/<name>}. */
    public boolean isFederatedUser() {
        return "FederatedUser".equals(type);
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
