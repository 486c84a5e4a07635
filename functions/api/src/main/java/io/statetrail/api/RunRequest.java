package io.statetrail.api;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Parameter;

/** Which run: {@code GET /api/runs/{runKey}}. */
@Introspected
public record RunRequest(
        @Parameter(description = "the run's key: its root session's access key, as the runs listing shows it") @PathVariable String runKey) {

    /** The run key; refused when it is not an access key. */
    String key() {
        return QueryParams.accessKey("run key", runKey);
    }
}
