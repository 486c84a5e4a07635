package io.statetrail.service.sweep;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.StoreCalls;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.ingest.Ingestor;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.InMemoryLockProbe;
import io.statetrail.service.memory.InMemoryTrailLookup;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.StoreWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sweeper's look at weakened stores (issue 19) on the in-memory ports and a scripted probe: what it records on the
 * finding ({@code verified}, {@code stillWeak}, what it saw), how often it looks, and that a store found restored is
 * resolved once, with a follow-up to everyone paged, even when the restoring change never reached statetrail.
 */
class StoreChecksDecisionsTest {

    static final Duration RECHECK = Duration.ofHours(4);

    final TestClock clock = new TestClock(Instant.parse("2026-11-04T10:05:00Z"));
    final InMemoryAuditStore store = new InMemoryAuditStore(clock);
    final List<String> looked = new ArrayList<>();
    StoreProbe.Check answer = new StoreProbe.Check(StoreProbe.State.WEAK, "Status: Suspended");
    final StoreProbe probe = w -> {
        looked.add(w.store() + " " + w.name() + " " + w.setting() + " " + w.account() + " " + w.region());
        return answer;
    };
    final Sweeper sweeper = new Sweeper(store, POLICY, new InMemoryLockProbe(), probe, new InMemoryTrailLookup(),
            List.of("slack", "sns"), RECHECK, Duration.ofMinutes(15), Settle.DEFAULT);

    /** A run suspends versioning on the state bucket at 10:00:01; the finding. */
    Finding versioningSuspended() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.versioning(run.caller(), BUCKET, "Suspended"));
        Ingestor ingestor = new Ingestor(store, POLICY, List.of("slack", "sns"), clock, Settle.DEFAULT);
        for (Rec r : s.records()) {
            assertNull(ingestor.ingest("test:" + r.eventId(), r.eventBridge()).failure());
        }
        return finding();
    }

    Finding finding() {
        return store.findings().stream().filter(f -> f.type().equals("state-bucket-weakened")).findFirst().orElseThrow();
    }

    Sweeper.SweepResult sweepAt(String time) {
        clock.set(Instant.parse(time));
        return sweeper.sweep(clock.instant());
    }

    List<String> resolvedNotices(String id) {
        return store.deliveriesOf(id).stream().filter(d -> d.notice().startsWith("resolved")).map(Delivery::destination).sorted().toList();
    }

    @Test
    void aStoreStillWeakIsVerifiedOnTheFinding_andLookedAtAgainOnlyAfterTheRecheckInterval() {
        Finding raised = versioningSuspended();

        Sweeper.SweepResult r = sweepAt("2026-11-04T10:10:00Z");

        assertEquals(1, r.storesChecked());
        assertEquals(List.of("bucket " + BUCKET + " versioning 222222222222 eu-west-1"), looked);
        Finding f = finding();
        assertEquals("true", f.details().get("verified"));
        assertEquals("true", f.details().get("stillWeak"));
        assertEquals("Status: Suspended", f.details().get("verification"));
        assertEquals(raised.id(), f.id());
        assertEquals(0, sweepAt("2026-11-04T11:10:00Z").storesChecked(), "looked at again only after " + RECHECK);
        assertEquals(1, sweepAt("2026-11-04T14:10:00Z").storesChecked());
        assertEquals(List.of(), resolvedNotices(f.id()));
    }

    @Test
    void aStoreFoundRestoredIsResolvedOnceWithAFollowUpToEachDestination() {
        Finding raised = versioningSuspended();
        List<String> sent = new ArrayList<>();
        List<AlertSink> sinks = new ArrayList<>();
        for (String name : List.of("slack", "sns")) {
            sinks.add(new AlertSink() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String send(Alert alert) {
                    alert.findings().forEach(f -> sent.add(name + " " + alert.notice()));
                    return name + "|" + sent.size();
                }
            });
        }
        new AlertDispatcher(store, sinks, AlertDispatcher.DEFAULT_GROUP_WINDOW, null, Settle.DEFAULT).dispatchDue(Instant.parse("2026-11-04T10:06:00Z"));
        assertEquals(List.of("slack raised", "sns raised"), sent.stream().sorted().toList(), "paged before the look");
        answer = new StoreProbe.Check(StoreProbe.State.RESTORED, "Status: Enabled");

        Sweeper.SweepResult r = sweepAt("2026-11-04T10:10:00Z");

        assertEquals(1, r.storesResolved());
        Finding f = finding();
        assertEquals("false", f.details().get("stillWeak"));
        assertEquals("2026-11-04T10:10:00Z", f.details().get("resolvedAt"));
        assertEquals(List.of("slack", "sns"), resolvedNotices(raised.id()));
        assertEquals(List.of(), store.storesToWatch(10));
        assertEquals(0, sweepAt("2026-11-04T15:10:00Z").storesChecked(), "a resolved store is not looked at again");
        assertEquals(List.of("slack", "sns"), resolvedNotices(raised.id()), "resolved once");
    }

    @Test
    void aStoreThatCannotBeSeenStaysUnverifiedWithTheReason_neverResolved() {
        versioningSuspended();
        answer = StoreProbe.Check.unknown("AccessDenied on the reader role");

        Sweeper.SweepResult r = sweepAt("2026-11-04T10:10:00Z");

        assertEquals(1, r.storesUnverified());
        assertEquals(0, r.storesResolved());
        Finding f = finding();
        assertEquals("false", f.details().get("verified"));
        assertEquals("AccessDenied on the reader role", f.details().get("verification"));
        assertFalse(f.details().containsKey("resolvedAt"));
        List<StoreWatch> watched = store.storesToWatch(10);
        assertEquals(1, watched.size());
        assertNull(watched.get(0).stillWeak());
    }
}
