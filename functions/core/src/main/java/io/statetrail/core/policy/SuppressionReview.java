package io.statetrail.core.policy;

import io.statetrail.core.finding.Finding;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which {@code suppressions:} entries need a person (the sweeper's daily report): one that has expired (the policy will
 * be refused at its next load until the entry is renewed or removed), one that expires within {@link #EXPIRING_DAYS},
 * and one that matched no finding in the last {@link #UNUSED_DAYS} days (what it accepted stopped happening: remove it
 * before it hides something else).
 */
public final class SuppressionReview {

    public static final int UNUSED_DAYS = 30;
    public static final int EXPIRING_DAYS = 7;

    public enum Kind {
        EXPIRED("expired"), EXPIRING("expiring"), UNUSED("unused");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** @param text what to do about it, in words */
    public record Item(Policy.Suppression suppression, Kind kind, String text) {
    }

    private SuppressionReview() {
    }

    /**
     * @param recent the findings of the last {@link #UNUSED_DAYS} days of the suppressions' types (withdrawn ones too):
     *               an entry covering one of them, on the day it happened, was used
     */
    public static List<Item> of(Policy policy, LocalDate today, Collection<Finding> recent) {
        List<Item> out = new ArrayList<>();
        for (Policy.Suppression s : policy.suppressions()) {
            if (s.expires() != null && today.isAfter(s.expires())) {
                out.add(new Item(s, Kind.EXPIRED, "expired on " + s.expires() + "; the policy is refused at its next load until"
                        + " the entry is renewed or removed"));
                continue;
            }
            if (s.expires() != null && !today.plusDays(EXPIRING_DAYS).isBefore(s.expires())) {
                out.add(new Item(s, Kind.EXPIRING, "expires on " + s.expires() + "; renew it or let its findings page again"));
            }
            if (!covers(s, today, recent)) {
                out.add(new Item(s, Kind.UNUSED, "matched no finding in the last " + UNUSED_DAYS + " days; remove it if what it"
                        + " accepted no longer happens"));
            }
        }
        return out;
    }

    /** Whether it covers some finding of the last {@link #UNUSED_DAYS} days, judged on the day each happened. */
    static boolean covers(Policy.Suppression s, LocalDate today, Collection<Finding> recent) {
        LocalDate since = today.minusDays(UNUSED_DAYS);
        for (Finding f : recent) {
            LocalDate day = f.time() == null ? null : LocalDate.ofInstant(f.time(), ZoneOffset.UTC);
            if (day != null && !day.isBefore(since) && s.matches(f, day)) {
                return true;
            }
        }
        return false;
    }
}
