package io.statetrail.api;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Parameter;

/** Which call: {@code GET /api/calls/{eventId}/record}. */
@Introspected
public record CallRecordRequest(
        @Parameter(description = "the CloudTrail eventID of the call (of the copy the audit trail keeps, as the finding page lists it), "
                + "e.g. 0d5a3c1e-6b7f-4e2d-8a9c-1f2e3d4c5b6a") @PathVariable String eventId) {

    /** The eventID; refused when it cannot be one (CloudTrail's are UUIDs; other characters are never looked up). */
    String checked() {
        if (eventId == null || !eventId.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw BadQuery.invalid("'" + QueryParams.clip(String.valueOf(eventId)) + "' is not a CloudTrail eventID (e.g. 0d5a3c1e-6b7f-4e2d-8a9c-1f2e3d4c5b6a)");
        }
        return eventId;
    }
}
