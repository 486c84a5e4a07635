package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;
import static io.statetrail.api.QueryParams.text;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Instant;

/**
 * Whose activity and when: {@code GET /api/activity} (with a {@link PageRequest}), its CSV, {@code query repo} (which
 * takes the repository or subject as its argument).
 */
@Introspected
public record ActivityRequest(
        @Parameter(description = "runs of this repository (owner/repo); give this or subject")
        @Cli(label = "OWNER/REPO") @Nullable @QueryValue String repository,
        @Parameter(description = "runs whose subject matches this glob, e.g. repo:acme/*:pull_request; give this or repository")
        @Cli(label = "GLOB") @Nullable @QueryValue String subject,
        @Parameter(description = QueryParams.FROM) @Cli(label = "TIME") @Nullable @QueryValue String from,
        @Parameter(description = QueryParams.TO) @Cli(label = "TIME") @Nullable @QueryValue String to) {

    public ActivityRequest {
        repository = given(repository);
        subject = given(subject);
        from = given(from);
        to = given(to);
    }

    /** The repository or the subject glob; refused unless exactly one is given and a repository is owner/repo. */
    String target() {
        String repo = text("repository", repository);
        String glob = text("subject", subject);
        if ((repo == null) == (glob == null)) {
            throw BadQuery.invalid("give exactly one of 'repository' (owner/repo) or 'subject' (a glob such as repo:acme/infra:*)");
        }
        if (repo != null && (repo.indexOf('/') <= 0 || repo.startsWith("repo:"))) {
            throw BadQuery.invalid("repository '" + QueryParams.clip(repo) + "' is not owner/repo (use 'subject' for a subject pattern)");
        }
        return repo != null ? repo : glob;
    }

    QueryParams.Range range(Instant now) {
        return QueryParams.closedRange(from, to, now);
    }
}
