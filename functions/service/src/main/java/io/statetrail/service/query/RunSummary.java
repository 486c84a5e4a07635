package io.statetrail.service.query;

import java.time.Instant;
import java.util.List;

/**
 * A run: a root session (usually one GitHub Actions job's OIDC login) and all its descendants. {@code subject} is
 * verified (STS checked it); {@code claims} are what the run says about itself and are only claimed.
 */
public record RunSummary(
        String runKey,
        String subject,
        String repository,
        String ref,
        String environment,
        Instant startedAt,
        Instant lastActivity,
        List<String> roles,
        List<String> accounts,
        List<String> stateKeys,
        int findings,
        RunClaims claims) {
}
