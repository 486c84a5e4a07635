package io.statetrail.core.detect;

import io.statetrail.core.event.StoreChange;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.lineage.Chain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The findings of changes that weaken a store that holds state (issue 19), shared by {@code state-bucket-weakened},
 * {@code lock-table-changed} and {@code state-key-disabled}: one finding per weakening call, whoever made it; one
 * severity lower when an admin of the store ({@code stores.admins}) made it, with {@code byAdmin: true}, but for
 * changes reported at full severity always (key deletion). A later change of the same setting that does not weaken it
 * restores the store: the finding then says when and by whom ({@code resolvedAt}, {@code resolution}).
 */
final class StoreFindings {

    /** Detail set once a later change restored what the finding is about. */
    static final String RESOLVED_AT = "resolvedAt";

    private StoreFindings() {
    }

    static List<Finding> of(Evaluation e, FindingType type, StoreChange.Store store, Predicate<String> guarded) {
        StoreFacts facts = e.stores();
        List<Finding> out = new ArrayList<>();
        for (List<StoreChange> changes : facts.byStore()) {
            if (changes.get(0).store() != store || !guarded.test(changes.get(0).name())) {
                continue;
            }
            List<StoreVerdict> verdicts = new ArrayList<>();
            for (int i = 0; i < changes.size(); i++) {
                verdicts.add(StoreVerdict.of(changes.get(i), changes.subList(0, i), facts, e));
            }
            for (int i = 0; i < changes.size(); i++) {
                StoreVerdict v = verdicts.get(i);
                if (!v.weakensStore()) {
                    continue;
                }
                StoreChange restoredBy = null;
                for (int j = i + 1; j < changes.size() && restoredBy == null; j++) {
                    StoreVerdict later = verdicts.get(j);
                    if (v.aspect().equals(later.aspect()) && !later.weakensStore()) {
                        restoredBy = changes.get(j);
                    }
                }
                out.add(finding(e, type, changes.get(i), v, restoredBy));
            }
        }
        return out;
    }

    private static Finding finding(Evaluation e, FindingType type, StoreChange c, StoreVerdict v, StoreChange restoredBy) {
        Chain chain = e.chainOf(c);
        boolean admin = e.stores().isAdmin(chain);
        Severity severity = admin && !v.alwaysFull() ? lower(v.severity()) : v.severity();
        String problems = String.join("; ", v.problems());
        FindingDraft d = e.draft(type, c)
                .chain(chain)
                .stateKey(c.storeKey())
                .severity(severity)
                .detail("store", c.store().label())
                .detail(c.store() == StoreChange.Store.KEY ? "keyArn" : c.store().label(), c.name())
                .detail("change", c.meta().eventName())
                .detail("setting", v.aspect())
                .detail("problems", problems)
                .detail("byAdmin", admin ? "true" : null);
        String summary = RunGroups.who(chain) + " " + c.meta().eventName() + " on " + what(c) + ": " + problems + RunGroups.via(chain)
                + (admin ? " (an admin of the store)" : "");
        if (restoredBy != null) {
            Chain by = e.chainOf(restoredBy);
            String resolution = restoredBy.meta().eventName() + " by " + RunGroups.who(by) + " restored it (eventID "
                    + restoredBy.meta().eventId() + ")";
            d.detail(RESOLVED_AT, restoredBy.meta().time().toString()).detail("resolution", resolution);
            summary += "; restored at " + restoredBy.meta().time() + ": " + resolution;
        }
        return d.summary(summary).identity(c.meta().callKey(), c.storeKey()).build();
    }

    static String what(StoreChange c) {
        return switch (c.store()) {
            case BUCKET -> c.objectKey() != null ? "state object " + c.storeKey() : "state bucket " + c.name();
            case TABLE -> "lock table " + c.name();
            case KEY -> "KMS key " + c.name();
        };
    }

    /** One step lower: a weakening change made by someone allowed to change the store. */
    static Severity lower(Severity s) {
        return s == Severity.LOW ? Severity.LOW : Severity.values()[s.ordinal() - 1];
    }
}
