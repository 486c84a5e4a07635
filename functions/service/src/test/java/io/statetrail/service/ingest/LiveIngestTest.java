package io.statetrail.service.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.fixture.Acme;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.policy.PolicyException;
import io.statetrail.service.ingest.LiveIngest.Kind;
import io.statetrail.service.ingest.LiveIngest.Outcome;
import io.statetrail.service.memory.InMemoryAuditStore;
import io.statetrail.service.memory.InMemoryLockProbe;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.WatchedLock;
import io.statetrail.service.query.LockDetails;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One delivery through the live ingest, on the in-memory store and lock probe: which messages are retried, and which
 * locks have their body read (CloudTrail never shows it) and kept with the lock.
 */
class LiveIngestTest {

    static final String LOCK_STORE = "dynamodb:" + Acme.LOCK_TABLE;
    static final LockDetails BODY = new LockDetails("6f1a0b2e-2c4d-4e6f-8a9b-0c1d2e3f4a5b", "OperationTypeApply",
            "runner@fv-az1234-567", "1.11.4", "2026-11-04T10:00:01.123Z", Acme.STATE_KEY);
    static final Clock ARRIVAL = Clock.fixed(Instant.parse("2026-11-04T10:20:00Z"), ZoneOffset.UTC);

    final InMemoryAuditStore store = new InMemoryAuditStore();
    final InMemoryLockProbe locks = new InMemoryLockProbe();
    final Scenario s = new Scenario();
    final Supplier<Ingestor> ingestor = () -> new Ingestor(store, Acme.POLICY, List.of("file"), ARRIVAL);

    LiveIngest live(LockProbe probe) {
        return new LiveIngest(ingestor, new LockBodies(store, probe));
    }

    /** Each record as the EventBridge event an SQS message carries, ids m1, m2…. */
    static List<Ingestor.Message> messages(List<Rec> records) {
        List<Ingestor.Message> out = new ArrayList<>();
        for (Rec r : records) {
            out.add(new Ingestor.Message("m" + (out.size() + 1), r.eventBridge()));
        }
        return out;
    }

    static String where(Rec r) {
        return r.node().path("recipientAccountId").asText() + " " + r.node().path("awsRegion").asText();
    }

    static List<Kind> kinds(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::kind).toList();
    }

    @Test
    void aLockAcquisition_hasItsBodyReadWhileHeld_andKeptWithTheLock() {
        Credentials run = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        Rec lock = run.lockItem(Acme.LOCK_TABLE, Acme.STATE_KEY);
        run.write(Acme.BUCKET, Acme.STATE);
        locks.hold(Acme.STATE_KEY, LOCK_STORE, BODY);

        List<Outcome> out = live(locks).ingest(messages(s.records()));

        assertEquals(List.of(Kind.INGESTED, Kind.INGESTED, Kind.INGESTED), kinds(out));
        assertEquals(List.of(Acme.STATE_KEY + " " + LOCK_STORE + " " + where(lock)), locks.probed(), "only the acquisition is looked at");
        assertEquals(List.of(), out.get(0).lockReads());
        assertEquals(List.of(), out.get(2).lockReads());
        LockBodies.Read read = out.get(1).lockReads().get(0);
        assertTrue(read.stored());
        assertEquals(LockProbe.State.HELD, read.probe().state());
        List<WatchedLock> watched = store.locksToWatch();
        assertEquals(1, watched.size(), watched.toString());
        assertEquals(BODY, watched.get(0).details(), "the body is kept with the lock it belongs to");
    }

    @Test
    void aLockReleasedBeforeItIsRead_isGone_andNoBodyIsKept() {
        Credentials run = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        run.lockItem(Acme.LOCK_TABLE, Acme.STATE_KEY);

        List<Outcome> out = live(locks).ingest(messages(s.records()));

        LockBodies.Read read = out.get(1).lockReads().get(0);
        assertEquals(LockProbe.State.GONE, read.probe().state());
        assertFalse(read.stored());
        assertNull(read.error());
        assertNull(store.locksToWatch().get(0).details());
    }

    @Test
    void aLockStoreThatCannotBeLookedAt_isUnknownWithItsReason_andTheMessageIsDone() {
        Credentials run = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        run.lock(Acme.BUCKET, Acme.STATE);
        locks.unreachable("s3", "AccessDenied: no lock-reader role in 222222222222");

        List<Outcome> out = live(locks).ingest(messages(s.records()));

        assertEquals(List.of(Kind.INGESTED, Kind.INGESTED), kinds(out));
        LockBodies.Read read = out.get(1).lockReads().get(0);
        assertEquals(LockProbe.State.UNKNOWN, read.probe().state());
        assertEquals("AccessDenied: no lock-reader role in 222222222222", read.probe().reason());
        assertFalse(read.stored());
    }

    @Test
    void aProbeThatThrows_isReported_neverRetriesTheMessage() {
        Credentials run = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        run.lockItem(Acme.LOCK_TABLE, Acme.STATE_KEY);
        LockProbe broken = (stateKey, lockStore, account, region) -> {
            throw new IllegalStateException("lock reader role cannot be assumed");
        };

        List<Outcome> out = live(broken).ingest(messages(s.records()));

        assertEquals(List.of(Kind.INGESTED, Kind.INGESTED), kinds(out));
        assertFalse(out.get(1).retry(), "the calls are stored and judged: a lost lock body is no reason to redeliver");
        LockBodies.Read read = out.get(1).lockReads().get(0);
        assertNotNull(read.error());
        assertFalse(read.stored());
        assertEquals(1, store.stateCalls(Acme.STATE_KEY, Instant.parse("2026-11-04T00:00:00Z"), Instant.parse("2026-11-05T00:00:00Z")).size());
    }

    @Test
    void onlySuccessfulAcquisitionsAreLookedAt_notRefusedLocksReleasesOrWrites() {
        Credentials first = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        Credentials second = s.login(Acme.PRODUCTION, Acme.APPLY_ROLE);
        Rec taken = first.lockItem(Acme.LOCK_TABLE, Acme.STATE_KEY);
        second.lockItem(Acme.LOCK_TABLE, Acme.STATE_KEY).failed("ConditionalCheckFailedException", "The conditional request failed");
        first.write(Acme.BUCKET, Acme.STATE);
        first.unlockItem(Acme.LOCK_TABLE, Acme.STATE_KEY);
        Rec s3Lock = second.lock(Acme.BUCKET, Acme.STATE);

        List<Outcome> out = live(locks).ingest(messages(s.records()));

        assertTrue(out.stream().noneMatch(Outcome::retry), kinds(out).toString());
        assertEquals(List.of(Acme.STATE_KEY + " " + LOCK_STORE + " " + where(taken), Acme.STATE_KEY + " s3 " + where(s3Lock)), locks.probed());
    }

    @Test
    void emptyAndUnreadableMessages_areRetried_theOthersOfTheBatchAreDone() {
        Credentials run = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        List<Ingestor.Message> batch = List.of(
                new Ingestor.Message("m1", s.records().get(0).eventBridge()),
                new Ingestor.Message("m2", "   "),
                new Ingestor.Message("m3", "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":{\"eventTime\":"),
                new Ingestor.Message("m4", null));

        List<Outcome> out = live(locks).ingest(batch);

        assertEquals(List.of(Kind.INGESTED, Kind.EMPTY, Kind.POISON, Kind.EMPTY), kinds(out));
        assertEquals(List.of(false, true, true, true), out.stream().map(Outcome::retry).toList());
        assertEquals(List.of("m1", "m2", "m3", "m4"), out.stream().map(o -> o.message().source()).toList());
        assertFalse(out.get(2).result().malformed().isEmpty(), "the poison message says what could not be read");
        assertFalse(store.sessionEvents(List.of(run.key())).isEmpty(), "the readable message of the batch was stored");
    }

    @Test
    void aDeliveryWithNothingToRead_neverLoadsThePolicy_oneWithSomethingFailsWholeWhenItCannot() {
        Supplier<Ingestor> unloadable = () -> {
            throw new PolicyException("ssm:/statetrail/policy: cannot read policy");
        };
        LiveIngest live = new LiveIngest(unloadable, new LockBodies(store, locks));
        s.login(Acme.MAIN, Acme.APPLY_ROLE);

        assertEquals(List.of(Kind.EMPTY), kinds(live.ingest(List.of(new Ingestor.Message("m1", "")))));
        // The whole invocation fails and is delivered again: no message is judged without the policy.
        assertThrows(PolicyException.class, () -> live.ingest(messages(s.records())));
    }
}
