package io.statetrail.service.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweeper's report of suppressions: read through the findings query, page by page, a type only as far as needed. */
class SuppressionCheckTest {

    static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");
    static final Policy POLICY = PolicyLoader.parse("""
            suppressions:
              - type: stale-lock
                state: "acme-tfstate-prod/batch/*"
                reason: nightly batch
              - type: stale-lock
                state: "acme-tfstate-prod/old/*"
                reason: retired states
              - type: force-unlock
                subject: "repo:acme/infra:environment:*"
                reason: production releases stuck locks
                expires: 2026-11-30
            """, "policy.yaml", LocalDate.parse("2026-11-01"));

    final List<Finding> stored = new ArrayList<>();
    final List<FindingQuery> asked = new ArrayList<>();

    /** The findings query's contract: newest first, by type, withdrawn ones when asked, pages with a cursor. */
    Page<Finding> findings(FindingQuery q) {
        asked.add(q);
        List<Finding> match = stored.stream().filter(f -> f.type().equals(q.type()) && !f.time().isBefore(q.from()) && f.time().isBefore(q.to()))
                .sorted((a, b) -> b.time().compareTo(a.time())).toList();
        int start = q.cursor() == null ? 0 : Integer.parseInt(q.cursor());
        int end = Math.min(match.size(), start + q.limit());
        return new Page<>(match.subList(start, end), end < match.size() ? String.valueOf(end) : null);
    }

    static Finding stale(String stateKey, Instant time) {
        return new Finding("stale-lock-" + time.getEpochSecond(), "stale-lock", Severity.MEDIUM, time, "222222222222", null, null, null,
                null, stateKey, null, null, List.of(), List.of(), "s", 1, Map.of(), null, false);
    }

    @Test
    void reportsTheExpiredEntryAndTheOneThatMatchedNothingIn30Days() {
        for (int i = 0; i < SuppressionCheck.PAGE + 10; i++) {
            stored.add(stale("acme-tfstate-prod/batch/terraform.tfstate", NOW.minusSeconds(60L * i)));
        }
        stored.add(stale("acme-tfstate-prod/old/terraform.tfstate", NOW.minusSeconds(86_400L * 31))); // before the 30 days

        List<String> report = new SuppressionCheck(POLICY, this::findings).run(NOW).stream()
                .map(i -> i.suppression().line() + " " + i.kind().id()).toList();

        assertEquals(List.of("5 unused", "8 expired"), report);
        assertEquals(FindingQuery.Withdrawn.INCLUDE, asked.get(0).withdrawn());
    }

    @Test
    void aTypeIsReadOnlyUntilEveryEntryOfItMatched() {
        for (int i = 0; i < 3 * SuppressionCheck.PAGE; i++) {
            stored.add(stale(i % 2 == 0 ? "acme-tfstate-prod/batch/a.tfstate" : "acme-tfstate-prod/old/b.tfstate", NOW.minusSeconds(60L * i)));
        }

        List<String> report = new SuppressionCheck(POLICY, this::findings).run(NOW).stream()
                .map(i -> i.suppression().line() + " " + i.kind().id()).toList();

        assertEquals(List.of("8 expired"), report);
        assertEquals(1, asked.stream().filter(q -> q.type().equals("stale-lock")).count(), "one page showed both entries in use");
    }
}
