package io.statetrail.service.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the ingest function does with one delivery of messages (an SQS batch), whatever carried it: the messages are
 * ingested together ({@link Ingestor#ingestBatch}), then the locks they acquired are read ({@link LockBodies}). Each
 * message comes back with what became of it, and whether it must be delivered again; the caller logs, counts and
 * answers its queue.
 *
 * <p>A message is retried when it is empty, when nothing in it could be read (poison: after a few receives it ends in
 * the dead-letter queue, where it can be looked at), or when its calls could not all be stored or judged. The other
 * messages of the batch are done, and only theirs have their locks read.
 */
public final class LiveIngest {

    private final Supplier<Ingestor> ingestor;
    private final LockBodies locks;

    /**
     * @param ingestor the ingestor of the current policy (asked once per delivery that holds something to read)
     * @param locks    reads the lock bodies of acquisitions
     */
    public LiveIngest(Supplier<Ingestor> ingestor, LockBodies locks) {
        this.ingestor = ingestor;
        this.locks = locks;
    }

    /** What became of one message. */
    public enum Kind {
        /** Stored and judged (including a message without a relevant record, or a duplicate). */
        INGESTED,
        /** No text at all: retried, then dead-lettered. */
        EMPTY,
        /** Text of which nothing could be read: retried, then dead-lettered. */
        POISON,
        /** Its calls could not all be stored or judged: retried, and stored and judged again. */
        STORE_FAILED
    }

    /**
     * One message's outcome.
     *
     * @param result    what reading, storing and judging it gave; null when it was empty or the whole batch failed
     * @param failure   why it must be retried, for a store failure; null otherwise
     * @param lockReads the lock bodies read for its acquisitions (only for an ingested message)
     */
    public record Outcome(Ingestor.Message message, Kind kind, IngestResult result, RuntimeException failure,
                          List<LockBodies.Read> lockReads) {
        public Outcome {
            lockReads = List.copyOf(lockReads);
        }

        /** It must be delivered again (reported in the batch's item failures). */
        public boolean retry() {
            return kind != Kind.INGESTED;
        }
    }

    /** Ingests the messages of one delivery; one outcome per message, in their order. */
    public List<Outcome> ingest(List<Ingestor.Message> messages) {
        List<Ingestor.Message> readable = messages.stream().filter(m -> m.json() != null && !m.json().isBlank()).toList();
        List<IngestResult> results = null;
        RuntimeException batchFailure = null;
        if (!readable.isEmpty()) {
            // Outside the try: a policy that cannot be loaded at all fails the whole invocation, which is retried whole.
            Ingestor current = ingestor.get();
            try {
                results = current.ingestBatch(readable);
            } catch (RuntimeException e) {
                batchFailure = e;
            }
        }
        List<Outcome> out = new ArrayList<>();
        int next = 0;
        for (Ingestor.Message m : messages) {
            if (m.json() == null || m.json().isBlank()) {
                out.add(new Outcome(m, Kind.EMPTY, null, null, List.of()));
            } else if (results == null) {
                out.add(new Outcome(m, Kind.STORE_FAILED, null, batchFailure, List.of()));
            } else {
                out.add(outcome(m, results.get(next++)));
            }
        }
        return out;
    }

    private Outcome outcome(Ingestor.Message m, IngestResult r) {
        if (r.failure() != null) {
            return new Outcome(m, Kind.STORE_FAILED, r, r.failure(), List.of());
        }
        if (r.poisoned()) {
            return new Outcome(m, Kind.POISON, r, null, List.of());
        }
        return new Outcome(m, Kind.INGESTED, r, null, locks.read(r.calls()));
    }
}
