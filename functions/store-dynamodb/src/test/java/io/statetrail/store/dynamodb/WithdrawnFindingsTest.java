package io.statetrail.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.finding.UnitFindings;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.FindingQuery.Withdrawn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A finding paged and then withdrawn stays in the table with why, listed only on request; one withdrawn before its page
 * went out leaves no trace.
 */
class WithdrawnFindingsTest {

    static final Instant T = Instant.parse("2026-11-12T10:02:57Z");
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

    static Finding finding(String id) {
        return new Finding(id, "state-deleted", Severity.CRITICAL, T, "222222222222", null, null, null, null,
                "acme-tfstate-prod/infra/cdn/terraform.tfstate", "ASIAW6NHX2PAQXXFKIHC", "ASIAW6NHX2PAQXXFKIHC", List.of(), List.of("evt-" + id),
                "session ASIAW6NHX2PAQXXFKIHC deleted state", 1, Map.of(), null, false);
    }

    static List<String> ids(DynamoAuditStore store, Withdrawn w) {
        return store.findings(new FindingQuery(null, null, null, null, null, null, null, 100, null, w)).items().stream().map(Finding::id).toList();
    }

    @Test
    void aPagedFindingThatNoLongerHoldsIsListedOnRequestWithWhy() {
        DynamoAuditStore store = Samples.store(client, Clock.fixed(T.plusSeconds(60), ZoneOffset.UTC));
        UnitFindings unit = new UnitFindings(store, List.of("pager"), Settle.DEFAULT, Clock.fixed(T.plusSeconds(3600), ZoneOffset.UTC));
        Set<String> types = Set.of("state-deleted");
        unit.replace("call:a", types, null, null, List.of(finding("paged")), gone -> "unused");
        AlertSink pager = new AlertSink() {
            @Override
            public String name() {
                return "pager";
            }

            @Override
            public String send(Alert alert) {
                return null;
            }
        };
        new AlertDispatcher(store, List.of(pager), Duration.ofMinutes(15), null).dispatchDue(T.plusSeconds(60));
        unit.replace("call:b", types, null, null, List.of(finding("never-paged")), gone -> "unused"); // after the dispatch

        unit.replace("call:a", types, null, null, List.of(), gone -> "the delete was by the bootstrap run");
        unit.replace("call:b", types, null, null, List.of(), gone -> "not said: nobody was told");

        assertEquals(List.of(), ids(store, Withdrawn.EXCLUDE));
        assertEquals(List.of("paged"), ids(store, Withdrawn.ONLY));
        assertEquals(List.of("paged"), ids(store, Withdrawn.INCLUDE));
        Finding shown = store.finding("paged").orElseThrow();
        assertEquals("the delete was by the bootstrap run", shown.details().get("withdrawn"));
        assertEquals(T.plusSeconds(3600).toString(), shown.details().get("withdrawnAt"));
        assertTrue(store.finding("never-paged").isEmpty(), "withdrawn before its page: no trace");
    }
}
