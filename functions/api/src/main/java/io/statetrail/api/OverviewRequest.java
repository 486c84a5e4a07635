package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Instant;

/** What the dashboard's first screen covers: {@code GET /api/overview}. */
@Introspected
public record OverviewRequest(
        @Parameter(description = "end of the window (default: now); an ISO-8601 instant, a date (2026-11-05) or a time before now (30m, 24h, 7d)")
        @Nullable @QueryValue String to,
        @Parameter(description = "days in the chart (1.." + OverviewRequest.MAX_DAYS + ", default " + OverviewRequest.DEFAULT_DAYS + ")")
        @Nullable @QueryValue String days,
        @Parameter(description = "hours of runs (1.." + 24 * OverviewRequest.MAX_DAYS + ", default " + OverviewRequest.DEFAULT_HOURS + ")")
        @Nullable @QueryValue String hours,
        @Parameter(description = "only findings, locks and runs of this repository (owner/repo)")
        @Nullable @QueryValue String repository) {

    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 14;
    static final int DEFAULT_HOURS = 24;

    public OverviewRequest {
        to = given(to);
        days = given(days);
        hours = given(hours);
        repository = given(repository);
    }

    /** The window read, with every default filled in. */
    record Window(Instant to, int days, int hours, String repository) {
    }

    /** Refuses a value that cannot be read, with its parameter's name. */
    Window window(Instant now) {
        Instant end = QueryParams.instant("to", to, now);
        return new Window(end != null ? end : now, QueryParams.intValue("days", days, DEFAULT_DAYS, 1, MAX_DAYS),
                QueryParams.intValue("hours", hours, DEFAULT_HOURS, 1, 24 * MAX_DAYS), QueryParams.text("repository", repository));
    }
}
