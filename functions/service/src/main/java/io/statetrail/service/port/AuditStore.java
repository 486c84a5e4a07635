package io.statetrail.service.port;

/**
 * The whole audit trail, for wiring: every port the live service keeps its state in, each small and named for what it
 * keeps. Classes of the service take the ports they use ({@link Deliveries} alone for the dispatcher, {@link Sessions}
 * for lineage…); the ingestor and the sweeper use them all. Implemented on one DynamoDB table
 * ({@code store-dynamodb}, an adapter per port) and in memory (the service's tests); every method is idempotent.
 */
public interface AuditStore extends Calls, Sessions, Locks, PendingSessions, PendingBulkDeletes, Findings, FindingStatuses, Deliveries, IndexUpkeep,
        StoreCatalogue, StoreWatches {
}
