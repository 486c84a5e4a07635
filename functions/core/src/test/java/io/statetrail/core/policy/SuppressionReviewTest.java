package io.statetrail.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionReviewTest {

    static final String POLICY = """
            suppressions:
              - type: stale-lock
                state: "acme-tfstate-prod/batch/*"
                reason: nightly batch holds its lock for hours
              - type: force-unlock
                subject: "repo:acme/infra:environment:*"
                reason: production releases stuck locks
                expires: 2026-12-10
              - type: unexpected-subject
                subject: "repo:acme/infra:ref:refs/heads/feature/*"
                reason: feature branches may plan
                expires: 2026-12-31
            """;

    static Finding finding(String type, String subject, String stateKey, String time) {
        return new Finding(type + "-1", type, Severity.MEDIUM, Instant.parse(time), "222222222222", subject, null, null, null, stateKey,
                null, null, List.of(), List.of(), "s", 1, Map.of(), null, false);
    }

    static List<String> review(LocalDate today, List<Finding> recent) {
        Policy p = PolicyLoader.parse(POLICY, "policy.yaml", LocalDate.parse("2026-11-01"));
        return SuppressionReview.of(p, today, recent).stream().map(i -> i.suppression().line() + " " + i.kind().id()).toList();
    }

    @Test
    void anEntryThatMatchedAFindingInTheLast30DaysIsInUse() {
        List<Finding> recent = List.of(
                finding("stale-lock", null, "acme-tfstate-prod/batch/terraform.tfstate", "2026-11-20T03:00:00Z"),
                finding("unexpected-subject", "repo:acme/infra:ref:refs/heads/feature/x", null, "2026-11-25T10:00:00Z"),
                // Same subject, other type: does not use the force-unlock entry.
                finding("stale-lock", "repo:acme/infra:environment:production", "acme-tfstate-prod/app/terraform.tfstate",
                        "2026-11-25T10:00:00Z"));

        assertEquals(List.of("5 unused"), review(LocalDate.parse("2026-12-01"), recent));
    }

    @Test
    void aMatchOlderThan30DaysDoesNotCount() {
        List<Finding> recent = List.of(finding("stale-lock", null, "acme-tfstate-prod/batch/terraform.tfstate", "2026-10-31T23:59:59Z"));

        assertEquals(List.of("2 unused", "5 unused", "9 unused"), review(LocalDate.parse("2026-12-01"), recent));
    }

    @Test
    void anEntryPastItsDateIsExpiredAndOneWithinAWeekIsExpiring() {
        List<Finding> recent = List.of(
                finding("stale-lock", null, "acme-tfstate-prod/batch/terraform.tfstate", "2026-12-20T03:00:00Z"),
                finding("force-unlock", "repo:acme/infra:environment:production", null, "2026-12-05T03:00:00Z"),
                finding("unexpected-subject", "repo:acme/infra:ref:refs/heads/feature/x", null, "2026-12-20T10:00:00Z"));

        assertEquals(List.of("5 expired", "9 expiring"), review(LocalDate.parse("2026-12-24"), recent));
        assertEquals(List.of("5 expiring", "9 unused"), review(LocalDate.parse("2026-12-03"), recent.subList(0, 2)));
    }
}
