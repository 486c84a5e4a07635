package io.statetrail.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.policy.Glob;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A table written by a version without the subject catalogue and index: its runs are listed from the run index until
 * the sweeps have completed them, and from the indexes after, with the same results.
 */
class IndexCompletionTest {

    static LocalDynamo local;

    @BeforeAll
    static void start() {
        local = LocalDynamo.inMemory();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void aNewTableStartsComplete() {
        DynamoAuditStore store = Samples.store(local.client());
        assertTrue(store.subjects.complete());
        assertEquals(0, store.completeIndexes(Duration.ofSeconds(10)));
    }

    @Test
    void anOlderTableIsListedFromTheRunIndexUntilTheSweepsHaveCompletedItsIndexes() {
        DynamoAuditStore written = Samples.store(local.client());
        Samples.ingestEach(new Ingestor(written, Samples.policy(), List.of("file"), Samples.CLOCK), Samples.chronological(Samples.all()));
        List<RunQuery> queries = new ArrayList<>();
        for (String pattern : List.of("repo:acme/*", "repo:acme/inf*:pull_req*", "*:pull_req*", "repo:*:pull_request")) {
            queries.add(new RunQuery(null, pattern, null, null, null, null, 2, null));
        }
        queries.add(new RunQuery(null, null, "main", null, null, null, 2, null));
        queries.add(new RunQuery(null, null, null, "production", null, null, 2, null));
        List<List<RunSummary>> expected = new ArrayList<>();
        for (RunQuery q : queries) {
            expected.add(Samples.listing(written, q));
        }
        assertTrue(expected.stream().mapToInt(List::size).sum() >= 15, expected.toString());

        String table = Samples.tableName(written);
        int summaries = forgetIndexes(local.client(), table);
        DynamoAuditStore older = new DynamoAuditStore(local.client(), table, Samples.CLOCK, DynamoAuditStore.DEFAULT_RETENTION);
        assertFalse(older.subjects.complete());
        assertNull(older.subjects.partitionsFor(Glob.of("repo:acme/*")), "not used before it is complete");
        for (int i = 0; i < queries.size(); i++) {
            assertEquals(expected.get(i), Samples.listing(older, queries.get(i)), "listed from the run index meanwhile: " + queries.get(i));
        }

        // Sweeps with no time to spare do a page each and resume where the last one stopped.
        int completed = 0;
        int sweeps = 0;
        while (!older.subjects.complete()) {
            completed += older.runSummaries.completeIndexes(Duration.ZERO, 25);
            sweeps++;
            assertTrue(sweeps < 500, "the completion does not end");
        }
        assertTrue(sweeps > 2, "resumed across sweeps: " + sweeps);
        assertTrue(completed >= summaries, completed + " completed, " + summaries + " summaries with a subject");
        assertNotNull(older.subjects.partitionsFor(Glob.of("repo:acme/*")));
        for (int i = 0; i < queries.size(); i++) {
            assertEquals(expected.get(i), Samples.listing(older, queries.get(i)), queries.get(i).toString());
        }
        assertEquals(0, older.completeIndexes(Duration.ofSeconds(10)), "nothing left");
    }

    /** Deletes the subject catalogue and strips the subject index entries from the summaries; returns the summaries with a subject. */
    private static int forgetIndexes(DynamoDbClient client, String table) {
        int summaries = 0;
        for (Map<String, AttributeValue> item : client.scanPaginator(ScanRequest.builder().tableName(table).build()).items()) {
            String pk = item.get(AuditTable.PK).s();
            Map<String, AttributeValue> key = Map.of(AuditTable.PK, item.get(AuditTable.PK), AuditTable.SK, item.get(AuditTable.SK));
            if (pk.equals(SubjectCatalogue.PARTITION)) {
                client.deleteItem(b -> b.tableName(table).key(key));
            } else if (pk.startsWith(Keys.RUN_SUMMARY) && item.containsKey("rootSubject")) {
                summaries++;
                client.updateItem(b -> b.tableName(table).key(key).updateExpression("REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk"));
            }
        }
        return summaries;
    }
}
