package io.statetrail.service.sweep;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.SuppressionReview;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Page;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The sweeper's daily look at the policy's {@code suppressions:} ({@link SuppressionReview}): reads the last 30 days of
 * findings of each suppressed type through the query API's queries (withdrawn ones too) and stops reading a type as soon
 * as every entry of that type has matched one, so a busy type costs one page.
 */
public final class SuppressionCheck {

    static final int PAGE = 500;

    private final Policy policy;
    private final Function<FindingQuery, Page<Finding>> findings;

    /** @param findings the store's findings query ({@code AuditQueries::findings}) */
    public SuppressionCheck(Policy policy, Function<FindingQuery, Page<Finding>> findings) {
        this.policy = policy;
        this.findings = findings;
    }

    public List<SuppressionReview.Item> run(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant from = today.minusDays(SuppressionReview.UNUSED_DAYS).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Finding> recent = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        policy.suppressions().forEach(s -> types.add(s.type()));
        for (String type : types) {
            List<Policy.Suppression> ofType = policy.suppressions().stream().filter(s -> s.type().equals(type)).toList();
            List<Finding> seen = new ArrayList<>();
            String cursor = null;
            do {
                Page<Finding> page = findings.apply(new FindingQuery(from, now.plus(Duration.ofDays(1)), type, null, null, null, null, PAGE,
                        cursor, FindingQuery.Withdrawn.INCLUDE));
                seen.addAll(page.items());
                cursor = page.next();
            } while (cursor != null && !allUsed(ofType, today, seen));
            recent.addAll(seen);
        }
        return SuppressionReview.of(policy, today, recent);
    }

    private static boolean allUsed(List<Policy.Suppression> entries, LocalDate today, List<Finding> seen) {
        Policy only = new Policy(List.of(), List.of(), List.of(), entries);
        return SuppressionReview.of(only, today, seen).stream().noneMatch(i -> i.kind() == SuppressionReview.Kind.UNUSED);
    }
}
