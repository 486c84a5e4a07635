package io.statetrail.core.detect;

import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.lineage.Chain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A table that holds Terraform locks changed so that locks stop protecting state (issue 19): deleted (critical: every
 * lock is gone), TTL enabled (critical: lock items expire silently), deletion protection or point-in-time recovery
 * removed, a backup or an earlier time restored into its name (old locks and digests come back), or a burst of deletes
 * of lock items by one run: more {@code LockID}s deleted than the run ever took, at least {@link #BURST} of them taken
 * by others (an "unlock all" step, a cleanup tool). High otherwise; one step lower when an admin of the store made it.
 * The table holds locks when {@code lockTables} lists it or a lock item was seen in it.
 */
public final class LockTableChanged implements Detection {

    /** Lock items of others deleted by one run before it is a burst rather than a force-unlock or two. */
    static final int BURST = 3;

    @Override
    public FindingType type() {
        return FindingType.LOCK_TABLE_CHANGED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>(StoreFindings.of(e, type(), StoreChange.Store.TABLE, e.stores()::isLockTable));
        out.addAll(bursts(e));
        return out;
    }

    private record RunTable(Chain chain, String table, List<StateAccess> deletes, TreeSet<String> deleted, TreeSet<String> taken) {
    }

    private List<Finding> bursts(Evaluation e) {
        Map<List<String>, RunTable> runs = new LinkedHashMap<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            if (!s.operation().isLock() || s.lockStore() == null || !s.lockStore().startsWith("dynamodb:")) {
                continue;
            }
            Chain chain = e.chainOf(s);
            String table = s.lockStore().substring("dynamodb:".length());
            RunTable r = runs.computeIfAbsent(List.of(chain.runKey(), table),
                    k -> new RunTable(chain, table, new ArrayList<>(), new TreeSet<>(), new TreeSet<>()));
            if (s.operation() == StateAccess.Operation.UNLOCK) {
                r.deletes().add(s);
                r.deleted().add(s.stateKey());
            } else {
                r.taken().add(s.stateKey());
            }
        }
        List<Finding> out = new ArrayList<>();
        for (RunTable r : runs.values()) {
            TreeSet<String> others = new TreeSet<>(r.deleted());
            others.removeAll(r.taken());
            if (r.deleted().size() <= r.taken().size() || others.size() < BURST) {
                continue;
            }
            boolean admin = e.stores().isAdmin(r.chain());
            FindingDraft d = RunGroups.draft(e, e.draft(type(), r.deletes().get(0)), new RunGroups.Group(r.chain(), r.table(), r.deletes()))
                    .severity(admin ? Severity.MEDIUM : Severity.HIGH)
                    // Decided by pairing deletes with acquisitions that travel apart: a late acquisition can undo it.
                    .provisional(true)
                    .detail("store", "table")
                    .detail("table", r.table())
                    .detail("change", "DeleteItem")
                    .detail("setting", "lock-items")
                    .detail("locksDeleted", String.valueOf(r.deleted().size()))
                    .detail("locksTaken", String.valueOf(r.taken().size()))
                    .detail("problems", "deleted " + r.deleted().size() + " lock items, " + others.size() + " of them never taken by this run")
                    .detail("byAdmin", admin ? "true" : null)
                    .summary(RunGroups.who(r.chain()) + " deleted " + r.deleted().size() + " lock items of lock table " + r.table()
                            + " but took " + r.taken().size() + " (never taken: " + String.join(", ", others.headSet(others.first(), true))
                            + (others.size() > 1 ? " and " + (others.size() - 1) + " more" : "") + ")" + RunGroups.via(r.chain())
                            + (admin ? " (an admin of the store)" : ""))
                    .identity(r.chain().runKey(), r.table());
            out.add(d.build());
        }
        return out;
    }
}
