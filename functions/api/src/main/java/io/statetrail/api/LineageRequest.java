package io.statetrail.api;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Parameter;

/** Whose lineage: {@code GET /api/lineage/{accessKeyId}}, {@code query lineage ACCESS_KEY}. */
@Introspected
public record LineageRequest(
        @Parameter(description = "any session's access key id (ASIA…), or an IAM user's (AKIA…)")
        @Cli(label = "ACCESS_KEY", positional = true) @PathVariable String accessKeyId) {

    /** The access key; refused when it is not one. */
    String accessKey() {
        return QueryParams.accessKey("access key", accessKeyId);
    }
}
