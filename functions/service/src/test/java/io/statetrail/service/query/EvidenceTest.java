package io.statetrail.service.query;

import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The finding page's evidence: each call once (its copies together), what is missing said, long lists cut. */
class EvidenceTest {

    final TestClock clock = new TestClock(Instant.parse("2026-11-04T10:05:00Z"));
    final InMemoryAuditStore store = new InMemoryAuditStore(clock);
    final Ingestor ingestor = new Ingestor(store, io.statetrail.core.fixture.Acme.POLICY, List.of(), clock);

    static Finding finding(List<String> eventIds) {
        return new Finding("unexpected-subject-0123456789abcdef0123", "unexpected-subject", Severity.HIGH,
                Instant.parse("2026-11-04T10:00:00Z"), MAIN, null, null, null, null, null, null, null, List.of(), eventIds, "s", 1,
                Map.of(), null, false);
    }

    @Test
    void bothCopiesOfACrossAccountCallAreOneEntry_whicheverIdComesFirst_andUnknownIdsAreListed() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials tooling = s.login(MAIN, TOOLING_ROLE);
        tooling.assumeRole(TERRAFORM_PROD_ROLE);
        for (Rec r : s.records()) {
            ingestor.ingest("test:" + r.eventId(), r.eventBridge());
        }
        Rec login = s.records().get(0);
        List<String> ids = new ArrayList<>();
        s.records().forEach(r -> ids.add(r.eventId()));
        for (List<String> order : List.of(ids, List.of(ids.get(2), ids.get(1), ids.get(0)))) {
            List<String> withUnknown = new ArrayList<>(order);
            withUnknown.add("11111111-2222-3333-4444-555555555555");

            Evidence e = Evidence.of(finding(withUnknown), store::call);

            assertEquals(2, e.calls().size(), e.toString());
            assertEquals(List.of("11111111-2222-3333-4444-555555555555"), e.notFound());
            assertFalse(e.truncated());
            Evidence.Call first = e.calls().stream().filter(c -> c.eventId().equals(login.eventId())).findFirst().orElseThrow();
            assertEquals("AssumeRoleWithWebIdentity", first.eventName());
            com.fasterxml.jackson.databind.JsonNode logged = json(login.json());
            assertEquals(logged.path("sourceIPAddress").asText(), first.sourceIPAddress());
            assertEquals(logged.path("userAgent").asText(), first.userAgent());
            assertTrue(first.recordKept());
            Evidence.Call hop = e.calls().stream().filter(c -> c.eventIds().size() == 2).findFirst().orElseThrow();
            assertEquals("AssumeRole", hop.eventName());
        }
    }

    @Test
    void aFindingNamingMoreCallsThanAPageListsIsCut() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        s.login(MAIN, TOOLING_ROLE);
        Rec r = s.records().get(0);
        ingestor.ingest("test", r.eventBridge());
        CallRecord one = store.call(r.eventId()).orElseThrow();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < Evidence.MAX_CALLS + 5; i++) {
            many.add("id-" + i);
        }

        Evidence e = Evidence.of(finding(many), id -> java.util.Optional.of(new CallRecord(id + "@1", List.of(id), one.events(), null)));

        assertEquals(Evidence.MAX_CALLS, e.calls().size());
        assertTrue(e.truncated());
        assertFalse(e.calls().get(0).recordKept());
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
