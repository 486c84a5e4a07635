package io.statetrail.service.ingest;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.FEATURE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.service.port.AuditStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: which messages of a batch are stored one after the other. Those that name the same call (a redelivery, the
 * other account's copy) or the same session (its login, the calls it signed, the hop it made and the session that hop
 * issued) are one group; another job's messages are another.
 */
class CallGroupsDecisionsTest {

    static List<List<TrailEvent>> calls(Rec r) {
        return AuditStoreContract.relevant(r);
    }

    @Test
    void aJobsLoginCallsHopAndRedeliveriesAreOneGroup_anotherJobIsAnother() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        Credentials other = s.login(FEATURE, APPLY_ROLE);
        Rec write = job.write(BUCKET, "infra/network/terraform.tfstate");
        Rec read = other.read(BUCKET, "infra/dns/terraform.tfstate");
        Credentials hop = job.assumeRole(TERRAFORM_PROD_ROLE);
        Rec hopCall = s.records().get(s.records().size() - 1);
        Rec hopRead = hop.read(BUCKET, "infra/network/terraform.tfstate");

        // The hop's last logged copy, delivered twice, then a read by the session it issued.
        List<Rec> batch = List.of(s.records().get(0), read, write, s.records().get(1), write, hopCall, hopCall, hopRead);
        List<List<List<TrailEvent>>> byMessage = batch.stream().map(CallGroupsDecisionsTest::calls).toList();

        assertEquals(List.of(List.of(0, 2, 4, 5, 6, 7), List.of(1, 3)), CallGroups.of(byMessage));
    }

    @Test
    void aMessageWithNothingRelevantIsAGroupOfItsOwn() {
        Scenario s = new Scenario().at("2026-11-04T10:00:00Z");
        Credentials job = s.login(MAIN, APPLY_ROLE);
        List<List<List<TrailEvent>>> byMessage = List.of(calls(s.records().get(0)), List.of(), calls(job.write(BUCKET, "a/terraform.tfstate")));

        assertEquals(List.of(List.of(0, 2), List.of(1)), CallGroups.of(byMessage));
    }
}
