package io.statetrail.service.port;

import java.time.Instant;

/**
 * A session that touched state while its issuing event is missing, waiting for the sweeper's grace period and lookup.
 *
 * @param firstSeen  earliest eventTime of a state call in its chain (deterministic: the minimum, not arrival time)
 * @param lookedUpAt when the sweeper looked it up in CloudTrail without finding it, or null
 */
public record Unattributed(String accessKey, Instant firstSeen, Instant lookedUpAt) {
}
