package io.statetrail.api;

import io.micronaut.core.annotation.Introspected;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /api/findings/{id}/status}. */
@Introspected
@Schema(name = "StatusRequest", description = "A change of a finding's status: open, acknowledged, resolved or false-positive, "
        + "and why (a note is required to resolve it or call it a false positive).")
public record StatusRequest(
        @Schema(allowableValues = {"open", "acknowledged", "resolved", "false-positive"}, requiredMode = Schema.RequiredMode.REQUIRED) String status,
        @Schema(description = "why; at most 2000 characters; shown as text everywhere") String note) {
}
