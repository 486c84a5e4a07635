package io.statetrail.core.review;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.FEATURE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.PLAN_ROLE;
import static io.statetrail.core.fixture.Acme.PULL_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCheckTest {

    private static final String POLICY = """
            roles:
              - arn: "arn:aws:iam::222222222222:role/gha-prod-apply"
                subjects: ["repo:acme/infra:ref:refs/heads/main", "repo:acme/infra:environment:production"]
              - arn: "arn:aws:iam::222222222222:role/gha-retired"
                subjects: ["repo:acme/legacy:*"]
            states:
              - key: "acme-tfstate-prod/infra/*"
                writers: ["repo:acme/infra:ref:refs/heads/main", "arn:aws:iam::222222222222:user/breakglass"]
                readers: ["repo:acme/infra:pull_request"]
              - key: "acme-tfstate-prod/infra/network/*"
                writers: ["repo:acme/infra:ref:refs/heads/main"]
              - key: "acme-tfstate-prod/old/*"
                writers: []
            lockTables: ["acme-tf-locks", "acme-old-locks"]
            suppressions:
              - type: unexpected-subject
                subject: "repo:acme/infra:ref:refs/heads/feature/*"
                reason: feature branches may plan (INFRA-9)
              - type: stale-lock
                state: "acme-tfstate-prod/batch/*"
                reason: nightly batch
              - type: force-unlock
                state: "acme-tfstate-prod/*"
                reason: expired exception
                expires: 2026-01-31
              - type: oidc-role-unlisted
                role: "arn:aws:iam::222222222222:role/eks-*"
                reason: EKS roles are listed elsewhere
            """;

    @TempDir
    Path tmp;

    @Test
    void listsWhatMatchedNothingWhatWasNotAllowedAndWhichSuppressionsMatchedNoFinding() throws IOException {
        Scenario s = new Scenario();
        Credentials main = s.login(MAIN, APPLY_ROLE);
        main.lockItem("acme-tf-locks", BUCKET + "/infra/network/terraform.tfstate");
        main.write(BUCKET, "infra/network/terraform.tfstate");
        main.unlockItem("acme-tf-locks", BUCKET + "/infra/network/terraform.tfstate");
        s.login(FEATURE, APPLY_ROLE).read(BUCKET, "infra/dns/terraform.tfstate");
        s.login(PULL_REQUEST, PLAN_ROLE).write(BUCKET, "infra/dns/terraform.tfstate");
        Path trail = tmp.resolve("trail.jsonl");
        Files.writeString(trail, Rec.jsonLines(s.records()));
        // Loaded before the force-unlock entry expired: loaded later, it is refused (PolicySchemaTest).
        Policy policy = PolicyLoader.parse(POLICY, "policy.yaml", java.time.LocalDate.parse("2026-01-31"));

        PolicyCheck.Report r = PolicyCheck.check(policy, new Replay(policy).run(List.of(trail), null));

        assertEquals(List.of(
                        "unused-role 4 arn:aws:iam::222222222222:role/gha-retired null 0",
                        "unused-subject 2 arn:aws:iam::222222222222:role/gha-prod-apply repo:acme/infra:environment:production 0",
                        // shadowed: infra/* comes first and decides every state it names
                        "unused-state 10 acme-tfstate-prod/infra/network/* null 0",
                        "unused-state 12 acme-tfstate-prod/old/* null 0",
                        "unused-writer 7 acme-tfstate-prod/infra/* arn:aws:iam::222222222222:user/breakglass 0",
                        "unused-reader 7 acme-tfstate-prod/infra/* repo:acme/infra:pull_request 0",
                        "unused-lock-table 0 acme-old-locks null 0",
                        "not-allowed-login 0 arn:aws:iam::222222222222:role/gha-prod-apply repo:acme/infra:ref:refs/heads/feature/faster-plans 1",
                        "not-allowed-login 0 arn:aws:iam::222222222222:role/gha-prod-plan repo:acme/infra:pull_request 1",
                        "not-allowed-write 7 acme-tfstate-prod/infra/dns/terraform.tfstate repo:acme/infra:pull_request 1",
                        "not-allowed-read 7 acme-tfstate-prod/infra/dns/terraform.tfstate repo:acme/infra:ref:refs/heads/feature/faster-plans 1",
                        "unused-suppression 19 stale-lock null 0",
                        "unused-suppression 22 force-unlock null 0"),
                r.items().stream().map(i -> i.kind().id() + " " + i.line() + " " + i.entry() + " " + i.value() + " " + i.runs()).toList());
        assertEquals("expired on 2026-01-31", r.items().get(r.items().size() - 1).text());
        assertEquals(1, r.postureSuppressions(), "posture findings are not in a replay");
    }

    @Test
    void aDraftChecksCleanAgainstItsOwnTrail() {
        Path events = PolicyDraftTest.EVENTS;
        Policy draft = PolicyDraftTest.drafted(List.of(events));

        PolicyCheck.Report r = PolicyCheck.check(draft, new Replay(draft).run(List.of(events), null));

        assertTrue(r.items().stream().noneMatch(i -> i.kind().name().startsWith("NOT_ALLOWED") || i.kind().name().startsWith("UNUSED")),
                String.valueOf(r.items()));
    }
}
