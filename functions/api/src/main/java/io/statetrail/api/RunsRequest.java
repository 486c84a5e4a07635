package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;
import static io.statetrail.api.QueryParams.text;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.statetrail.service.query.RunQuery;
import java.time.Instant;

/** Which runs: {@code GET /api/runs} (with a {@link PageRequest}), {@code /api/runs.csv}, {@code query runs}. */
@Introspected
public record RunsRequest(
        @Parameter(description = "runs of this repository (owner/repo)")
        @Cli(label = "OWNER/REPO") @Nullable @QueryValue String repository,
        @Parameter(description = "runs whose subject matches this glob, e.g. repo:acme/infra:pull_request")
        @Cli(label = "GLOB") @Nullable @QueryValue String subject,
        @Parameter(description = "ref from the subject: refs/heads/main, a branch or tag name (main), or a context (pull_request)")
        @Cli(label = "REF") @Nullable @QueryValue String ref,
        @Parameter(description = "runs of this GitHub environment (from the subject)")
        @Cli(label = "NAME") @Nullable @QueryValue String environment,
        @Parameter(description = QueryParams.FROM) @Cli(label = "TIME") @Nullable @QueryValue String from,
        @Parameter(description = QueryParams.TO) @Cli(label = "TIME") @Nullable @QueryValue String to) {

    public RunsRequest {
        repository = given(repository);
        subject = given(subject);
        ref = given(ref);
        environment = given(environment);
        from = given(from);
        to = given(to);
    }

    /** The store's query for a page; a value that cannot be read is refused with its parameter's name. */
    RunQuery query(Instant now, int limit, String cursor) {
        QueryParams.Range r = QueryParams.range(from, to, now, null, null);
        return new RunQuery(text("repository", repository), text("subject", subject), text("ref", ref), text("environment", environment),
                r.from(), r.to(), limit, cursor);
    }
}
