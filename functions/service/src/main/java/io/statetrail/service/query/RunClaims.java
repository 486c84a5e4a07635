package io.statetrail.service.query;

import io.statetrail.core.lineage.Claim;
import io.statetrail.core.lineage.Claims;
import java.util.Collection;
import java.util.List;

/**
 * What a run claims about itself (issue 20): read from its sessions' tags, user agents, session names and source
 * identity, set by its own client and so never verified, unlike its subject. Each value says where it came from;
 * {@code url} is the run's GitHub page when the provider is GitHub and a run id is claimed.
 */
public record RunClaims(Claimed runId, Claimed runAttempt, Claimed workflow, Claimed actor, Claimed commit, Claimed branch,
                        Claimed repository, String url) {

    /** A claimed value and its source ({@code tag:Branch}, {@code userAgent}, {@code roleSessionName}, …). */
    public record Claimed(String value, String source) {
    }

    public static final RunClaims NONE = new RunClaims(null, null, null, null, null, null, null, null);

    /** The best claim of each field (the core's choice, independent of arrival order) and the run's page. */
    public static RunClaims of(Collection<Claim> claims, String provider, String verifiedRepository) {
        Claims c = Claims.union(List.of(List.copyOf(claims)));
        if (c.isEmpty()) {
            return NONE;
        }
        return new RunClaims(get(c, "runId"), get(c, "runAttempt"), get(c, "workflow"), get(c, "actor"), get(c, "commit"),
                get(c, "branch"), get(c, "repository"), c.runUrl(provider, verifiedRepository).orElse(null));
    }

    private static Claimed get(Claims c, String field) {
        return c.get(field).map(x -> new Claimed(x.value(), x.source())).orElse(null);
    }
}
