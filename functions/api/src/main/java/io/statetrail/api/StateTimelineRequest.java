package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Instant;

/** Which state and when: {@code GET /api/state/timeline} (with a {@link PageRequest}), its CSV, {@code query state}. */
@Introspected
public record StateTimelineRequest(
        @Parameter(description = "<bucket>/<key>, e.g. acme-tfstate-prod/infra/terraform.tfstate", required = true)
        @Cli(label = "STATE_KEY", positional = true) @Nullable @QueryValue String key,
        @Parameter(description = QueryParams.FROM) @Cli(label = "TIME") @Nullable @QueryValue String from,
        @Parameter(description = QueryParams.TO) @Cli(label = "TIME") @Nullable @QueryValue String to) {

    public StateTimelineRequest {
        key = given(key);
        from = given(from);
        to = given(to);
    }

    /** The state key; refused when missing or not {@code <bucket>/<key>}. */
    String state() {
        return QueryParams.stateKey("key", QueryParams.text("key", key));
    }

    QueryParams.Range range(Instant now) {
        return QueryParams.closedRange(from, to, now);
    }
}
