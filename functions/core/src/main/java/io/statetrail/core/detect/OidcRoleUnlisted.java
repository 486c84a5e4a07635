package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.iam.IamRole;
import io.statetrail.core.policy.ProviderFamily;
import io.statetrail.core.subject.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A role trusts a CI system's OIDC provider (GitHub, GitLab, HCP Terraform) and no policy entry covers it: every login to
 * it would be {@code unexpected-subject}, and how wide its trust may be is nowhere written down.
 */
public final class OidcRoleUnlisted implements PostureCheck {

    @Override
    public FindingType type() {
        return FindingType.OIDC_ROLE_UNLISTED;
    }

    @Override
    public List<Finding> check(Posture p) {
        List<Finding> out = new ArrayList<>();
        for (IamRole role : p.oidcRoles()) {
            if (!role.entriesIn(p.policy()).isEmpty()) {
                continue;
            }
            TreeSet<String> systems = new TreeSet<>();
            for (String provider : Posture.providers(role)) {
                ProviderFamily.ciSystemOf(provider).map(OidcRoleUnlisted::name).ifPresent(systems::add);
            }
            if (systems.isEmpty()) {
                continue;
            }
            out.add(p.draft(type(), role)
                    .detail("ciSystems", String.join(",", systems))
                    .summary("Role " + role.arn() + " trusts " + String.join(" and ", systems)
                            + " OIDC tokens but no policy entry covers it (its sub conditions: " + Posture.subConditions(role) + ")")
                    .build());
        }
        return out;
    }

    private static String name(Subject.Issuer issuer) {
        return switch (issuer) {
            case GITHUB -> "GitHub";
            case GITLAB -> "GitLab";
            case HCP_TERRAFORM -> "HCP Terraform";
            default -> issuer.name().toLowerCase(Locale.ROOT);
        };
    }
}
