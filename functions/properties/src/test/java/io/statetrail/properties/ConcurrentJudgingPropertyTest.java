package io.statetrail.properties;

import static io.statetrail.properties.ShuffledIngestPropertyTest.CLOCK;
import static io.statetrail.properties.ShuffledIngestPropertyTest.POLICY;
import static io.statetrail.properties.ShuffledIngestPropertyTest.assertSameStoreAndFindings;
import static io.statetrail.properties.ShuffledIngestPropertyTest.ingestBatch;
import static io.statetrail.properties.ShuffledIngestPropertyTest.ordered;
import static io.statetrail.properties.ShuffledIngestPropertyTest.shuffledTwice;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.ingest.Parallel;
import io.statetrail.service.memory.InMemoryAuditStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the units of one batch judged side by side leave what the sequential ingest leaves, whatever the
 * interleaving. Every bundled sample, delivered twice, shuffled, in SQS batches of up to 100 (so a session and its run,
 * a lock and its state, both copies of a cross-account call often share a batch), against one ordered ingest, item for
 * item and finding for finding:
 * <ul>
 *   <li>with each round's steps (and groups of messages stored) run whole in a random order, reproducibly;</li>
 *   <li>with real threads, where steps also interleave between their store calls.</li>
 * </ul>
 * The DynamoDB half (steps interleaving over HTTP, read-then-write items) is {@code LiveIngestTest} in store-dynamodb.
 */
class ConcurrentJudgingPropertyTest {

    private static final Parallel LANES = Parallel.of(6);

    @Test
    void stepsOfABatchInAnyOrderLeaveTheSameStoreAndFindingsAsOneOrderedIngest() {
        InMemoryAuditStore ordered = ordered();
        qt().withExamples(12).forAll(longs().all(), integers().between(2, 100), longs().all()).checkAssert((seed, max, steps) -> {
            InMemoryAuditStore batched = new InMemoryAuditStore(CLOCK);
            Ingestor ingestor = new Ingestor(batched, POLICY, List.of("file"), CLOCK, Settle.DEFAULT, Parallel.shuffled(steps));
            shuffledTwice(new Random(seed), max, batch -> ingestBatch(ingestor, batch));
            assertSameStoreAndFindings(ordered, batched, seed);
        });
    }

    @Test
    void batchesJudgedOnSixThreadsLeaveTheSameStoreAndFindingsAsOneOrderedIngest() {
        InMemoryAuditStore ordered = ordered();
        qt().withExamples(12).forAll(longs().all(), integers().between(2, 100)).checkAssert((seed, max) -> {
            InMemoryAuditStore batched = new InMemoryAuditStore(CLOCK);
            Ingestor ingestor = new Ingestor(batched, POLICY, List.of("file"), CLOCK, Settle.DEFAULT, LANES);
            shuffledTwice(new Random(seed), max, batch -> ingestBatch(ingestor, batch));
            assertSameStoreAndFindings(ordered, batched, seed);
        });
    }
}
