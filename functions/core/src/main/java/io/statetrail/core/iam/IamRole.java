package io.statetrail.core.iam;

import io.statetrail.core.policy.Policy;
import java.time.Instant;
import java.util.List;

/**
 * A role as IAM lists it ({@code ListRoles}, {@code GetRole}), with its trust policy decoded (IAM returns it URL-encoded).
 *
 * @param arn         the role ARN, with its path ({@code arn:aws:iam::123456789012:role/ci/deploy})
 * @param path        {@code /} or {@code /ci/}
 * @param trustPolicy the trust policy document (JSON)
 * @param created     when the role was created; null when not known
 * @param lastUsed    when the role was last used (GetRole's {@code RoleLastUsed}, tracked by IAM for the last 400 days); null
 *                    when never, or not known
 */
public record IamRole(String arn, String name, String path, String roleId, String trustPolicy, Instant created, Instant lastUsed) {

    /** The account that owns the role: the fifth field of its ARN. */
    public String account() {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 ? parts[4] : null;
    }

    /** The ARN without its path, as a policy written from a console or from CloudTrail's path-less records names it. */
    public String arnWithoutPath() {
        int at = arn.indexOf(":role/");
        return at < 0 ? arn : arn.substring(0, at) + ":role/" + name;
    }

    /** The statements that let an OIDC provider's tokens assume the role; none when the document is not JSON. */
    public List<TrustPolicy.OidcTrust> oidcTrusts() {
        try {
            return TrustPolicy.oidcTrusts(trustPolicy);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** The policy entries that cover the role: by its ARN, else (an entry written without the path) by its path-less ARN. */
    public List<Policy.RoleEntry> entriesIn(Policy policy) {
        List<Policy.RoleEntry> entries = policy.rolesFor(arn);
        return entries.isEmpty() && !arn.equals(arnWithoutPath()) ? policy.rolesFor(arnWithoutPath()) : entries;
    }
}
