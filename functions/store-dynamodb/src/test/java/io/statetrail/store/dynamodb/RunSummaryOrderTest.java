package io.statetrail.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.statetrail.service.ingest.Ingestor;
import io.statetrail.store.dynamodb.Samples.Raw;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A run summary after a guessed hop left the run (the {@code dynamodb-lock-handover-same-second} sample): run B's hop,
 * seen first only in the role account, is guessed into run A when A's login is the only candidate caller, and counts
 * its calls there; B's login then makes the guess ambiguous and the hop leaves A. A, with no call of its own yet, must
 * then have no last activity rather than keep the hop's: folds only ever move it later, so a stale one stuck (found by
 * LiveIngestTest's shuffles, seed 2, once issue 19's samples changed them).
 */
class RunSummaryOrderTest {

    static final String SCENARIO = "scenarios/dynamodb-lock-handover-same-second";
    static final String HOP_B = "ASIAW6NHX2PASILPJAAW";
    static final String RUN_A = "ASIARZ4TQ7KXLSLB4B74";
    static final String RUN_B = "ASIARZ4TQ7KXROZ3E2RJ";

    static LocalDynamo local;
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
    void aGuessedHopThatLeavesARunTakesItsLastActivityWithIt() {
        List<Raw> records = Samples.chronological(Samples.records(Samples.EVENTS.resolve(SCENARIO)));
        DynamoAuditStore ordered = Samples.store(client);
        Samples.ingestEach(new Ingestor(ordered, Samples.policy(), List.of("file"), Samples.CLOCK), records);

        // B's hop in the role account (no caller key) and the calls it signed, then A's login, then B's, then the rest.
        Predicate<Raw> hopBInRoleAccount = r -> r.json().contains("\"" + HOP_B + "\"") && r.json().contains("\"AssumeRole\"")
                && !r.json().contains("\"accessKeyId\":\"" + RUN_B + "\"");
        Predicate<Raw> signedByHopB = r -> r.json().contains("\"accessKeyId\":\"" + HOP_B + "\"") && !r.json().contains("\"AssumeRole\"");
        Predicate<Raw> loginA = r -> r.json().contains("AssumeRoleWithWebIdentity") && r.json().contains("\"" + RUN_A + "\"");
        Predicate<Raw> loginB = r -> r.json().contains("AssumeRoleWithWebIdentity") && r.json().contains("\"" + RUN_B + "\"");
        List<Raw> order = new ArrayList<>();
        for (Predicate<Raw> first : List.of(hopBInRoleAccount, signedByHopB, loginA, loginB)) {
            records.stream().filter(first).filter(r -> !order.contains(r)).forEach(order::add);
        }
        assertFalse(order.isEmpty());
        records.stream().filter(r -> !order.contains(r)).forEach(order::add);
        assertEquals(records.size(), order.size());

        DynamoAuditStore shuffled = Samples.store(client);
        Ingestor ingestor = new Ingestor(shuffled, Samples.policy(), List.of("file"), Samples.CLOCK);
        for (Raw r : order) {
            Samples.ingestEach(ingestor, List.of(r));
        }

        TreeMap<String, String> expected = Samples.snapshot(client, ordered);
        TreeMap<String, String> actual = Samples.snapshot(client, shuffled);
        assertEquals(expected.get("RUNSUM#" + RUN_A + " | SUMMARY"), actual.get("RUNSUM#" + RUN_A + " | SUMMARY"));
        assertEquals(expected, actual);
    }
}
