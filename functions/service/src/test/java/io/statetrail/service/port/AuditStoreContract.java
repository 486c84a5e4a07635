package io.statetrail.service.port;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static io.statetrail.core.fixture.Acme.RUNNER_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.core.finding.StatusChange;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.Acme;
import io.statetrail.core.fixture.StoreCalls;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.core.trail.Trail;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.Findings.StoredFinding;
import io.statetrail.service.port.Findings.Withdrawal;
import io.statetrail.service.query.LockDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditStore} answers, port by port: the DynamoDB adapters ({@code store-dynamodb}) and the in-memory
 * ones beside the service's tests both extend this class, so the service's unit tests on memory mean what they say.
 * Records are real CloudTrail text (the core's fixture), read through the reader as the ingestor reads them.
 */
public abstract class AuditStoreContract {

    /** A fresh, empty store. */
    protected abstract AuditStore newStore();

    static final RecordReader READER = new RecordReader(new RecordClassifier(new StateObjects(POLICY)));

    /** The events of one relevant record, as the reader makes them. */
    protected static List<TrailEvent> events(Rec r) {
        List<List<TrailEvent>> out = relevant(r);
        assertEquals(1, out.size(), "one relevant record: " + r);
        return out.get(0);
    }

    /** The events of a record the store keeps (none for one the classifier finds irrelevant). */
    public static List<List<TrailEvent>> relevant(Rec r) {
        List<List<TrailEvent>> out = new ArrayList<>();
        READER.readString("contract", r.json(), new RecordSink() {
            @Override
            public void relevant(String source, long line, List<TrailEvent> events) {
                out.add(events);
            }

            @Override
            public void irrelevant() {
            }

            @Override
            public void malformed(Malformed m) {
                throw new AssertionError(m.toString());
            }
        });
        return out;
    }

    static void put(AuditStore store, List<Rec> records) {
        for (Rec r : records) {
            relevant(r).forEach(store::putCall);
        }
    }

    static Set<String> eventIds(List<List<TrailEvent>> calls) {
        Set<String> out = new TreeSet<>();
        calls.forEach(c -> c.forEach(e -> out.add(e.meta().eventId())));
        return out;
    }

    // ---- The store itself (issue 19) ----

    @Test
    void storeCallsAreListedByTheStoreTheyChange_tablesByNameInEveryAccount() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec suspend = s.add(StoreCalls.versioning(run.caller(), BUCKET, "Suspended"));
        Rec other = s.add(StoreCalls.versioning(run.caller(), "acme-scratch", "Suspended"));
        Rec ttl = s.add(StoreCalls.timeToLive(run.caller(), LOCK_TABLE, true));
        Rec ttlElsewhere = s.add(StoreCalls.timeToLive(run.caller(), LOCK_TABLE, false).recipient("111111111111"));
        Rec disable = s.add(StoreCalls.key("DisableKey", run.caller(), Acme.STATE_KEY_ARN, null, null, "d"));
        AuditStore store = newStore();
        put(store, s.records());
        put(store, s.records()); // again: still once each

        assertEquals(Set.of(suspend.eventId()), eventIds(store.storeCalls("bucket:" + BUCKET)));
        assertEquals(Set.of(other.eventId()), eventIds(store.storeCalls("bucket:acme-scratch")));
        assertEquals(Set.of(ttl.eventId(), ttlElsewhere.eventId()), eventIds(store.storeCalls("table:" + LOCK_TABLE)));
        assertEquals(Set.of(disable.eventId()), eventIds(store.storeCalls("key:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")));
        assertEquals(List.of(), store.storeCalls("bucket:nothing-here"));
        assertEquals(Set.of(disable.eventId(), suspend.eventId(), other.eventId(), ttl.eventId(), ttlElsewhere.eventId()),
                eventIds(store.callsSignedBy(List.of(run.key()))).stream().filter(id -> !id.equals(s.records().get(0).eventId()))
                        .collect(java.util.stream.Collectors.toSet()), "store calls are found by the key that signed them");
    }

    @Test
    void lockTableCallsAreTheLockCallsOnTheTableInTheWindow() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec lock = run.lockItem(LOCK_TABLE, STATE_KEY);
        run.write(BUCKET, STATE);
        run.lockItem(LOCK_TABLE, STATE_KEY + "-md5"); // a digest: no lock call
        Rec unlock = run.unlockItem(LOCK_TABLE, STATE_KEY);
        Rec elsewhere = run.lockItem("other-locks", BUCKET + "/infra/other/terraform.tfstate");
        s.after(Duration.ofDays(3));
        Rec later = run.lockItem(LOCK_TABLE, BUCKET + "/infra/dns/terraform.tfstate");
        AuditStore store = newStore();
        put(store, s.records());

        Instant from = lock.time();
        assertEquals(Set.of(lock.eventId(), unlock.eventId()), eventIds(store.lockTableCalls(LOCK_TABLE, from, from.plus(Duration.ofDays(1)))));
        assertEquals(Set.of(later.eventId()), eventIds(store.lockTableCalls(LOCK_TABLE, from.plus(Duration.ofDays(1)), later.time().plusSeconds(1))));
        assertEquals(Set.of(), eventIds(store.lockTableCalls("other-locks", from, from.plus(Duration.ofDays(1)))), "not a listed lock table");
        assertFalse(elsewhere.eventId().isEmpty());
    }

    @Test
    void theCatalogueSaysOnceWhatIsNew_andListsTheStatesOfABucket() {
        AuditStore store = newStore();

        assertEquals(Set.of("bucket:b", "state:b/x/terraform.tfstate", "key:k1"),
                store.markStores(List.of("bucket:b", "state:b/x/terraform.tfstate", "key:k1")));
        assertEquals(Set.of("state:b/y/terraform.tfstate"), store.markStores(List.of("bucket:b", "state:b/y/terraform.tfstate")));
        assertEquals(Set.of(), store.markStores(List.of("bucket:b")));
        assertEquals(Set.of("bucket:b", "key:k1"), store.knownStores(List.of("bucket:b", "key:k1", "table:t")));
        assertEquals(Set.of("b/x/terraform.tfstate", "b/y/terraform.tfstate"), store.statesIn("b"));
        assertEquals(Set.of(), store.statesIn("bb"));
    }

    @Test
    void aWeakenedStoreIsWatchedUntilResolved_andRaisingItAgainKeepsWhatTheSweeperSaw() {
        AuditStore store = newStore();
        Instant t = Instant.parse("2026-11-17T08:10:31Z");
        StoreWatch a = new StoreWatch("state-bucket-weakened-aaaa", "bucket", "acme-tfstate-tooling", "versioning", "111111111111",
                "eu-west-1", t, null, null, null, null);
        StoreWatch b = new StoreWatch("lock-table-changed-bbbb", "table", "acme-tf-locks", "point-in-time-recovery", "111111111111",
                "eu-west-1", t.plusSeconds(31), null, null, null, null);
        store.watchStore(a);
        store.watchStore(b);
        Instant now = Instant.parse("2026-11-17T09:00:00Z");
        store.storeChecked(b.checked(now, true, "PointInTimeRecoveryStatus: DISABLED", null));

        assertEquals(List.of(a.findingId(), b.findingId()), store.storesToWatch(10).stream().map(StoreWatch::findingId).toList(),
                "never checked first");
        store.watchStore(b);
        assertEquals(b.checked(now, true, "PointInTimeRecoveryStatus: DISABLED", null), store.storesToWatch(10).get(1),
                "raised again: the check is kept");
        assertEquals(1, store.storesToWatch(1).size());

        store.storeChecked(a.checked(now, false, "Status: Enabled", now));
        store.watchStore(a);
        assertEquals(List.of(b.findingId()), store.storesToWatch(10).stream().map(StoreWatch::findingId).toList(), "resolved stays resolved");
        store.unwatchStore(b.findingId());
        store.storeChecked(b.checked(now, true, "ignored", null));
        assertEquals(List.of(), store.storesToWatch(10));
    }

    // ---- Calls ----

    @Test
    void aCallIsStoredOnceAndTheOtherAccountsCopyIsPreferredAsRicherWhateverCameFirst() {
        Scenario s = new Scenario();
        Credentials tooling = s.login(MAIN, TOOLING_ROLE);
        tooling.assumeRole(TERRAFORM_PROD_ROLE); // cross-account: caller's copy and the role account's copy
        List<Rec> records = s.records();
        Rec login = records.get(0);
        List<Rec> copies = records.subList(1, records.size());
        assertEquals(2, copies.size(), "both copies of the hop");
        for (boolean callerFirst : new boolean[] {true, false}) {
            AuditStore store = newStore();
            assertEquals(Trail.Added.NEW, store.putCall(events(login)));
            assertEquals(Trail.Added.DUPLICATE, store.putCall(events(login)));
            Rec first = callerFirst ? copies.get(0) : copies.get(1);
            Rec second = callerFirst ? copies.get(1) : copies.get(0);
            assertEquals(Trail.Added.NEW, store.putCall(events(first)));
            assertEquals(Trail.Added.OTHER_COPY, store.putCall(events(second)));
            assertEquals(Trail.Added.DUPLICATE, store.putCall(events(second)));
            // The hop's children are found by the caller's key: the caller's copy names it, whichever came first.
            assertEquals(1, store.childSessions(List.of(tooling.key())).size(), "callerFirst " + callerFirst);
            Map<String, List<TrailEvent>> hop = store.sessionEvents(store.childSessions(List.of(tooling.key())));
            assertEquals(2, hop.values().iterator().next().size(), "every copy of the hop's issuing call");
        }
    }

    /** Issue 15: a finding's evidence is found by eventID, with the kept copy's record minus secrets, whatever the order. */
    @Test
    void aCallIsFoundByTheEventIdOfItsKeptCopy_withThatCopysRecord_whateverCameFirst() {
        Scenario s = new Scenario();
        Credentials tooling = s.login(MAIN, TOOLING_ROLE);
        tooling.assumeRole(TERRAFORM_PROD_ROLE);
        List<Rec> records = s.records();
        Rec login = records.get(0);
        List<Rec> copies = records.subList(1, records.size());
        String kept = null;
        for (boolean callerFirst : new boolean[] {true, false}) {
            AuditStore store = newStore();
            store.putCall(events(login), redacted(login));
            Rec first = callerFirst ? copies.get(0) : copies.get(1);
            Rec second = callerFirst ? copies.get(1) : copies.get(0);
            store.putCall(events(first), redacted(first));
            store.putCall(events(second), redacted(second));
            store.putCall(events(second), null); // a redelivery changes nothing

            List<Rec> found = copies.stream().filter(c -> store.call(c.eventId()).isPresent()).toList();
            assertEquals(1, found.size(), "only the kept copy's eventID finds the call");
            kept = kept == null ? found.get(0).eventId() : kept;
            assertEquals(kept, found.get(0).eventId(), "the same copy is kept whatever came first");
            io.statetrail.service.query.CallRecord hop = store.call(kept).orElseThrow();
            assertEquals(new TreeSet<>(List.of(copies.get(0).eventId(), copies.get(1).eventId())), new TreeSet<>(hop.eventIds()));
            assertEquals(redacted(found.get(0)), hop.record());
            assertEquals(kept, hop.meta().eventId());

            io.statetrail.service.query.CallRecord loginCall = store.call(login.eventId()).orElseThrow();
            assertEquals(redacted(login), loginCall.record());
            assertFalse(loginCall.record().contains(login.sessionToken()), "no session token in the kept record");
            assertEquals(java.util.Optional.empty(), store.call("00000000-0000-0000-0000-000000000000"));
        }
    }

    @Test
    void aCallStoredWithoutItsRecordSaysSo_andLinkingItsSessionKeepsARecord() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec write = run.write(BUCKET, STATE);
        AuditStore store = newStore();
        Rec login = s.records().get(0);
        store.putCall(events(login), redacted(login));
        store.putCall(events(write));

        assertEquals(null, store.call(write.eventId()).orElseThrow().record());
        store.putSessionRuns(List.of(new SessionRun(run.key(), "ASIAOTHERRUNKEY00001", "unknown", null, null, null)));
        assertEquals(redacted(login), store.call(login.eventId()).orElseThrow().record());
    }

    static String redacted(Rec r) {
        return io.statetrail.core.cloudtrail.RecordRedaction.redact(r.json()).orElseThrow();
    }

    @Test
    void stateCallsAreReadByStateAndHalfOpenWindowWithEveryCopy() {
        AuditStore store = newStore();
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec lock = run.lock(BUCKET, STATE);
        Rec write = run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);
        put(store, s.records());
        store.putCall(events(write)); // a duplicate changes nothing
        Instant t = lock.time();
        List<List<TrailEvent>> all = store.stateCalls(STATE_KEY, t.minusSeconds(60), t.plusSeconds(60));
        assertTrue(eventIds(all).containsAll(Set.of(lock.eventId(), write.eventId())));
        assertEquals(Set.of(), eventIds(store.stateCalls(STATE_KEY, t.minusSeconds(60), t)), "[from, to): the lock's second is not before itself");
        assertEquals(Set.of(lock.eventId()), eventIds(store.stateCalls(STATE_KEY, t, t.plusSeconds(1))));
        assertEquals(Set.of(STATE_KEY), store.stateKeysTouchedBy(List.of(run.key())));
        assertTrue(eventIds(store.callsSignedBy(List.of(run.key()))).contains(write.eventId()));
    }

    @Test
    void theLatestLockCallBeforeAndTheFirstAfterArePerLockStoreAndSuccessfulOnly() {
        AuditStore store = newStore();
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec s3Lock = run.lock(BUCKET, STATE);
        Rec itemLock = run.lockItem(LOCK_TABLE, STATE_KEY);
        s.after(Duration.ofMinutes(5));
        Rec refused = run.lockItem(LOCK_TABLE, STATE_KEY).failed("ConditionalCheckFailedException", "The conditional request failed");
        Rec itemUnlock = run.unlockItem(LOCK_TABLE, STATE_KEY);
        put(store, s.records());
        Set<String> before = eventIds(store.lockCallsBefore(STATE_KEY, itemUnlock.time()));
        assertEquals(Set.of(s3Lock.eventId(), itemLock.eventId()), before, "latest successful per store, strictly before");
        assertFalse(before.contains(refused.eventId()));
        List<TrailEvent> after = store.lockCallAfter(STATE_KEY, "dynamodb:" + LOCK_TABLE, itemLock.time().plusSeconds(1));
        assertEquals(itemUnlock.eventId(), after.get(0).meta().eventId());
        assertEquals(List.of(), store.lockCallAfter(STATE_KEY, "s3", s3Lock.time().plusSeconds(1)));
    }

    @Test
    void refusedLoginsAreGroupedBySubjectRoleAndUtcDay() {
        AuditStore store = newStore();
        // Refused logins keep the role in the request (AWS re:Post, 2023).
        Rec a = Rec.deniedWebIdentity(MAIN, APPLY_ROLE, "contract-a").at("2026-11-04T23:59:59Z").set("requestParameters.roleArn", APPLY_ROLE);
        Rec b = Rec.deniedWebIdentity(MAIN, APPLY_ROLE, "contract-b").at("2026-11-05T00:00:01Z").set("requestParameters.roleArn", APPLY_ROLE);
        put(store, List.of(a, b));
        assertEquals(Set.of(a.eventId()), eventIds(store.failedLogins(MAIN, APPLY_ROLE, Instant.parse("2026-11-04T00:00:00Z"))));
        assertEquals(Set.of(b.eventId()), eventIds(store.failedLogins(MAIN, APPLY_ROLE, Instant.parse("2026-11-05T00:00:00Z"))));
        assertEquals(Set.of(), eventIds(store.failedLogins(MAIN, TOOLING_ROLE, Instant.parse("2026-11-05T00:00:00Z"))));
    }

    // ---- Sessions ----

    @Test
    void sessionsLinkByCallerKeyAndRunsAreKeptPerSession() {
        AuditStore store = newStore();
        Scenario s = new Scenario();
        Credentials login = s.login(MAIN, TOOLING_ROLE);
        Credentials hop = login.assumeRole(RUNNER_ROLE);
        Credentials hop2 = hop.assumeRole(TERRAFORM_PROD_ROLE);
        put(store, s.records());
        assertEquals(Set.of(hop.key()), store.childSessions(List.of(login.key())));
        assertEquals(Set.of(hop2.key()), store.childSessions(List.of(hop.key())));
        assertEquals(Set.of(login.key(), hop.key(), hop2.key()), store.sessionEvents(List.of(login.key(), hop.key(), hop2.key(), "ASIAMISSING0000000001")).keySet());
        store.putSessionRuns(List.of(new SessionRun(hop.key(), login.key(), "web-identity", MAIN, null, null),
                new SessionRun(hop2.key(), login.key(), "web-identity", MAIN, null, null)));
        assertEquals(Set.of(login.key(), hop.key(), hop2.key()), store.sessionKeysOfRun(login.key()));
        RoleAssumed issued = (RoleAssumed) store.sessionEvents(List.of(hop.key())).get(hop.key()).get(0);
        Instant t = issued.meta().time();
        assertFalse(store.sessionsByRoleId(issued.assumedRoleId(), t, t).isEmpty(), "[from, to] includes both ends");
        assertTrue(store.sessionsByRoleId(issued.assumedRoleId(), t.plusSeconds(1), t.plusSeconds(60)).isEmpty());
    }

    @Test
    void aHopSeenOnlyInTheRoleAccountIsFoundByTheParentsAssumedRoleIdWhileItLives() {
        AuditStore store = newStore();
        Scenario s = new Scenario();
        Credentials tooling = s.login(MAIN, TOOLING_ROLE);
        Credentials prod = tooling.assumeRoleSeenOnlyInRoleAccount(TERRAFORM_PROD_ROLE);
        put(store, s.records());
        assertEquals(Set.of(prod.key()), store.childSessions(List.of(tooling.key())));
        RoleAssumed parent = (RoleAssumed) store.sessionEvents(List.of(tooling.key())).get(tooling.key()).get(0);
        Instant from = parent.meta().time();
        assertEquals(Set.of(prod.key()), store.sessionsOpenedByRoleId(parent.assumedRoleId(), from, from.plus(Duration.ofHours(1))));
        assertEquals(Set.of(), store.sessionsOpenedByRoleId(parent.assumedRoleId(), from.plus(Duration.ofHours(2)), from.plus(Duration.ofHours(3))));
    }

    // ---- Locks ----

    static LockState lock(boolean open, String lastOpAt, String callKey) {
        Instant t = Instant.parse(lastOpAt);
        return new LockState(STATE_KEY, "s3", open, t, callKey, open ? t : null, open ? callKey : null, open ? "evt-" + callKey : null,
                open ? "ASIAHOLDER0000000001" : null, open ? "ASIAHOLDER0000000001" : null, MAIN, "acme/infra", "222222222222", "eu-west-1");
    }

    @Test
    void theNewestLockCallWinsAndTheSweepersViewIsKept() {
        AuditStore store = newStore();
        store.putLockState(lock(true, "2026-11-04T10:00:01Z", "b"));
        store.putLockState(lock(false, "2026-11-04T10:00:00Z", "a")); // older, arrived late
        assertEquals(1, store.locksToWatch().size());
        assertTrue(store.locksToWatch().get(0).state().open());
        store.putLockWatch(STATE_KEY, "s3", new LockWatch(null, null, "b", "stale-lock-1", Instant.parse("2026-11-04T12:00:00Z"), null, 0, null));
        store.putLockState(lock(false, "2026-11-04T13:00:00Z", "c")); // released: the alert stays watched until resolved
        List<WatchedLock> watched = store.locksToWatch();
        assertEquals(1, watched.size());
        assertFalse(watched.get(0).state().open());
        assertEquals("stale-lock-1", watched.get(0).watch().alertFindingId());
        assertEquals(List.of(STATE_KEY), store.locksInBucket(BUCKET).stream().map(LockState::stateKey).toList());
        assertEquals(List.of(), store.locksInBucket("acme-tfstate-staging"));
    }

    @Test
    void aLockBodyIsMatchedToTheAcquisitionWithinFiveMinutes() {
        AuditStore store = newStore();
        store.putLockState(lock(true, "2026-11-04T10:00:00Z", "a"));
        store.putLockDetails(STATE_KEY, "s3", Instant.parse("2026-11-04T10:04:00Z"),
                new LockDetails("id-1", "OperationTypeApply", "runner@fv-az1", "1.10.0", "2026-11-04T10:00:00Z", STATE_KEY));
        assertEquals("id-1", store.locksToWatch().get(0).details().id());
        store.putLockDetails(STATE_KEY, "s3", Instant.parse("2026-11-04T10:00:01Z"),
                new LockDetails("id-2", "OperationTypeApply", "runner@fv-az2", "1.10.0", "2026-11-04T10:00:01Z", STATE_KEY));
        assertEquals("id-2", store.locksToWatch().get(0).details().id(), "the nearest body");
    }

    // ---- Pending sessions and bulk deletes ----

    @Test
    void aPendingSessionKeepsItsEarliestSightingUntilLookedUpOrCleared() {
        AuditStore store = newStore();
        store.markUnattributed("ASIAPENDING000000001", Instant.parse("2026-11-04T10:05:00Z"));
        store.markUnattributed("ASIAPENDING000000001", Instant.parse("2026-11-04T10:00:00Z"));
        store.markUnattributed("ASIAPENDING000000001", Instant.parse("2026-11-04T10:10:00Z"));
        store.markUnattributed("ASIAPENDING000000002", Instant.parse("2026-11-04T09:00:00Z"));
        List<Unattributed> due = store.unattributedBefore(Instant.parse("2026-11-04T10:00:01Z"), 10);
        assertEquals(List.of("ASIAPENDING000000002", "ASIAPENDING000000001"), due.stream().map(Unattributed::accessKey).toList(), "oldest first");
        assertEquals(Instant.parse("2026-11-04T10:00:00Z"), due.get(1).firstSeen());
        assertEquals(1, store.unattributedBefore(Instant.parse("2026-11-04T10:00:00Z"), 10).size(), "before the cutoff only");
        store.markLookedUp("ASIAPENDING000000002", Instant.parse("2026-11-04T11:00:00Z"));
        store.clearUnattributed("ASIAPENDING000000001");
        assertEquals(List.of(), store.unattributedBefore(Instant.parse("2026-11-05T00:00:00Z"), 10));
    }

    @Test
    void aBulkDeleteWaitsOnceUntilJudged() {
        AuditStore store = newStore();
        store.markBulkDelete(BUCKET + "/*", "call-2", Instant.parse("2026-11-04T10:02:00Z"));
        store.markBulkDelete(BUCKET + "/*", "call-1", Instant.parse("2026-11-04T10:01:00Z"));
        store.markBulkDelete(BUCKET + "/*", "call-1", Instant.parse("2026-11-04T10:01:00Z"));
        assertEquals(List.of("call-1", "call-2"),
                store.bulkDeletesBefore(Instant.parse("2026-11-04T11:00:00Z"), 10).stream().map(BulkDelete::callKey).toList());
        store.markBulkDeleteJudged("call-1", Instant.parse("2026-11-04T11:00:00Z"));
        assertEquals(List.of("call-2"), store.bulkDeletesBefore(Instant.parse("2026-11-04T11:00:00Z"), 10).stream().map(BulkDelete::callKey).toList());
        assertEquals(BUCKET, store.bulkDeletesBefore(Instant.parse("2026-11-04T11:00:00Z"), 10).get(0).bucket());
    }

    // ---- Findings and deliveries ----

    static Finding finding(String id, String time) {
        Instant t = Instant.parse(time);
        return new Finding(id, "unlocked-state-write", Severity.HIGH, t, "222222222222", MAIN, "acme/infra", "refs/heads/main", APPLY_ROLE,
                STATE_KEY, "ASIAWRITER0000000001", "ASIAWRITER0000000001", List.of(APPLY_ROLE), List.of("evt-" + id), "wrote state", 1,
                Map.of(), t, true);
    }

    @Test
    void aFindingIsCreatedOnceWithItsPagesAndReadByScopeTimeAndType() {
        AuditStore store = newStore();
        Finding f = finding("f1", "2026-11-04T10:00:00Z");
        Delivery page = Delivery.queued(f, "slack", Instant.parse("2026-11-04T10:15:00Z"));
        assertTrue(store.create(new StoredFinding(f, "state:x", "state:x|a", null), List.of(page)));
        assertFalse(store.create(new StoredFinding(f, "state:x", "state:x|a", null), List.of(page)), "created once");
        Set<String> types = Set.of("unlocked-state-write");
        assertEquals(1, store.findingsOf("state:x", types, Instant.parse("2026-11-04T10:00:00Z"), Instant.parse("2026-11-04T10:00:01Z")).size());
        assertEquals(0, store.findingsOf("state:x", types, Instant.parse("2026-11-04T10:00:01Z"), null).size(), "[from, to)");
        assertEquals(0, store.findingsOf("state:y", types, null, null).size());
        assertEquals(0, store.findingsOf("state:x", Set.of("force-unlock"), null, null).size());
        assertEquals(List.of(Instant.parse("2026-11-04T10:00:00Z")), store.findingTimes("state:x", types, null, null));
        assertEquals(f, store.storedFinding("f1").orElseThrow().finding());

        store.put(new StoredFinding(f, "state:x", "state:x|a", new Withdrawal(Instant.parse("2026-11-04T11:00:00Z"), "held the lock")));
        assertEquals(1, store.findingsOf("state:x", types, null, null).size(), "withdrawn ones are read too");
        assertEquals(List.of(), store.findingTimes("state:x", types, null, null), "but not counted as holding");
        assertEquals("held the lock", store.finding("f1").orElseThrow().details().get("withdrawn"), "shown with why");
        store.delete(store.storedFinding("f1").orElseThrow());
        assertTrue(store.storedFinding("f1").isEmpty());
        assertEquals(List.of(), store.deliveriesOf("f1"), "its deliveries go with it");
    }

    @Test
    void aDeliveryIsDueAtItsTimeClaimedByAttemptsAndDeliveredOnce() {
        AuditStore store = newStore();
        Finding f = finding("f2", "2026-11-04T10:00:00Z");
        store.create(new StoredFinding(f, "state:x", "state:x|a", null), List.of(Delivery.queued(f, "slack", Instant.parse("2026-11-04T10:15:00Z"))));
        store.enqueue(List.of(Delivery.queued(f, "slack", Instant.EPOCH))); // exists: left as it is
        assertEquals(List.of(), store.dueDeliveries(Instant.parse("2026-11-04T10:14:59Z"), 10));
        Delivery due = store.dueDeliveries(Instant.parse("2026-11-04T10:15:00Z"), 10).get(0);
        assertEquals(f, due.finding(), "a page carries the finding as it is now");
        assertTrue(store.recordDelivery(due, false, "sending", Instant.parse("2026-11-04T10:17:00Z")), "the claim");
        assertFalse(store.recordDelivery(due, false, "sending", Instant.parse("2026-11-04T10:17:00Z")), "a second claim with the same attempts loses");
        Delivery claimed = due.attempted(Instant.parse("2026-11-04T10:17:00Z"), "sending");
        assertTrue(store.recordDelivery(claimed, true, null, null, "C0123|1762250100.000100"));
        assertFalse(store.recordDelivery(claimed.attempted(null, null), true, null, null), "never twice");
        assertEquals(List.of(), store.dueDeliveries(Instant.parse("2026-11-05T00:00:00Z"), 10));

        // A follow-up reads what was last sent to that destination and where, to reply in the page's thread.
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("notice", "updated-1");
        store.enqueue(List.of(Delivery.queued(f.with(f.summary(), details), "slack", Instant.EPOCH)));
        Delivery followUp = store.dueDeliveries(Instant.parse("2026-11-05T00:00:00Z"), 10).get(0);
        assertEquals("updated-1", followUp.notice());
        assertEquals("C0123|1762250100.000100", followUp.threadRef());
        assertEquals(f.material(), followUp.previous().material());
        assertTrue(store.postpone(followUp, Instant.parse("2026-11-06T00:00:00Z"), "settling"));
        assertEquals(List.of(), store.dueDeliveries(Instant.parse("2026-11-05T00:00:00Z"), 10), "postponed");
        store.cancel(followUp);
        assertEquals(List.of("raised"), store.deliveriesOf("f2").stream().map(Delivery::notice).toList(), "cancelled; the delivered page stays");
    }

    @Test
    void aStatusHistoryIsKeptOldestFirstOnceEachAndApartFromItsFinding() {
        AuditStore store = newStore();
        Finding f = finding("f3", "2026-11-04T10:00:00Z");
        store.create(new StoredFinding(f, "state:x", "state:x|a", null), List.of());
        assertEquals(List.of(), store.statusHistory("f3"));
        StatusChange ack = new StatusChange(FindingStatus.ACKNOWLEDGED, "arn:aws:iam::222222222222:user/alice",
                Instant.parse("2026-11-04T11:00:00Z"), "on it \"<b>\"", List.of("evt-f3"));
        StatusChange fp = new StatusChange(FindingStatus.FALSE_POSITIVE, "bob", Instant.parse("2026-11-04T11:05:00Z"), "drill", List.of("evt-f3"));
        store.recordStatus("f3", ack);
        store.recordStatus("f3", ack); // a retried request
        store.recordStatus("f3", fp);
        assertEquals(List.of(ack, fp), store.statusHistory("f3"), "with who, when, why and the evidence judged");
        assertEquals(Map.of("f3", fp), store.latestStatuses(List.of("f3", "f4")));
        store.put(new StoredFinding(f.withStatus(fp), "state:x", "state:x|a", null)); // the ingest judging it again
        assertEquals(List.of(ack, fp), store.statusHistory("f3"), "a rewritten finding keeps its triage");
        assertEquals(f, store.storedFinding("f3").orElseThrow().finding(), "and the finding itself carries none");

        // Its announcement is a delivery of the finding like any notice: listed, claimed and delivered once.
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("notice", "status-2");
        store.enqueue(List.of(Delivery.queued(f.withStatus(fp).with(f.summary(), details), "slack", Instant.EPOCH)));
        assertEquals(List.of("status-2"), store.deliveriesOf("f3").stream().map(Delivery::notice).toList());
        Delivery due = store.dueDeliveries(Instant.parse("2026-11-05T00:00:00Z"), 10).get(0);
        StatusChange announced = due.finding().statusChange();
        assertEquals(List.of(fp.status(), fp.by(), fp.at(), fp.note()), List.of(announced.status(), announced.by(), announced.at(), announced.note()),
                "it carries the change it announces");
        assertTrue(store.recordDelivery(due, true, null, null, "C1|2"));
        assertTrue(store.deliveriesOf("f3").get(0).delivered());
    }

    @Test
    void theLastAlertOfAGroupIsTheLatest() {
        AuditStore store = newStore();
        store.alerted("slack", "g", Instant.parse("2026-11-04T10:10:00Z"));
        store.alerted("slack", "g", Instant.parse("2026-11-04T10:00:00Z"));
        assertEquals(Instant.parse("2026-11-04T10:10:00Z"), store.lastAlerted("slack", "g").orElseThrow());
        assertTrue(store.lastAlerted("sns", "g").isEmpty());
    }

    /** The meta of a record, for tests that need one. */
    protected static EventMeta meta(Rec r) {
        return events(r).get(0).meta();
    }
}
