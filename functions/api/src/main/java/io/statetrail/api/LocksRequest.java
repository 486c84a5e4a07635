package io.statetrail.api;

import static io.statetrail.api.QueryParams.given;
import static io.statetrail.api.QueryParams.text;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.statetrail.service.query.OpenLock;

/** Which open locks: {@code GET /api/locks}, {@code /api/locks.csv}, {@code query locks}; nothing given is all of them. */
@Introspected
public record LocksRequest(
        @Parameter(description = "only the lock of this state (<bucket>/<key>)")
        @Cli(label = "STATE_KEY", option = "--state") @Nullable @QueryValue String stateKey,
        @Parameter(description = "only locks held by runs of this repository (owner/repo)")
        @Cli(label = "OWNER/REPO") @Nullable @QueryValue String repository) {

    public LocksRequest {
        stateKey = given(stateKey);
        repository = given(repository);
    }

    /** Refuses a value that cannot be read, with its parameter's name. */
    LocksRequest checked() {
        text("stateKey", stateKey);
        text("repository", repository);
        return this;
    }

    boolean shows(OpenLock l) {
        return (stateKey == null || stateKey.equals(l.stateKey())) && (repository == null || repository.equals(l.repository()));
    }
}
