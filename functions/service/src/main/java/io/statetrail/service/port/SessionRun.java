package io.statetrail.service.port;

/**
 * Where a session's run starts, as resolved from the lineage known so far; stored on the session so that timelines
 * and run listings need no walk up the chain. Recomputed for a session and all its descendants whenever a link of
 * their chain arrives, so the stored value never depends on arrival order.
 *
 * @param runKey    the run's key: root session key, or the missing ancestor's key when the chain is broken
 * @param origin    {@code web-identity}, {@code iam-user}, {@code root}, {@code saml}, {@code aws-service}, {@code unknown}
 * @param subject   raw OIDC subject of the root login, or null
 * @param provider  OIDC provider of the root login, or null
 * @param principal for non-federated origins: the IAM user, root or service that started the run
 */
public record SessionRun(String sessionKey, String runKey, String origin, String subject, String provider, String principal) {
}
