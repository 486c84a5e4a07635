package io.statetrail.properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.memory.TestClock;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.time.Instant;
import io.statetrail.service.query.FindingQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The paging properties of {@code PagingPropertyTest} held by the DynamoDB store too (its in-memory twin runs them in
 * milliseconds over many more orders): every bundled scenario, delivered per service late by up to the window and then
 * by four windows, pages exactly its findings once, and corrects what later records change.
 */
class DynamoPagingTest {

    static LocalDynamo local;
    static int tables;
    static DynamoDbClient client;

    @BeforeAll
    static void start() {
        local = LocalDynamo.inMemory();
        client = local.client();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void everyScenarioPagesItsFindingsOnceAndCorrectsLateChanges() throws Exception {
        Policy policy = PolicyLoader.load(PagingPropertyTest.EVENTS.resolve("policy.yaml"));
        Settle settle = Settle.DEFAULT;
        List<Path> scenarios;
        try (Stream<Path> s = Files.list(PagingPropertyTest.EVENTS.resolve("scenarios"))) {
            scenarios = s.filter(Files::isDirectory).sorted().toList();
        }
        int pages = 0;
        for (Path scenario : scenarios) {
            List<Deliveries.Record> records = PagingPropertyTest.scenarioRecords(scenario);
            for (int late = 1; late <= 4; late *= 4) {
                TestClock clock = new TestClock(Instant.EPOCH);
                String table = "audit-" + (++tables);
                AuditTable.create(client, table);
                DynamoAuditStore store = new DynamoAuditStore(client, table, clock, DynamoAuditStore.DEFAULT_RETENTION);
                PagingRun run = PagingRun.deliver(policy, Deliveries.plan(records, Deliveries.Lateness.PER_SERVICE,
                        settle.window().multipliedBy(late), 11), settle, store, clock, () -> held(store));
                String what = scenario.getFileName() + " late by up to " + late + " window(s)";
                if (late == 1) {
                    PagingPropertyTest.assertPagedExactlyTheFinalFindings(run, policy, records, what);
                } else {
                    PagingPropertyTest.assertNothingSentWasLeftWrong(run, what);
                }
                pages += run.pages().size();
            }
        }
        assertTrue(pages > 20, "pages: " + pages);
    }

    static List<Finding> held(DynamoAuditStore store) {
        return store.findings(new FindingQuery(null, null, null, null, null, null, null, 500, null)).items();
    }
}
