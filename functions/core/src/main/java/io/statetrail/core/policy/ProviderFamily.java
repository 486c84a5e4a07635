package io.statetrail.core.policy;

import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;

/** Which OIDC providers can issue a subject of a given shape. */
final class ProviderFamily {
    private ProviderFamily() {
    }

    /** True when the provider (ARN or host; null when CloudTrail did not say) can issue subjects like the pattern. */
    static boolean fits(Glob pattern, String provider) {
        if (provider == null || provider.isEmpty()) {
            return true;
        }
        Subject.Issuer issuer = SubjectParser.parse(pattern.pattern()).issuer();
        return switch (issuer) {
            // github.com, GitHub Enterprise Cloud custom issuers (…/<slug>), GHE.com data residency, GHES
            case GITHUB -> provider.contains("token.actions.githubusercontent.com") || provider.contains(".ghe.com")
                    || provider.contains("/_services/token");
            case GITLAB -> provider.contains("gitlab");
            case HCP_TERRAFORM -> provider.contains("app.terraform.io") || provider.contains("terraform");
            default -> true;
        };
    }
}
