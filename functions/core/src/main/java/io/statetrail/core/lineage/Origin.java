package io.statetrail.core.lineage;

import io.statetrail.core.event.WebIdentity;

/**
 * Where a run starts.
 *
 * @param runKey       identifies the run: the root session's access key, or the key (long-lived or temporary) / principal
 *                     that acted when that principal is not a role session
 * @param webIdentity  for {@link Kind#WEB_IDENTITY}: the OIDC subject that opened the run
 * @param principalArn for non-federated origins: the IAM user, root or role that started it
 * @param missingKey   for {@link Kind#UNKNOWN}: the session whose issuing event was never seen
 */
public record Origin(Kind kind, String runKey, WebIdentity webIdentity, String principalArn, String missingKey) {

    /**
     * WEB_IDENTITY: an OIDC login; IAM_USER / ROOT: an IAM user or the root user, with a long-lived key or temporary
     * credentials of their own (console sign-in, GetSessionToken, AssumeRoot); FEDERATED_USER: GetFederationToken
     * credentials; SAML: a SAML federation login; SERVICE_ROLE: a role session an AWS service opened (instance
     * profile, Lambda, ECS task); AWS_SERVICE: a call an AWS service made itself; UNKNOWN: the issuing event was never
     * seen.
     */
    public enum Kind { WEB_IDENTITY, IAM_USER, ROOT, FEDERATED_USER, SAML, SERVICE_ROLE, AWS_SERVICE, UNKNOWN }

    public boolean isWebIdentity() {
        return kind == Kind.WEB_IDENTITY;
    }

    /** Known to start somewhere other than an OIDC token: long-lived keys, root, SAML, services. */
    public boolean isNonFederated() {
        return kind != Kind.WEB_IDENTITY && kind != Kind.UNKNOWN;
    }
}
