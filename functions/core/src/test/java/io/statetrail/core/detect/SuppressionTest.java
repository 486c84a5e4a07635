package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY_YAML;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Suppressions apply where every finding is drafted: judged on the finding and the day it happened. */
class SuppressionTest {

    /** The line of the first entry appended after the fixture policy: its lines, then {@code suppressions:}. */
    private static final long FIRST_ENTRY_LINE = POLICY_YAML.lines().count() + 2;

    /** The scenario's records happen on 2026-11-04; the policy is loaded on 2026-11-01. */
    private static Policy policy(String suppressions) {
        return PolicyLoader.parse(POLICY_YAML + suppressions, "acme-policy.yaml", LocalDate.parse("2026-11-01"));
    }

    private static Scenario forceUnlockByProduction() {
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE).lockItem(LOCK_TABLE, STATE_KEY);
        s.login(PRODUCTION, APPLY_ROLE).unlockItem(LOCK_TABLE, STATE_KEY);
        return s;
    }

    @Test
    void aMatchingFindingIsKeptAndSaysWhichEntrySuppressedIt() {
        Policy p = policy("""
                suppressions:
                  - type: force-unlock
                    subject: "repo:acme/infra:environment:*"
                    reason: "releases stuck locks <by design>"
                    expires: 2026-11-30
                """);

        Finding f = forceUnlockByProduction().replay(p).only(FindingType.FORCE_UNLOCK);

        assertTrue(f.suppressed());
        // The entry's line in the file: after the policy's own lines and "suppressions:".
        assertEquals("line " + FIRST_ENTRY_LINE + ": releases stuck locks <by design>", f.details().get(Finding.SUPPRESSED_BY));
        assertTrue(FindingJson.toJson(f).path("suppressed").asBoolean());
        assertEquals(f, FindingJson.fromLine(FindingJson.toLine(f)), "the mark survives the store's JSON");
    }

    @Test
    void anEntryWhoseGlobsDoNotAllMatchLeavesTheFindingAsItWas() {
        Policy p = policy("""
                suppressions:
                  - type: force-unlock
                    subject: "repo:acme/infra:environment:*"
                    state: "acme-tfstate-prod/website/*"
                    reason: other state
                  - type: stale-lock
                    subject: "repo:acme/infra:environment:*"
                    reason: other type
                """);

        Finding f = forceUnlockByProduction().replay(p).only(FindingType.FORCE_UNLOCK);

        assertFalse(f.suppressed());
        assertNull(f.details().get(Finding.SUPPRESSED_BY));
        assertTrue(FindingJson.toJson(f).path("suppressed").isMissingNode(), "only a suppressed finding says so");
    }

    @Test
    void expiryIsJudgedOnTheDayTheFindingHappenedNotWhenItIsJudged() {
        // Expired on 2026-11-03, the day before the force-unlock: the finding is paged, whenever it is replayed.
        Policy lapsedBefore = policy("""
                suppressions:
                  - type: force-unlock
                    subject: "repo:acme/infra:environment:*"
                    reason: until the migration
                    expires: 2026-11-03
                """);
        Policy lastDay = policy("""
                suppressions:
                  - type: force-unlock
                    subject: "repo:acme/infra:environment:*"
                    reason: until the migration
                    expires: 2026-11-04
                """);

        assertFalse(forceUnlockByProduction().replay(lapsedBefore).only(FindingType.FORCE_UNLOCK).suppressed());
        Finding judgedLater = forceUnlockByProduction().replay(lastDay, java.time.Instant.parse("2027-03-01T00:00:00Z"))
                .only(FindingType.FORCE_UNLOCK);
        assertTrue(judgedLater.suppressed(), "judged months later, it happened on the entry's last day");
    }

    @Test
    void theFirstMatchingEntryInFileOrderIsNamed() {
        Policy p = policy("""
                suppressions:
                  - type: force-unlock
                    state: "acme-tfstate-prod/infra/*"
                    reason: first
                  - type: force-unlock
                    subject: "repo:acme/infra:*"
                    reason: second
                """);

        assertEquals("line " + FIRST_ENTRY_LINE + ": first", forceUnlockByProduction().replay(p).only(FindingType.FORCE_UNLOCK).details().get(Finding.SUPPRESSED_BY));
    }
}
