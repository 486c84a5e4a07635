package io.statetrail.service.memory;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.port.Calls;
import io.statetrail.service.port.ComposedAuditStore;
import io.statetrail.service.port.Deliveries;
import io.statetrail.service.port.FindingStatuses;
import io.statetrail.service.port.Findings;
import io.statetrail.service.port.IndexUpkeep;
import io.statetrail.service.port.Locks;
import io.statetrail.service.port.PendingBulkDeletes;
import io.statetrail.service.port.PendingSessions;
import io.statetrail.service.port.Sessions;
import io.statetrail.service.port.StoreCatalogue;
import io.statetrail.service.port.StoreWatches;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The whole audit store in memory, for unit tests of the service's decisions in milliseconds: each port by its own
 * in-memory implementation ({@link InMemoryCalls}, {@link InMemorySessions}, {@link InMemoryLocks},
 * {@link InMemoryPendingSessions}, {@link InMemoryBulkDeletes}, {@link InMemoryFindings}, {@link InMemoryFindingStatuses}, {@link InMemoryStores}), which answer as the DynamoDB
 * adapters do (the shared contract tests hold both to it), forwarded to by {@link ComposedAuditStore}. Every port
 * method holds the store's one lock, so a call is atomic as one DynamoDB request is, and steps of a batch judged side
 * by side (issue 18) interleave between calls.
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
                findings, new InMemoryFindingStatuses(), stores, new Object());
    }

    private InMemoryAuditStore(InMemoryCalls calls, InMemorySessions sessions, InMemoryLocks locks,
            InMemoryPendingSessions pending, InMemoryBulkDeletes bulkDeletes, InMemoryFindings findings,
            InMemoryFindingStatuses statuses, InMemoryStores stores, Object lock) {
        // nothing to upkeep in memory: the indexes are complete from the first write
        super(atomic(lock, Calls.class, calls), atomic(lock, Sessions.class, sessions), atomic(lock, Locks.class, locks),
                atomic(lock, PendingSessions.class, pending), atomic(lock, PendingBulkDeletes.class, bulkDeletes),
                atomic(lock, Findings.class, findings), atomic(lock, FindingStatuses.class, statuses),
                atomic(lock, Deliveries.class, findings), new IndexUpkeep() {
                }, atomic(lock, StoreCatalogue.class, stores), atomic(lock, StoreWatches.class, stores));
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

    /** The port, each of its methods (defaults too) run under the store's one lock. */
    private static <T> T atomic(Object lock, Class<T> port, T target) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            synchronized (lock) {
                try {
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }));
    }
}
