package io.statetrail.service.ingest;

import io.statetrail.core.policy.Policy;
import io.statetrail.service.port.AuditStore;
import java.time.Clock;
import java.util.Collection;

/**
 * Ingests CloudTrail as it streams in: stores each relevant call once, re-evaluates what it affects (the state keys it
 * touched; for a late login or hop, every state its descendant sessions touched) with the core detections, replaces
 * the findings of those scopes and queues new findings for delivery. The final table and findings do not depend on
 * arrival order or duplicates.
 */
public final class Ingestor {

    private final AuditStore store;
    private final Policy policy;
    private final Collection<String> destinations;
    private final Clock clock;

    /** @param destinations alert destinations every new finding is queued for ({@code sns}, {@code slack}, {@code file}) */
    public Ingestor(AuditStore store, Policy policy, Collection<String> destinations, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.destinations = destinations;
        this.clock = clock;
    }

    /**
     * Ingests one message: an EventBridge event, a CloudTrail record, a log file, or anything {@code RecordReader}
     * accepts. Malformed input is returned, not thrown; a store failure throws (the message is then retried).
     *
     * @param source for error messages: file name and line, or SQS message id
     */
    public IngestResult ingest(String source, String json) {
        throw new UnsupportedOperationException("being written");
    }
}
