package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateDeletedTest {

    @Test
    void deletingAStateByItsWriterIsStillReported() {
        Scenario s = new Scenario();
        Credentials run = s.login(PRODUCTION, APPLY_ROLE);
        Rec delete = run.delete(BUCKET, "env:/prod/infra/terraform.tfstate");

        Finding f = s.replay(POLICY).only(FindingType.STATE_DELETED);

        assertEquals(BUCKET + "/env:/prod/infra/terraform.tfstate", f.stateKey());
        assertEquals(PRODUCTION, f.subject());
        assertEquals(delete.time(), f.time());
        assertEquals("critical", f.severity().label());
    }

    @Test
    void deletingTheLockObjectIsAReleaseNotADeletion() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.STATE_DELETED));
    }

    @Test
    void multiObjectDeleteReportsEveryStateItNames() {
        Scenario s = new Scenario();
        Rec delete = Rec.s3("DeleteObjects", s.login(MAIN, APPLY_ROLE).caller(), BUCKET, "");
        delete.node().with("requestParameters").remove("key");
        delete.node().with("requestParameters").putObject("delete").put("quiet", "true");
        ArrayNode resources = Json.MAPPER.createArrayNode();
        resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + STATE_KEY);
        resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + BUCKET + "/infra/dns/terraform.tfstate");
        resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + BUCKET + "/README.md");
        resources.addObject().put("accountId", "222222222222").put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::" + BUCKET);
        s.add(delete.set("resources", resources));

        List<Finding> found = s.replay(POLICY).ofType(FindingType.STATE_DELETED);

        assertEquals(List.of(BUCKET + "/infra/dns/terraform.tfstate", STATE_KEY), found.stream().map(Finding::stateKey).sorted().toList());
    }

    @Test
    void refusedDeleteIsIgnored() {
        Scenario s = new Scenario();
        s.login(MAIN, APPLY_ROLE).delete(BUCKET, STATE).failed("AccessDenied", "Access Denied");

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    // ---- DeleteObjects that names no keys (issue 13, point 2) ----

    @Test
    void bulkDeleteOnABucketThePolicyNamesIsReportedForTheBucketWithoutKeys() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec delete = s.add(Rec.deleteObjects(run.caller(), BUCKET));

        Finding f = s.replay(POLICY).only(FindingType.STATE_DELETED);

        assertEquals(BUCKET + "/*", f.stateKey());
        assertEquals("critical", f.severity().label());
        assertEquals(MAIN, f.subject());
        assertEquals(delete.time(), f.time());
        assertEquals("true", f.details().get("bulkDelete"));
        assertEquals("false", f.details().get("keysLogged"));
        assertEquals("false", f.details().get("verified"));
        assertEquals(BUCKET, f.details().get("bucket"));
        assertTrue(f.summary().contains("the keys are not logged"), f.summary());
        assertTrue(StateDeleted.isBulk(f));
    }

    @Test
    void bulkDeleteOnABucketWhereStatesWereSeenNamesThem() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.read("legacy-tfstate", "network/terraform.tfstate");
        run.read("legacy-tfstate", "dns/terraform.tfstate");
        s.add(Rec.deleteObjects(run.caller(), "legacy-tfstate"));

        Finding f = s.replay(POLICY).only(FindingType.STATE_DELETED);

        assertEquals("legacy-tfstate/*", f.stateKey());
        assertEquals("legacy-tfstate/dns/terraform.tfstate,legacy-tfstate/network/terraform.tfstate", f.details().get("knownStates"));
    }

    @Test
    void bulkDeleteOnABucketThatHoldsNoStateIsNotReported() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.read("acme-app-assets", "index.html");
        s.add(Rec.deleteObjects(run.caller(), "acme-app-assets"));

        assertEquals(List.of(), s.replay(POLICY).findings());
    }

    @Test
    void manyDeleteObjectsCallsOfOneRunOnOneBucketAreOneFinding() {
        // aws s3 rm --recursive deletes 1,000 keys a call.
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        for (int i = 0; i < 4; i++) {
            s.add(Rec.deleteObjects(run.caller(), BUCKET));
        }
        s.add(Rec.deleteObjects(run.caller(), BUCKET).failed("AccessDenied", "Access Denied"));

        Finding f = s.replay(POLICY).only(FindingType.STATE_DELETED);

        assertEquals(4, f.count());
        assertEquals(4, f.eventIds().size() - 1); // and the login that issued the session
    }

    @Test
    void perObjectDeletesDeliveredAsWellStillNameTheirStates() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(Rec.deleteObjects(run.caller(), BUCKET));
        s.sameSecond();
        run.delete(BUCKET, STATE);

        List<Finding> found = s.replay(POLICY).ofType(FindingType.STATE_DELETED);

        assertEquals(List.of(BUCKET + "/*", STATE_KEY), found.stream().map(Finding::stateKey).sorted().toList());
    }
}
