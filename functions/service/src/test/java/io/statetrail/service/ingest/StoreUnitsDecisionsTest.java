package io.statetrail.service.ingest;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.StoreCalls;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.StoreWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ingestor's decisions on the store itself (issue 19), on the in-memory ports: a weakened store is raised, paged and
 * watched; a later restoring change resolves it with a follow-up to everyone paged; a store's changes that arrived
 * before anything showed it holds state are judged again when a state call shows it; a lock table's delete burst is
 * judged on the table's lock calls, whichever arrived first.
 */
class StoreUnitsDecisionsTest {

    static final String NETWORK = "infra/network/terraform.tfstate";
    static final String SCRATCH = "acme-tfstate-scratch";

    final TestClock clock = new TestClock(Instant.parse("2026-11-04T10:05:00Z"));
    final InMemoryAuditStore store = new InMemoryAuditStore(clock);
    final Ingestor ingestor = new Ingestor(store, POLICY, List.of("slack", "sns"), clock, Settle.DEFAULT);

    List<Finding> ingest(Rec... records) {
        List<Finding> created = new ArrayList<>();
        for (Rec r : records) {
            IngestResult result = ingestor.ingest("test:" + r.eventId(), r.eventBridge());
            assertNull(result.failure());
            created.addAll(result.newFindings());
        }
        return created;
    }

    List<Finding> ofType(String type) {
        return store.findings().stream().filter(f -> f.type().equals(type)).toList();
    }

    List<String> notices(String findingId) {
        return store.deliveriesOf(findingId).stream().map(d -> d.destination() + " " + d.notice()).sorted().toList();
    }

    @Test
    void versioningSuspendedIsRaisedAndWatched_reEnablingItResolvesItWithOneFollowUpPerDestination() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec suspend = s.add(StoreCalls.versioning(run.caller(), BUCKET, "Suspended"));
        s.after(Duration.ofMinutes(20));
        Rec enable = s.add(StoreCalls.versioning(run.caller(), BUCKET, "Enabled"));

        List<Finding> created = ingest(s.records().get(0), suspend);

        assertEquals(1, created.size(), "one finding: " + created);
        Finding f = created.get(0);
        assertEquals("state-bucket-weakened", f.type());
        assertEquals(BUCKET + "/*", f.stateKey());
        assertEquals("critical", f.severity().label());
        assertEquals(MAIN, f.subject());
        assertEquals(List.of(f.id()), store.storesToWatch(10).stream().map(StoreWatch::findingId).toList());
        assertEquals("versioning", store.storesToWatch(10).get(0).setting());
        assertEquals(List.of("slack raised", "sns raised"), notices(f.id()));
        IngestorDecisionsTest.Recorder slack = new IngestorDecisionsTest.Recorder("slack");
        IngestorDecisionsTest.Recorder sns = new IngestorDecisionsTest.Recorder("sns");
        sns.down = true; // sns never gets the page: it is told nothing more
        Instant paged = clock.instant().plus(Duration.ofHours(1));
        new AlertDispatcher(store, List.of(slack, sns), AlertDispatcher.DEFAULT_GROUP_WINDOW, null, Settle.DEFAULT).dispatchDue(paged);
        assertEquals(List.of("raised " + f.id()), slack.notices);

        ingest(enable);
        ingest(enable); // delivered twice: still one resolution

        Finding resolved = ofType("state-bucket-weakened").get(0);
        assertEquals(f.id(), resolved.id());
        assertTrue(resolved.details().containsKey("resolvedAt"), resolved.details().toString());
        assertEquals(List.of(), store.storesToWatch(10), "a restored store is no longer watched");
        List<String> resolvedNotices = store.deliveriesOf(f.id()).stream().filter(d -> d.notice().startsWith("resolved"))
                .map(d -> d.destination() + " " + d.notice()).toList();
        assertEquals(List.of("slack resolved-1"), resolvedNotices, "one resolved follow-up where the page went: " + notices(f.id()));
    }

    @Test
    void aBucketsChangesAreJudgedAgainWhenAStateCallLaterShowsItHoldsState_inEitherOrder() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec suspend = s.add(StoreCalls.versioning(run.caller(), SCRATCH, "Suspended"));
        Rec write = run.write(SCRATCH, NETWORK);

        ingest(s.records().get(0), suspend);
        assertEquals(List.of(), ofType("state-bucket-weakened"), "nothing shows yet that the bucket holds state");

        ingest(write);
        List<Finding> raised = ofType("state-bucket-weakened");
        assertEquals(1, raised.size());
        assertEquals(SCRATCH + "/*", raised.get(0).stateKey());

        // The other order gives the same finding.
        InMemoryAuditStore other = new InMemoryAuditStore(clock);
        Ingestor otherIngestor = new Ingestor(other, POLICY, List.of("slack", "sns"), clock, Settle.DEFAULT);
        for (Rec r : List.of(write, suspend, s.records().get(0))) {
            assertNull(otherIngestor.ingest("test:" + r.eventId(), r.eventBridge()).failure());
        }
        assertEquals(raised.stream().map(Finding::id).toList(),
                other.findings().stream().filter(f -> f.type().equals("state-bucket-weakened")).map(Finding::id).toList());
    }

    @Test
    void aLockTableDeletedIsCriticalAndNamedByTheTable() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec delete = s.add(StoreCalls.table("DeleteTable", run.caller(), LOCK_TABLE, null, "delete"));

        List<Finding> created = ingest(s.records().get(0), delete);

        assertEquals(List.of("lock-table-changed " + LOCK_TABLE + " critical"),
                created.stream().map(f -> f.type() + " " + f.stateKey() + " " + f.severity().label()).toList());
        assertEquals("table", store.storesToWatch(10).get(0).setting());
    }
}
