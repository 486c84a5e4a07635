package io.statetrail.service.query;

import java.time.Instant;

/** Filters for listing runs; null means any. {@code subjectPattern} is a glob like the policy's. */
public record RunQuery(String repository, String subjectPattern, String ref, String environment, Instant from, Instant to,
                       int limit, String cursor) {
}
