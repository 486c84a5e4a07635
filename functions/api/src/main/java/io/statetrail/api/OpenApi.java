package io.statetrail.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The API description, generated from the controllers at compile time by micronaut-openapi, served at /openapi.yml. */
@OpenAPIDefinition(info = @Info(title = "statetrail", version = "1",
        description = "Incident review of GitHub Actions → AWS (OIDC) → Terraform state: lineage, runs, state timelines, "
                + "activity, open locks and findings. Read-only. Errors: {\"error\":{\"status\",\"code\",\"message\"}}."))
public final class OpenApi {
    static final String RESOURCE = "META-INF/swagger/statetrail-1.yml";

    private OpenApi() {
    }
}
