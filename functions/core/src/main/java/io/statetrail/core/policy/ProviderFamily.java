package io.statetrail.core.policy;

import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import java.util.Optional;

/** Which OIDC providers can issue a subject of a given shape, and which CI system an OIDC provider belongs to. */
public final class ProviderFamily {
    private ProviderFamily() {
    }

    /** True when the provider (ARN or host; null when CloudTrail did not say) can issue subjects like the pattern. */
    static boolean fits(Glob pattern, String provider) {
        if (provider == null || provider.isEmpty()) {
            return true;
        }
        Subject.Issuer issuer = SubjectParser.parse(pattern.pattern()).issuer();
        return switch (issuer) {
            case GITHUB -> github(provider);
            case GITLAB -> gitlab(provider);
            case HCP_TERRAFORM -> terraform(provider);
            default -> true;
        };
    }

    /**
     * The CI system whose tokens an OIDC provider (ARN or host) accepts: GitHub (github.com, GitHub Enterprise Cloud
     * custom issuers {@code …/<slug>}, GHE.com data residency, GitHub Enterprise Server {@code …/_services/token}), GitLab
     * (gitlab.com or a host named for it), HCP Terraform and Terraform Enterprise; empty for anything else (EKS, Google…).
     */
    public static Optional<Subject.Issuer> ciSystemOf(String provider) {
        if (provider == null) {
            return Optional.empty();
        }
        if (github(provider)) {
            return Optional.of(Subject.Issuer.GITHUB);
        }
        if (gitlab(provider)) {
            return Optional.of(Subject.Issuer.GITLAB);
        }
        if (terraform(provider)) {
            return Optional.of(Subject.Issuer.HCP_TERRAFORM);
        }
        return Optional.empty();
    }

    private static boolean github(String provider) {
        return provider.contains("token.actions.githubusercontent.com") || provider.contains(".ghe.com") || provider.contains("/_services/token");
    }

    private static boolean gitlab(String provider) {
        return provider.contains("gitlab");
    }

    private static boolean terraform(String provider) {
        return provider.contains("app.terraform.io") || provider.contains("terraform");
    }
}
