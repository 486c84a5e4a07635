package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;
import static io.statetrail.api.QueryParams.text;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.statetrail.service.query.FindingQuery;
import java.time.Instant;

/** Which findings: {@code GET /api/findings} (with a {@link PageRequest}), {@code /api/findings.csv}, {@code query findings}. */
@Introspected
public record FindingsRequest(
        @Parameter(description = QueryParams.FROM) @Cli(label = "TIME") @Nullable @QueryValue String from,
        @Parameter(description = QueryParams.TO) @Cli(label = "TIME") @Nullable @QueryValue String to,
        @Parameter(description = "findings of this type, e.g. state-write-unexpected-subject")
        @Cli(label = "TYPE") @Nullable @QueryValue String type,
        @Parameter(description = "this severity and above: low, medium, high, critical")
        @Cli(label = "SEVERITY") @Nullable @QueryValue String severity,
        @Parameter(description = "findings about runs of this repository (owner/repo)")
        @Cli(label = "OWNER/REPO") @Nullable @QueryValue String repository,
        @Parameter(description = "findings about this state (<bucket>/<key>)")
        @Cli(label = "STATE_KEY", option = "--state") @Nullable @QueryValue String stateKey,
        @Parameter(description = "findings of this run: its root access key, as the runs listing shows it")
        @Cli(label = "RUN_KEY", option = "--run") @Nullable @QueryValue String runKey,
        @Parameter(description = "findings paged and then withdrawn once late records arrived: exclude (default), include, only; "
                + "a withdrawn finding says why in details.withdrawn")
        @Cli(label = "exclude|include|only") @Nullable @QueryValue String withdrawn,
        @Parameter(description = "findings whose triage status is one of these, comma-separated: open, acknowledged, resolved, "
                + "false-positive (default: any)")
        @Cli(label = "STATUS[,STATUS]") @Nullable @QueryValue String status) {

    public FindingsRequest {
        from = given(from);
        to = given(to);
        type = given(type);
        severity = given(severity);
        repository = given(repository);
        stateKey = given(stateKey);
        runKey = given(runKey);
        withdrawn = given(withdrawn);
        status = given(status);
    }

    /** The store's query for a page; a value that cannot be read is refused with its parameter's name. */
    FindingQuery query(Instant now, int limit, String cursor) {
        QueryParams.Range r = QueryParams.range(from, to, now, null, null);
        String state = text("stateKey", stateKey);
        if (state != null) {
            QueryParams.stateKey("stateKey", state);
        }
        String run = text("runKey", runKey);
        if (run != null) {
            QueryParams.accessKey("runKey", run);
        }
        return new FindingQuery(r.from(), r.to(), QueryParams.findingType("type", type), QueryParams.severity("severity", severity),
                text("repository", repository), state, run, limit, cursor, QueryParams.withdrawn("withdrawn", withdrawn),
                QueryParams.statuses("status", status));
    }
}
