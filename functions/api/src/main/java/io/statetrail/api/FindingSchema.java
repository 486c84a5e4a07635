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
                            Map<String, String> details) {
}
