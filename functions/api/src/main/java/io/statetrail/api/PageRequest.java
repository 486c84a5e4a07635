package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;

/**
 * The page of a list endpoint ({@code /api/runs}, {@code /api/findings}, {@code /api/state/timeline},
 * {@code /api/activity}) and of the CLI's list queries: how many rows, and after which cursor.
 */
@Introspected
public record PageRequest(
        @Parameter(description = "rows per page, 1.." + QueryParams.MAX_LIMIT + " (default " + QueryParams.DEFAULT_LIMIT + ")")
        @Cli(label = "N") @Nullable @QueryValue String limit,
        @Parameter(description = "the 'next' of the previous page (the CLI prints it on stderr after a page)")
        @Cli(label = "CURSOR") @Nullable @QueryValue String cursor) {

    public PageRequest {
        limit = given(limit);
        cursor = given(cursor);
    }

    /** Rows per page; refused outside 1..{@value QueryParams#MAX_LIMIT}. */
    int size() {
        return QueryParams.limit(limit);
    }

    /** Where the page starts: the store's cursor, or null for the first page. */
    String start() {
        return QueryParams.text("cursor", cursor);
    }

    /** The same page size, from {@code next}: how the CLI follows every page. */
    public PageRequest next(String next) {
        return new PageRequest(limit, next);
    }
}
