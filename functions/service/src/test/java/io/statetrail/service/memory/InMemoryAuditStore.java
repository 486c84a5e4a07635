package io.statetrail.service.memory;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.port.ComposedAuditStore;
import io.statetrail.service.port.IndexUpkeep;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The whole audit store in memory, for unit tests of the service's decisions in milliseconds: each port by its own
 * in-memory implementation ({@link InMemoryCalls}, {@link InMemorySessions}, {@link InMemoryLocks},
 * {@link InMemoryPendingSessions}, {@link InMemoryBulkDeletes}, {@link InMemoryFindings}, {@link InMemoryFindingStatuses}, {@link InMemoryStores}), which answer as the DynamoDB
 * adapters do (the shared contract tests hold both to it), forwarded to by {@link ComposedAuditStore}.
 */
public final class InMemoryAuditStore extends ComposedAuditStore {

    private final InMemoryCalls calls;
    private final InMemorySessions sessions;
    private final InMemoryLocks locks;
    private final InMemoryPendingSessions pending;
    private final InMemoryBulkDeletes bulkDeletes;
    private final InMemoryFindings findings;

    public InMemoryAuditStore() {
        this(Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
    }

    /** @param clock when deliveries are recorded as delivered (bookkeeping only) */
    public InMemoryAuditStore(Clock clock) {
        this(new InMemoryCalls(), new InMemoryFindings(clock), new InMemoryStores());
    }

    private InMemoryAuditStore(InMemoryCalls calls, InMemoryFindings findings, InMemoryStores stores) {
        this(calls, new InMemorySessions(calls), new InMemoryLocks(), new InMemoryPendingSessions(), new InMemoryBulkDeletes(),
                findings, new InMemoryFindingStatuses(), stores);
    }

    private InMemoryAuditStore(InMemoryCalls calls, InMemorySessions sessions, InMemoryLocks locks,
            InMemoryPendingSessions pending, InMemoryBulkDeletes bulkDeletes, InMemoryFindings findings,
            InMemoryFindingStatuses statuses, InMemoryStores stores) {
        // nothing to upkeep in memory: the indexes are complete from the first write
        super(calls, sessions, locks, pending, bulkDeletes, findings, statuses, findings, new IndexUpkeep() {
        }, stores, stores);
        this.calls = calls;
        this.sessions = sessions;
        this.locks = locks;
        this.pending = pending;
        this.bulkDeletes = bulkDeletes;
        this.findings = findings;
    }

    /**
     * Everything the store keeps, by a key: two stores filled with the same records in any order, any number of times,
     * have the same snapshot (the in-memory twin of comparing two DynamoDB tables item by item).
     */
    public java.util.TreeMap<String, String> snapshot() {
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
        calls.snapshot(out);
        sessions.snapshot(out);
        locks.snapshot(out);
        pending.snapshot(out);
        bulkDeletes.snapshot(out);
        findings.snapshot(out);
        return out;
    }

    public InMemoryFindings findingStore() {
        return findings;
    }

    public InMemorySessions sessions() {
        return sessions;
    }

    /** Every stored finding that holds (not withdrawn), for assertions. */
    public List<Finding> findings() {
        return findings.held();
    }
}
