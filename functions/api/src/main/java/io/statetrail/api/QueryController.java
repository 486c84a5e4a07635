package io.statetrail.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestBean;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.Evidence;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The incident-review API: JSON (and CSV exports) over {@link Review}. Everything is a GET; every response is built by
 * {@link ApiJson} or {@link CsvWriter}. The same controller runs in the local server and in the Lambda.
 *
 * <p>Each endpoint's parameters are its request records ({@link FindingsRequest}, {@link PageRequest}, …), bound with
 * {@code @RequestBean}: their components are the parameters' names and descriptions in the OpenAPI description, the
 * names this controller accepts, and the CLI's {@code query} options; {@link Review} checks their values (with
 * {@link QueryParams}), so the API and the CLI refuse the same things with the same words.
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
    public HttpResponse<String> lineage(@RequestBean LineageRequest lineage, HttpRequest<?> request) {
        only(request, lineage);
        return json(review.lineage(lineage));
    }

    @Get(uri = "/runs", produces = JSON)
    @Operation(summary = "List runs", description = "Runs (a root session and all its descendants), newest first.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = RunPage.class)))
    @ApiResponse(responseCode = "400", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> runs(@RequestBean RunsRequest runs, @RequestBean PageRequest page, HttpRequest<?> request) {
        only(request, runs, page);
        return json(ApiJson.page(review.runs(runs, page)));
    }

    @Get(uri = "/runs.csv", produces = CSV)
    @Operation(summary = "Runs as CSV", description = "Same filters as /api/runs without paging (at most 10,000 rows).")
    public HttpResponse<String> runsCsv(@RequestBean RunsRequest runs, HttpRequest<?> request) {
        only(request, runs);
        Review.Export<RunSummary> e = review.exportRuns(runs);
        return csv("runs", CsvWriter.write(Tables.RUNS, e.items()), e.truncated());
    }

    @Get(uri = "/runs/{runKey}", produces = JSON)
    @Operation(summary = "One run in full", description = "Hops root first with their activity, and the run's findings.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = RunDetail.class)))
    @ApiResponse(responseCode = "404", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> run(@RequestBean RunRequest run, HttpRequest<?> request) {
        only(request, run);
        return json(review.run(run));
    }

    @Get(uri = "/state/timeline", produces = JSON)
    @Operation(summary = "Timeline of a state", description = "Reads, writes, deletes, locks (with holder details) of one "
            + "state key, newest first. Findings on the state: /api/findings?stateKey=…; its lock now: /api/locks?stateKey=….")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = ActivityPage.class)))
    @ApiResponse(responseCode = "404", description = "state never seen", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> stateTimeline(@RequestBean StateTimelineRequest state, @RequestBean PageRequest page, HttpRequest<?> request) {
        only(request, state, page);
        return json(ApiJson.page(review.stateTimeline(state, page)));
    }

    @Get(uri = "/state/timeline.csv", produces = CSV)
    @Operation(summary = "Timeline of a state as CSV", description = "key, from, to as for /api/state/timeline; at most 10,000 rows.")
    public HttpResponse<String> stateTimelineCsv(@RequestBean StateTimelineRequest state, HttpRequest<?> request) {
        only(request, state);
        Review.Export<Activity> e = review.exportStateTimeline(state);
        return csv("state-timeline", CsvWriter.write(Tables.ACTIVITY, e.items()), e.truncated());
    }

    @Get(uri = "/activity", produces = JSON)
    @Operation(summary = "Activity of a repository or subject pattern", description = "Give exactly one of repository or subject.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = ActivityPage.class)))
    public HttpResponse<String> activity(@RequestBean ActivityRequest activity, @RequestBean PageRequest page, HttpRequest<?> request) {
        only(request, activity, page);
        return json(ApiJson.page(review.activity(activity, page)));
    }

    @Get(uri = "/activity.csv", produces = CSV)
    @Operation(summary = "Activity as CSV")
    public HttpResponse<String> activityCsv(@RequestBean ActivityRequest activity, HttpRequest<?> request) {
        only(request, activity);
        Review.Export<Activity> e = review.exportActivity(activity);
        return csv("activity", CsvWriter.write(Tables.ACTIVITY, e.items()), e.truncated());
    }

    @Get(uri = "/locks", produces = JSON)
    @Operation(summary = "Open locks", description = "Locks acquired and not released, oldest first, with age, holder run "
            + "and lock body (Who, Operation, ID).")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, array = @io.swagger.v3.oas.annotations.media.ArraySchema(schema = @Schema(implementation = LockView.class))))
    public HttpResponse<String> locks(@RequestBean LocksRequest locks, HttpRequest<?> request) {
        only(request, locks);
        return json(ApiJson.array(review.locks(locks)));
    }

    @Get(uri = "/locks.csv", produces = CSV)
    @Operation(summary = "Open locks as CSV")
    public HttpResponse<String> locksCsv(@RequestBean LocksRequest locks, HttpRequest<?> request) {
        only(request, locks);
        return csv("locks", CsvWriter.write(Tables.LOCKS, review.locks(locks)), false);
    }

    @Get(uri = "/findings", produces = JSON)
    @Operation(summary = "Findings", description = "Newest first.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = FindingPage.class)))
    @ApiResponse(responseCode = "400", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> findings(@RequestBean FindingsRequest findings, @RequestBean PageRequest page, HttpRequest<?> request) {
        only(request, findings, page);
        return json(ApiJson.page(review.findings(findings, page)));
    }

    @Get(uri = "/findings.csv", produces = CSV)
    @Operation(summary = "Findings as CSV", description = "Same filters as /api/findings without paging (at most 10,000 rows).")
    public HttpResponse<String> findingsCsv(@RequestBean FindingsRequest findings, HttpRequest<?> request) {
        only(request, findings);
        Review.Export<Finding> e = review.exportFindings(findings);
        return csv("findings", CsvWriter.write(Tables.FINDINGS, e.items()), e.truncated());
    }

    @Get(uri = "/findings/{id}", produces = JSON)
    @Operation(summary = "One finding")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = FindingSchema.class)))
    @ApiResponse(responseCode = "404", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> finding(@RequestBean FindingRequest finding, HttpRequest<?> request) {
        only(request, finding);
        return json(io.statetrail.core.finding.FindingJson.toJson(review.finding(finding), review.statusHistory(finding)));
    }

    @Get(uri = "/findings/{id}/evidence", produces = JSON)
    @Operation(summary = "A finding's evidence", description = "Each call the finding names, once per call (its copies' "
            + "eventIDs together): time, event source and name, source address (sourceIPAddress), user agent, caller, "
            + "error, and whether its CloudTrail record was kept (then /api/calls/{eventId}/record shows it). "
            + "Text fields are as CloudTrail logged them, chosen by the caller where the caller chose them.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = Evidence.class)))
    @ApiResponse(responseCode = "404", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> evidence(@RequestBean FindingRequest finding, HttpRequest<?> request) {
        only(request, finding);
        return json(review.evidence(finding));
    }

    @Get(uri = "/calls/{eventId}/record", produces = JSON)
    @Operation(summary = "The CloudTrail record of a call", description = "The record as CloudTrail sent it, kept at "
            + "ingestion with its secrets removed (session token, secret access key, OIDC token, SAML assertion, "
            + "signatures: docs/security.md). By the eventID of the copy the audit trail keeps, as the evidence lists it.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = JSON, schema = @Schema(implementation = CallRecordBody.class)))
    @ApiResponse(responseCode = "400", description = "not an eventID", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "unknown call, or its record was not kept", content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<String> callRecord(@RequestBean CallRecordRequest call, HttpRequest<?> request) {
        only(request, call);
        return json(review.callRecord(call));
    }

    @Get(uri = "/overview", produces = JSON)
    @Operation(summary = "Dashboard overview", description = "Findings per day and severity, latest critical and high "
            + "findings, open locks, runs per repository in the last `hours`.")
    public HttpResponse<String> overview(@RequestBean OverviewRequest overview, HttpRequest<?> request) {
        only(request, overview);
        return json(review.overview(overview));
    }

    /**
     * Refuses a repeated parameter (ambiguous) and one that the endpoint's request records do not declare (a typo must
     * not silently widen a search), before any value is read.
     */
    private static void only(HttpRequest<?> request, Record... bound) {
        Map<String, List<String>> given = request.getParameters().asMap();
        for (Map.Entry<String, List<String>> e : given.entrySet()) {
            if (e.getValue().size() > 1) {
                throw BadQuery.invalid("parameter '" + QueryParams.clip(e.getKey()) + "' is given more than once");
            }
        }
        List<Class<? extends Record>> types = new ArrayList<>();
        for (Record r : bound) {
            types.add(r.getClass());
        }
        QueryParams.allow(given.keySet(), RequestRecords.queryNames(types));
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

    @Schema(name = "CallRecord")
    record CallRecordBody(String eventId, List<String> eventIds,
                          @Schema(description = "the CloudTrail record, secrets removed", type = "object") Map<String, Object> record) {
    }

    @Schema(name = "FindingPage")
    record FindingPage(List<FindingSchema> items, String next) {
    }

}
