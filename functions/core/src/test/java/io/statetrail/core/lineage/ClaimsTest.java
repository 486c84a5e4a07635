package io.statetrail.core.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.SessionTag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a run claims, where each claim comes from, which one is shown, and the URL of the run. */
class ClaimsTest {

    static RoleAssumed assumed(String eventId, String time, String userAgent, String sessionName, String sourceIdentity, SessionTag... tags) {
        EventMeta meta = new EventMeta(eventId, "111111111111", null, Instant.parse(time), "sts.amazonaws.com", "AssumeRole", "eu-west-1",
                "20.169.43.118", userAgent, null, null, Actor.UNKNOWN, null, null);
        return new RoleAssumed(meta, "AssumeRole", "ASIA" + eventId, "arn:aws:iam::111111111111:role/r", sessionName, null, null,
                Instant.parse(time).plusSeconds(3600), null, sourceIdentity, List.of(tags));
    }

    static SessionTag tag(String key, String value) {
        return new SessionTag(SessionTag.Kind.TAG, key, value);
    }

    @Test
    void tagsOfEitherNamingAndTheUserAgentAndSessionNameEachSayWhereTheyComeFrom() {
        RoleAssumed cognito = assumed("e1", "2026-11-04T10:00:00Z", null, "6634485805@65e4b17a18e0f86c7b608703ec4a8340c3461d01", "octo-dev",
                new SessionTag(SessionTag.Kind.PRINCIPAL, "run_id", "6634485805"), new SessionTag(SessionTag.Kind.PRINCIPAL, "ref", "refs/heads/main"),
                new SessionTag(SessionTag.Kind.PRINCIPAL, "sha", "65E4B17A18E0F86C7B608703EC4A8340C3461D01"));
        List<Claim> claims = Claims.of(cognito);

        assertTrue(claims.contains(new Claim("runId", "6634485805", "principalTag:run_id", "e1", cognito.meta().time())));
        assertTrue(claims.contains(new Claim("branch", "refs/heads/main", "principalTag:ref", "e1", cognito.meta().time())));
        assertTrue(claims.contains(new Claim("commit", "65e4b17a18e0f86c7b608703ec4a8340c3461d01", "principalTag:sha", "e1", cognito.meta().time())));
        assertTrue(claims.contains(new Claim("runId", "6634485805", "roleSessionName", "e1", cognito.meta().time())));
        assertTrue(claims.contains(new Claim("actor", "octo-dev", "sourceIdentity", "e1", cognito.meta().time())));
    }

    @Test
    void valuesNotShapedAsOnGitHubAreNoClaimsAndDefaultSessionNamesSayNothing() {
        RoleAssumed r = assumed("e2", "2026-11-04T10:00:00Z", null, "botocore-session-1767225600", null,
                tag("RunId", "12; rm -rf /"), tag("Commit", "not-hex"), tag("RunAttempt", "-1"), tag("Workflow", " "), tag("Cost", "1"));
        assertEquals(List.of(), Claims.of(r));
        assertEquals(List.of(), Claims.of(assumed("e3", "2026-11-04T10:00:00Z", null, "GitHubActions", null)));
        assertEquals("123456789", Claims.of(assumed("e4", "2026-11-04T10:00:00Z", null, "gha-run-123456789-attempt-2", null)).get(0).value());
    }

    @Test
    void theShownClaimIsTheBestSourceThenTheEarliestWhateverTheOrder() {
        RoleAssumed early = assumed("e5", "2026-11-04T10:00:00Z", "configure-aws-credentials-for-github-actions md/run_id#111111 md/attempt#1",
                null, null);
        RoleAssumed late = assumed("e6", "2026-11-04T10:05:00Z", null, null, null, tag("RunId", "222222"));
        RoleAssumed later = assumed("e7", "2026-11-04T10:09:00Z", null, null, null, tag("RunId", "333333"));
        Claims a = Claims.union(List.of(Claims.of(early), Claims.of(late), Claims.of(later)));
        Claims b = Claims.union(List.of(Claims.of(later), Claims.of(early), Claims.of(late)));

        assertEquals("222222", a.get("runId").orElseThrow().value());
        assertEquals(a.get("runId"), b.get("runId"));
        assertEquals(List.of("111111", "333333"), a.others("runId"));
        assertEquals("userAgent", a.get("runAttempt").orElseThrow().source());
    }

    @Test
    void theRunsUrlIsOnTheIssuersGithubInTheVerifiedRepository() {
        Claims c = Claims.union(List.of(Claims.of(assumed("e8", "2026-11-04T10:00:00Z",
                "configure-aws-credentials-for-github-actions md/run_id#16016216621 md/attempt#2", null, null, tag("Repository", "evil/x")))));
        String dotCom = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";

        assertEquals(Optional.of("https://github.com/acme/infra/actions/runs/16016216621/attempts/2"), c.runUrl(dotCom, "acme/infra"));
        assertEquals(Optional.of("https://github.com/evil/x/actions/runs/16016216621/attempts/2"), c.runUrl(dotCom + "/acme-corp", "acme/*"),
                "an enterprise's custom issuer is github.com; an owner-only subject leaves the claimed repository");
        assertEquals(Optional.of("https://octo.ghe.com/acme/infra/actions/runs/16016216621/attempts/2"),
                c.runUrl("arn:aws:iam::111111111111:oidc-provider/token.actions.octo.ghe.com", "acme/infra"));
        assertEquals(Optional.of("https://github.example.com/acme/infra/actions/runs/16016216621/attempts/2"),
                c.runUrl("arn:aws:iam::111111111111:oidc-provider/github.example.com/_services/token", "acme/infra"));
        assertEquals(Optional.empty(), c.runUrl("arn:aws:iam::111111111111:oidc-provider/gitlab.com", "acme/infra"));
        assertEquals(Optional.of("https://github.com/evil/x/actions/runs/16016216621/attempts/2"), c.runUrl(dotCom, "acme/infra\"><script>"),
                "a repository GitHub would not allow never reaches the URL");
        Claims hostile = Claims.union(List.of(Claims.of(assumed("e9", "2026-11-04T10:00:00Z",
                "configure-aws-credentials-for-github-actions md/run_id#1 md/attempt#1", null, null, tag("Repository", "a/b?x=<script>")))));
        assertEquals(Optional.empty(), hostile.runUrl(dotCom, null));
        assertEquals(Optional.empty(), Claims.NONE.runUrl(dotCom, "acme/infra"), "no run id, no URL");
    }
}
