package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a run claims and the force-unlock verdict, in their own sections of the Slack message. */
class SlackMessageClaimsTest {

    /** A stale lock whose holder run tagged its hop with a hostile Workflow and a branch (events/scenarios/stale-lock-holder-ended). */
    static Finding staleLock(Map<String, String> more) {
        Map<String, String> details = new TreeMap<>();
        details.put("claims.runId", "12188012345");
        details.put("claims.runId.source", "userAgent");
        details.put("claims.workflow", "<!channel> deploy `x` *now*");
        details.put("claims.workflow.source", "tag:Workflow");
        details.put("claims.branch", "main");
        details.put("claims.branch.source", "tag:Branch");
        details.put("claims.url", "https://github.com/acme/infra/actions/runs/12188012345/attempts/1");
        details.put("verdict", "holder-ended");
        details.put("holderEnded", "true");
        details.put("wroteStateAfterLock", "false");
        details.put("holderLastCall", "2026-11-20T08:07:40Z");
        details.put("advice", "The run that holds it has ended: it is safe to force-unlock");
        details.put("lockStore", "s3");
        details.putAll(more);
        return new Finding("stale-lock-0a1b2c3d4e5f60718293", "stale-lock", Severity.MEDIUM, Instant.parse("2026-11-20T08:05:12Z"),
                "222222222222", "repo:acme/infra:ref:refs/heads/main", "acme/infra", "refs/heads/main",
                "arn:aws:iam::222222222222:role/gha-prod-apply", "acme-tfstate-prod/infra/dns/terraform.tfstate", "ASIAW6NHX2PA5XM55PNX",
                "ASIAW6NHX2PA5XM55PNX", List.of("arn:aws:iam::222222222222:role/gha-prod-apply"), List.of("7b1e0c55-3f0a-4f7e-9d8c-2a6b4c1d9e01"),
                "Lock on acme-tfstate-prod/infra/dns/terraform.tfstate (s3) is still held", 1, details, null, false);
    }

    private static List<String> sections(Finding f) {
        JsonNode blocks = SlackMessage.build(Fixtures.alert(f)).get("blocks");
        List<String> out = new java.util.ArrayList<>();
        blocks.forEach(b -> {
            if (b.has("text") && "section".equals(b.get("type").asText())) {
                out.add(b.get("text").get("text").asText());
            }
        });
        return out;
    }

    @Test
    void claimsAreLabelledAsClaimed_escaped_andLinkTheRun() {
        List<String> s = sections(staleLock(Map.of("forceUnlock", "terraform force-unlock 6f1c2f0e-94a3-4b7e-9d55-2c8a0e1b7d34")));
        assertEquals("*Claimed by the run (set by its own client, not verified; the subject is)*"
                + "\nRun id: `12188012345` from `userAgent`"
                + "\nWorkflow: `&lt;!channel&gt; deploy ˋxˋ *now*` from `tag:Workflow`"
                + "\nBranch: `main` from `tag:Branch`"
                + "\n<https://github.com/acme/infra/actions/runs/12188012345/attempts/1|Open the claimed run on GitHub>", s.get(1));
    }

    @Test
    void staleLock_showsTheVerdictAndTheExactCommand_notAmongTheDetails() {
        List<String> s = sections(staleLock(Map.of("forceUnlock", "terraform force-unlock 6f1c2f0e-94a3-4b7e-9d55-2c8a0e1b7d34")));
        assertEquals("*Force-unlock?* `holder-ended`\n`The run that holds it has ended: it is safe to force-unlock`"
                + "\nHolder ended: `true` · wrote the state after taking the lock: `false` · its last call: `2026-11-20T08:07:40Z`"
                + "\nCommand: `terraform force-unlock 6f1c2f0e-94a3-4b7e-9d55-2c8a0e1b7d34`", s.get(2));
        assertEquals("*Details*\nlockStore: `s3`", s.get(3));
    }

    @Test
    void withoutTheLockId_saysTheCommandIsNotKnown() {
        List<String> s = sections(staleLock(Map.of()));
        assertTrue(s.get(2).endsWith("\nCommand: (the lock's ID was not read)"), s.get(2));
    }

    @Test
    void aRunUrlThatCouldBreakTheLinkToken_isLeftOut() {
        List<String> s = sections(staleLock(Map.of("claims.url", "https://github.com/acme/infra|<!channel>")));
        assertFalse(s.get(1).contains("<https"), s.get(1));
        assertFalse(s.get(1).contains("<!channel>"), s.get(1));
    }
}
