package io.statetrail.service.query;

import java.time.Instant;
import java.util.List;

/** One session in a run: the root login or a role hop, with what it did. */
public record Hop(
        String accessKeyId,
        String parentKey,
        String method,
        String roleArn,
        String account,
        String sessionName,
        Instant issuedAt,
        Instant expiration,
        List<String> eventIds,
        List<Activity> activity) {
}
