package io.statetrail.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The incident-review API: JSON (and CSV exports) over {@link Review}. Everything is a GET; every response is built by
 * {@link ApiJson} or {@link CsvWriter}. The same controller runs in the local server and in the Lambda.
 *
 * <p>Query parameters are declared on each method for the OpenAPI description, but read through {@link QueryParams}
 * from the request, so the API and the CLI check them (unknown, repeated, malformed) with the same code and words.
 */
@Controller("/api")
@Tag(name = "incident review")
public class QueryController {

    private static final String JSON = MediaType.APPLICATION_JSON;
    private static final String CSV = "text/csv; charset=utf-8";

    private final Review review;

    public QueryController(Review review) {
        this.review = review;
    }

    @Get(uri = "/lineage/{accessKeyId}", produces = JSON)
    @Operation(summary = "Lineage of a session", description = "The run containing the session with this access key: "
            + "root subject, each role hop (account, time, evidence event IDs) and what each hop did to state and locks.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = RunDetail.class)))
    @ApiResponse(responseCode = "400", description = "not an access key", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "unknown access key", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> lineage(@PathVariable String accessKeyId, HttpRequest<?> request) {
        params(request).allow();
        return json(review.lineage(accessKeyId));
    }

    @Get(uri = "/runs", produces = JSON)
    @Operation(summary = "List runs", description = "Runs (a root session and all its descendants), newest first.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = RunPage.class)))
    @ApiResponse(responseCode = "400", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> runs(
            @Parameter(description = "owner/repo") @Nullable @QueryValue String repository,
            @Parameter(description = "subject glob, e.g. repo:acme/infra:pull_request") @Nullable @QueryValue String subject,
            @Parameter(description = "ref from the subject: refs/heads/main, a branch or tag name (main), or a context (pull_request)") @Nullable @QueryValue String ref,
            @Parameter(description = "GitHub environment from the subject") @Nullable @QueryValue String environment,
            @Parameter(description = TIME) @Nullable @QueryValue String from,
            @Parameter(description = TIME) @Nullable @QueryValue String to,
            @Parameter(description = LIMIT) @Nullable @QueryValue String limit,
            @Parameter(description = CURSOR) @Nullable @QueryValue String cursor,
            HttpRequest<?> request) {
        return json(ApiJson.page(review.runs(params(request))));
    }

    @Get(uri = "/runs.csv", produces = CSV)
    @Operation(summary = "Runs as CSV", description = "Same filters as /api/runs without paging (at most 10,000 rows).")
    public HttpResponse<String> runsCsv(HttpRequest<?> request) {
        Review.Export<RunSummary> e = review.exportRuns(params(request));
        return csv("runs", CsvWriter.write(Tables.RUNS, e.items()), e.truncated());
    }

    @Get(uri = "/runs/{runKey}", produces = JSON)
    @Operation(summary = "One run in full", description = "Hops root first with their activity, and the run's findings.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = RunDetail.class)))
    @ApiResponse(responseCode = "404", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> run(@PathVariable String runKey, HttpRequest<?> request) {
        params(request).allow();
        return json(review.run(runKey));
    }

    @Get(uri = "/state/timeline", produces = JSON)
    @Operation(summary = "Timeline of a state", description = "Reads, writes, deletes, locks (with holder details) of one "
            + "state key, newest first. Findings on the state: /api/findings?stateKey=…; its lock now: /api/locks?stateKey=….")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = ActivityPage.class)))
    @ApiResponse(responseCode = "404", description = "state never seen", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> stateTimeline(
            @Parameter(description = "<bucket>/<key>", required = true) @Nullable @QueryValue String key,
            @Parameter(description = TIME) @Nullable @QueryValue String from,
            @Parameter(description = TIME) @Nullable @QueryValue String to,
            @Parameter(description = LIMIT) @Nullable @QueryValue String limit,
            @Parameter(description = CURSOR) @Nullable @QueryValue String cursor,
            HttpRequest<?> request) {
        return json(ApiJson.page(review.stateTimeline(params(request))));
    }

    @Get(uri = "/state/timeline.csv", produces = CSV)
    @Operation(summary = "Timeline of a state as CSV", description = "key, from, to as for /api/state/timeline; at most 10,000 rows.")
    public HttpResponse<String> stateTimelineCsv(HttpRequest<?> request) {
        Review.Export<Activity> e = review.exportStateTimeline(params(request));
        return csv("state-timeline", CsvWriter.write(Tables.ACTIVITY, e.items()), e.truncated());
    }

    @Get(uri = "/activity", produces = JSON)
    @Operation(summary = "Activity of a repository or subject pattern", description = "Give exactly one of repository or subject.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = ActivityPage.class)))
    public HttpResponse<String> activity(
            @Parameter(description = "owner/repo") @Nullable @QueryValue String repository,
            @Parameter(description = "subject glob") @Nullable @QueryValue String subject,
            @Parameter(description = TIME) @Nullable @QueryValue String from,
            @Parameter(description = TIME) @Nullable @QueryValue String to,
            @Parameter(description = LIMIT) @Nullable @QueryValue String limit,
            @Parameter(description = CURSOR) @Nullable @QueryValue String cursor,
            HttpRequest<?> request) {
        return json(ApiJson.page(review.activity(params(request))));
    }

    @Get(uri = "/activity.csv", produces = CSV)
    @Operation(summary = "Activity as CSV")
    public HttpResponse<String> activityCsv(HttpRequest<?> request) {
        Review.Export<Activity> e = review.exportActivity(params(request));
        return csv("activity", CsvWriter.write(Tables.ACTIVITY, e.items()), e.truncated());
    }

    @Get(uri = "/locks", produces = JSON)
    @Operation(summary = "Open locks", description = "Locks acquired and not released, oldest first, with age, holder run "
            + "and lock body (Who, Operation, ID).")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, array = @io.swagger.v3.oas.annotations.media.ArraySchema(schema = @Schema(implementation = LockView.class))))
    public HttpResponse<String> locks(
            @Parameter(description = "only this state") @Nullable @QueryValue String stateKey,
            @Parameter(description = "only locks held by runs of this repository") @Nullable @QueryValue String repository,
            HttpRequest<?> request) {
        return json(ApiJson.array(review.locks(params(request))));
    }

    @Get(uri = "/locks.csv", produces = CSV)
    @Operation(summary = "Open locks as CSV")
    public HttpResponse<String> locksCsv(HttpRequest<?> request) {
        return csv("locks", CsvWriter.write(Tables.LOCKS, review.locks(params(request))), false);
    }

    @Get(uri = "/findings", produces = JSON)
    @Operation(summary = "Findings", description = "Newest first.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = FindingPage.class)))
    @ApiResponse(responseCode = "400", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> findings(
            @Parameter(description = TIME) @Nullable @QueryValue String from,
            @Parameter(description = TIME) @Nullable @QueryValue String to,
            @Parameter(description = "finding type, e.g. state-write-unexpected-subject") @Nullable @QueryValue String type,
            @Parameter(description = "this severity and above: low, medium, high, critical") @Nullable @QueryValue String severity,
            @Parameter(description = "owner/repo") @Nullable @QueryValue String repository,
            @Parameter(description = "<bucket>/<key>") @Nullable @QueryValue String stateKey,
            @Parameter(description = "the run's root access key") @Nullable @QueryValue String runKey,
            @Parameter(description = "findings paged and then withdrawn once late records arrived: exclude (default), include, only; "
                    + "a withdrawn finding says why in details.withdrawn") @Nullable @QueryValue String withdrawn,
            @Parameter(description = LIMIT) @Nullable @QueryValue String limit,
            @Parameter(description = CURSOR) @Nullable @QueryValue String cursor,
            HttpRequest<?> request) {
        return json(ApiJson.page(review.findings(params(request))));
    }

    @Get(uri = "/findings.csv", produces = CSV)
    @Operation(summary = "Findings as CSV", description = "Same filters as /api/findings without paging (at most 10,000 rows).")
    public HttpResponse<String> findingsCsv(HttpRequest<?> request) {
        Review.Export<Finding> e = review.exportFindings(params(request));
        return csv("findings", CsvWriter.write(Tables.FINDINGS, e.items()), e.truncated());
    }

    @Get(uri = "/findings/{id}", produces = JSON)
    @Operation(summary = "One finding")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = FindingSchema.class)))
    @ApiResponse(responseCode = "404", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> finding(@PathVariable String id, HttpRequest<?> request) {
        params(request).allow();
        return json(review.finding(id));
    }

    @Get(uri = "/overview", produces = JSON)
    @Operation(summary = "Dashboard overview", description = "Findings per day and severity, latest critical and high "
            + "findings, open locks, runs per repository in the last `hours`.")
    public HttpResponse<String> overview(
            @Parameter(description = "end of the window (default: now)") @Nullable @QueryValue String to,
            @Parameter(description = "days in the chart (1..366, default 14)") @Nullable @QueryValue String days,
            @Parameter(description = "hours of runs (default 24)") @Nullable @QueryValue String hours,
            @Parameter(description = "owner/repo") @Nullable @QueryValue String repository,
            HttpRequest<?> request) {
        return json(review.overview(params(request)));
    }

    private static final String TIME = "ISO-8601 instant, a date (2026-11-05) or a time before now (30m, 24h, 7d)";
    private static final String LIMIT = "page size, 1..500 (default 50)";
    private static final String CURSOR = "the 'next' of the previous page";

    /** Query parameters; one value each (a repeated parameter is ambiguous, so refused). */
    static QueryParams params(HttpRequest<?> request) {
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : request.getParameters().asMap().entrySet()) {
            if (e.getValue().size() > 1) {
                throw BadQuery.invalid("parameter '" + QueryParams.clip(e.getKey()) + "' is given more than once");
            }
            flat.put(e.getKey(), e.getValue().isEmpty() ? null : e.getValue().get(0));
        }
        return QueryParams.of(flat);
    }

    private static HttpResponse<String> json(Object body) {
        return HttpResponse.ok(ApiJson.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static HttpResponse<String> csv(String name, String body, boolean truncated) {
        MutableHttpResponse<String> r = HttpResponse.ok(body)
                .contentType(MediaType.of(CSV))
                .header("Content-Disposition", "attachment; filename=\"statetrail-" + name + ".csv\"");
        if (truncated) {
            r.header("X-Statetrail-Truncated", "true");
        }
        return r;
    }

    // Shapes for the OpenAPI description only (the JSON itself is written by ApiJson).
    @Schema(name = "Error")
    record ErrorBody(ErrorDetail error) {
    }

    @Schema(name = "ErrorDetail")
    record ErrorDetail(int status, String code, String message) {
    }

    @Schema(name = "RunPage")
    record RunPage(List<RunSummary> items, String next) {
    }

    @Schema(name = "ActivityPage")
    record ActivityPage(List<Activity> items, String next) {
    }

    @Schema(name = "FindingPage")
    record FindingPage(List<FindingSchema> items, String next) {
    }

}
