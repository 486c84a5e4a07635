package io.statetrail.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The shape of a finding in the API description: the JSON of {@code FindingJson} (lower-case severity, ISO-8601 time),
 * which is not the Java record's. The pom maps the core {@code Finding} to this class for the OpenAPI generator.
 */
@Schema(name = "FindingJson", description = "A finding, as replay, alerts and the CLI print it.")
public record FindingSchema(String id, String type, @Schema(allowableValues = {"low", "medium", "high", "critical"}) String severity,
                            @Schema(format = "date-time") String time, String account, String subject, String repository,
                            String ref, String roleArn, String stateKey, String accessKeyId, String runKey,
                            List<String> roleChain, List<String> eventIds, String summary, int count,
                            Map<String, String> details,
                            @Schema(description = "triage status; open when never changed",
                                    allowableValues = {"open", "acknowledged", "resolved", "false-positive"}) String status,
                            @Schema(description = "the latest status change; absent when never changed", nullable = true)
                            StatusChangeSchema statusChange,
                            @Schema(description = "every status change, oldest first; only in GET /api/findings/{id} and the status POST's answer",
                                    nullable = true) List<StatusChangeSchema> statusHistory) {

    /** One status change: to what, by whom (an IAM principal ARN, an operating-system user, or statetrail), when, why. */
    @Schema(name = "StatusChange")
    public record StatusChangeSchema(@Schema(allowableValues = {"open", "acknowledged", "resolved", "false-positive"}) String status,
                                     String by, @Schema(format = "date-time") String at, @Schema(nullable = true) String note) {
    }
}
