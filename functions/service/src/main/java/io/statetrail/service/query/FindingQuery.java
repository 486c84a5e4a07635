package io.statetrail.service.query;

import io.statetrail.core.finding.Severity;
import java.time.Instant;

/** Filters for findings; null means any. {@code minSeverity} keeps that severity and above. */
public record FindingQuery(Instant from, Instant to, String type, Severity minSeverity, String repository, String stateKey,
                           String runKey, int limit, String cursor) {
}
