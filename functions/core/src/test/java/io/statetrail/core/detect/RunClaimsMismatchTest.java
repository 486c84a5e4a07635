package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.FEATURE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/detections.md, run-claims-mismatch: the claims a run sets contradict the subject STS verified. */
class RunClaimsMismatchTest {

    static final String UA = "aws-sdk-js/3.1111.0 ua/2.1 os/linux#6.11.0-1018-azure lang/js md/nodejs#24.4.0 api/sts#3.1111.0 m/N,E,e"
            + " configure-aws-credentials-for-github-actions md/action#__aws-actions_configure-aws-credentials md/run_id#16016216621"
            + " md/attempt#2";

    static Map<String, String> tags(String repository, String branch) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("GitHub", "Actions");
        t.put("Repository", repository);
        t.put("Workflow", "Deploy _prod_");
        t.put("Action", "__aws-actions_configure-aws-credentials");
        t.put("Actor", "octocat");
        t.put("Commit", "3f786850e387550fdab836ed7e6dc881de23001b");
        t.put("Branch", branch);
        t.put("RunId", "16016216621");
        return t;
    }

    @Test
    void claimsThatMatchTheSubjectRaiseNothingAndAppearOnTheRunsFindings() {
        Scenario s = new Scenario();
        Credentials hop = s.login(MAIN, TOOLING_ROLE).assumeRoleTagged(TERRAFORM_PROD_ROLE, tags("acme/infra", "refs/heads/main"), UA);
        hop.lock(BUCKET, STATE);
        hop.write(BUCKET, STATE);
        // A lock left behind gives a finding about the run: it shows the claims, labelled as such.
        Finding stale = s.replay(POLICY, s.clock().plusSeconds(7200)).only(FindingType.STALE_LOCK);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.RUN_CLAIMS_MISMATCH));
        assertEquals("16016216621", stale.details().get("claims.runId"));
        assertEquals("tag:RunId", stale.details().get("claims.runId.source"));
        assertEquals("2", stale.details().get("claims.runAttempt"));
        assertEquals("userAgent", stale.details().get("claims.runAttempt.source"));
        assertEquals("refs/heads/main", stale.details().get("claims.branch"));
        assertEquals("octocat", stale.details().get("claims.actor"));
        assertEquals("https://github.com/acme/infra/actions/runs/16016216621/attempts/2", stale.details().get("claims.url"));
    }

    @Test
    void aTaggedRepositoryOtherThanTheSubjectsIsAMismatch() {
        Scenario s = new Scenario();
        Credentials login = s.login(MAIN, TOOLING_ROLE);
        Credentials hop = login.assumeRoleTagged(TERRAFORM_PROD_ROLE, tags("acme/website", "refs/heads/main"), UA);

        Finding f = s.replay(POLICY).only(FindingType.RUN_CLAIMS_MISMATCH);

        assertEquals("high", f.severity().label());
        assertEquals(MAIN, f.subject());
        assertEquals(hop.key(), f.accessKeyId());
        assertEquals(TERRAFORM_PROD_ROLE, f.roleArn());
        assertEquals(login.key(), f.runKey());
        assertEquals("acme/website", f.details().get("claimedRepository"));
        assertEquals("repository 'acme/website' (tag:Repository) where the subject says 'acme/infra'", f.details().get("contradiction"));
        assertTrue(f.summary().contains("claims repository 'acme/website'"), f.summary());
    }

    @Test
    void aClaimedBranchOtherThanTheSubjectsRefIsAMismatchAndTheSanitisedFormIsNot() {
        Scenario s = new Scenario();
        s.login(FEATURE, TOOLING_ROLE).assumeRoleTagged(TERRAFORM_PROD_ROLE, tags("acme/infra", "refs/heads/main"), UA);
        Finding f = s.replay(POLICY).only(FindingType.RUN_CLAIMS_MISMATCH);
        assertEquals("refs/heads/main", f.details().get("claimedBranch"));
        assertEquals("branch 'refs/heads/main' (tag:Branch) where the subject says 'refs/heads/feature/faster-plans'",
                f.details().get("contradiction"));

        // configure-aws-credentials writes "feat#1" as "feat_1": the same branch, not a contradiction.
        Scenario sanitised = new Scenario();
        sanitised.login("repo:acme/infra:ref:refs/heads/feat#1", TOOLING_ROLE)
                .assumeRoleTagged(TERRAFORM_PROD_ROLE, tags("Acme/Infra", "refs/heads/feat_1"), UA);
        assertEquals(List.of(), sanitised.replay(POLICY).ofType(FindingType.RUN_CLAIMS_MISMATCH));
    }

    @Test
    void subjectsWithoutARefAreNotComparedOnBranch() {
        Scenario s = new Scenario();
        // A deployment environment's subject names no ref; GITHUB_REF is whatever branch deployed.
        s.login(PRODUCTION, APPLY_ROLE).assumeRoleTagged(TERRAFORM_PROD_ROLE, tags("acme/infra", "refs/heads/release"), UA);
        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.RUN_CLAIMS_MISMATCH));
    }

    @Test
    void oneFindingPerRunListingEveryContradiction() {
        Scenario s = new Scenario();
        Credentials login = s.login(FEATURE, TOOLING_ROLE);
        login.assumeRoleTagged(TERRAFORM_PROD_ROLE, tags("acme/infra", "refs/heads/main"), UA)
                .assumeRoleTagged(APPLY_ROLE, tags("evil/infra", "refs/heads/main"), UA);

        Finding f = s.replay(POLICY).only(FindingType.RUN_CLAIMS_MISMATCH);

        assertEquals(2, f.count());
        assertEquals("branch 'refs/heads/main' (tag:Branch) where the subject says 'refs/heads/feature/faster-plans';"
                + " repository 'evil/infra' (tag:Repository) where the subject says 'acme/infra'", f.details().get("contradiction"));
        assertEquals(4, f.eventIds().stream().distinct().count(), "both hops (two copies of the cross-account one) and the login");
    }
}
