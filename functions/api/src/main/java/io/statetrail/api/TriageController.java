package io.statetrail.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.service.finding.Triage;
import io.statetrail.service.port.AuditStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Set;

/**
 * The one call that changes something: a finding's status. Who is asking comes from {@link Requesters} (the signed
 * IAM principal in AWS; locally the operating-system user, for this server's own pages only). A server over a store
 * that keeps no triage answers 405.
 */
@Controller("/api")
@Tag(name = "triage")
public class TriageController {

    private static final String JSON = MediaType.APPLICATION_JSON;
    private static final Set<String> FIELDS = Set.of("status", "note");

    private final Triage triage;
    private final Requesters requesters;

    public TriageController(@Nullable AuditStore store, @Nullable Requesters requesters) {
        this.triage = store == null ? null : new Triage(store, store, store, Clock.systemUTC());
        this.requesters = requesters;
    }

    @Post(uri = "/findings/{id}/status", consumes = JSON, produces = JSON)
    @Operation(summary = "Change a finding's status", description = "Acknowledge, resolve, mark a false positive or reopen a "
            + "finding, with a note (required for resolved and false-positive). Kept in the finding's history with who and when, "
            + "announced in the finding's Slack thread and on EventBridge, never paged. In AWS the caller is the IAM principal "
            + "that signed the request; locally the request must come from this server's own page (loopback, its "
            + LoopbackRequesters.HEADER + " token, no other origin).",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = JSON, schema = @Schema(implementation = StatusRequest.class))))
    @ApiResponse(responseCode = "200", description = "the finding with its status and history",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = FindingSchema.class)))
    @ApiResponse(responseCode = "400", description = "unknown status, missing or too long note",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = QueryController.ErrorBody.class)))
    @ApiResponse(responseCode = "403", description = "not from this server's page, or unsigned",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = QueryController.ErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "unknown finding",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = QueryController.ErrorBody.class)))
    public HttpResponse<String> status(@PathVariable String id, @Body String body, HttpRequest<?> request) {
        if (triage == null || requesters == null) {
            throw BadQuery.readOnly("this server keeps no finding status");
        }
        String who = requesters.who(request);
        String findingId = new FindingRequest(id).checked();
        StatusRequest r = parse(body);
        Finding f;
        try {
            f = triage.change(findingId, FindingStatus.parse(r.status()), who, r.note())
                    .orElseThrow(() -> BadQuery.notFound("no finding " + findingId));
        } catch (IllegalArgumentException e) {
            throw BadQuery.invalid(e.getMessage());
        }
        return HttpResponse.ok(ApiJson.write(FindingJson.toJson(f, triage.history(findingId)))).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** {@code {"status": "...", "note": "..."}} and nothing else. */
    static StatusRequest parse(String body) {
        JsonNode o;
        try {
            o = ApiJson.MAPPER.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            throw BadQuery.invalid("the body is not JSON: send {\"status\": \"acknowledged\", \"note\": \"…\"}");
        }
        if (o == null || !o.isObject()) {
            throw BadQuery.invalid("send {\"status\": \"acknowledged\", \"note\": \"…\"}");
        }
        o.fieldNames().forEachRemaining(n -> {
            if (!FIELDS.contains(n)) {
                throw BadQuery.invalid("unknown field '" + QueryParams.clip(n) + "' (expected status and note)");
            }
        });
        JsonNode status = o.get("status");
        JsonNode note = o.get("note");
        if (status == null || !status.isTextual() || (note != null && !note.isNull() && !note.isTextual())) {
            throw BadQuery.invalid("status must be one of open, acknowledged, resolved, false-positive and note a string");
        }
        return new StatusRequest(status.asText(), note == null || note.isNull() ? null : note.asText());
    }
}
