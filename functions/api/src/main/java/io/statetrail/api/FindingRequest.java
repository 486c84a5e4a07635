package io.statetrail.api;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Parameter;

/** Which finding: {@code GET /api/findings/{id}}. */
@Introspected
public record FindingRequest(
        @Parameter(description = "the finding's id, e.g. stale-lock-0123456789abcdef0123") @PathVariable String id) {

    /** The id; refused when it is not a finding id. */
    String checked() {
        if (id == null || !id.matches("[a-z-]{3,40}-[0-9a-f]{8,64}")) {
            throw BadQuery.invalid("'" + QueryParams.clip(String.valueOf(id)) + "' is not a finding id (e.g. stale-lock-0123456789abcdef0123)");
        }
        return id;
    }
}
