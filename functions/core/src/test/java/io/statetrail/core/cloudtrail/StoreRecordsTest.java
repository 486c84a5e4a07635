package io.statetrail.core.cloudtrail;

import static io.statetrail.core.fixture.Acme.POLICY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.fixture.Acme;
import io.statetrail.core.fixture.Caller;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.StoreCalls;
import io.statetrail.core.terraform.StateObjects;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's calls read the way CloudTrail writes them, in every shape it takes (issue 19). */
class StoreRecordsTest {

    private static final Caller ALICE = Caller.iamUser("arn:aws:iam::111122223333:user/Alice", "AKIAI44QH8DHBEXAMPLE");

    private static List<TrailEvent> read(String json) {
        List<TrailEvent> out = new ArrayList<>();
        new RecordReader(new RecordClassifier(new StateObjects(POLICY))).read("t.json",
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 0, new RecordSink() {
                    @Override
                    public void relevant(String source, long line, List<TrailEvent> events) {
                        out.addAll(events);
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

    private static StoreChange only(Rec r) {
        List<TrailEvent> events = read(r.json());
        assertEquals(1, events.size(), events.toString());
        return (StoreChange) events.get(0);
    }

    @Test
    void aBareKeyIdIsTheKeyOfTheRecordsAccountAndRegion() {
        // As the KMS Developer Guide's ScheduleKeyDeletion example: a bare keyId, logged in us-east-1, account 111122223333.
        Rec r = StoreCalls.scheduleKeyDeletion(ALICE, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", 20)
                .region("us-east-1");

        StoreChange c = only(r);

        assertEquals(StoreChange.Store.KEY, c.store());
        assertEquals("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", c.name());
        assertEquals(c.name(), c.storeKey());
    }

    @Test
    void aKeyNamedByArnOrAliasIsThatKey() {
        String arn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        Rec byArn = StoreCalls.key("DisableKey", ALICE, arn, null, null, "arn");
        ((ObjectNode) byArn.node().get("requestParameters")).put("keyId", arn);
        Rec byAlias = StoreCalls.key("DisableKey", ALICE, arn, null, null, "alias").region("eu-west-1");
        ((ObjectNode) byAlias.node().get("requestParameters")).put("keyId", "alias/terraform");
        Rec aliasNoResource = byAlias.copy().remove("resources").eventId("7e1d7f2f-5a3b-4b3e-9d5e-0c8b1c6d2a11");

        assertEquals(arn, only(byArn).name());
        assertEquals(arn, only(byAlias).name());
        assertEquals(List.of(), read(aliasNoResource.json()), "an alias and nothing else names no key");
    }

    @Test
    void aKeyPolicyStaysTheStringCloudTrailLogged_andABucketPolicyTheObject() {
        String policy = "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ ]\n}";
        StoreChange key = only(StoreCalls.keyPolicy(ALICE, Acme.STATE_KEY_ARN, policy));
        StoreChange bucket = only(StoreCalls.bucketPolicy(ALICE, "acme-tfstate-prod", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"));

        assertEquals(policy, Json.read(key.request()).get("policy").asText());
        assertEquals(true, Json.read(bucket.request()).get("bucketPolicy").isObject());
        assertNull(Json.read(bucket.request()).get("Host"), "the endpoint is not kept");
    }

    @Test
    void lifecycleUnderItsCloudTrailName_oneRuleAsAnObject() {
        StoreChange c = only(StoreCalls.lifecycle(ALICE, "acme-tfstate-prod", "r", "infra/", true, 1));

        assertEquals("PutBucketLifecycle", c.meta().eventName());
        assertEquals("acme-tfstate-prod/*", c.storeKey());
        assertEquals(true, Json.read(c.request()).at("/LifecycleConfiguration/Rule").isObject());
    }

    @Test
    void updateTableAsTheDeveloperGuideShowsItNamesItsTableOnlyInTheResponse() {
        Rec r = StoreCalls.table("UpdateTable", ALICE, "Music", null, "x");
        ObjectNode req = Json.object();
        req.putObject("provisionedThroughput").put("writeCapacityUnits", 25).put("readCapacityUnits", 25);
        r.set("requestParameters", req).remove("resources");

        assertEquals("Music", only(r).name());
        assertEquals("put-bucket-versioning", only(StoreCalls.versioning(ALICE, "b", "Enabled")).kind());
    }

    @Test
    void aRestoreChangesItsTargetTable() {
        ObjectNode req = Json.object().put("targetTableName", "acme-tf-locks").put("backupArn",
                "arn:aws:dynamodb:eu-west-1:222222222222:table/acme-tf-locks/backup/01710000000000-abcdefgh");
        assertEquals("acme-tf-locks", only(StoreCalls.table("RestoreTableFromBackup", ALICE, "acme-tf-locks", req, "r")).name());
    }

    @Test
    void failedCallsAndOtherObjectsAclsAreNotKept() {
        assertEquals(List.of(), read(StoreCalls.versioning(ALICE, "b", "Suspended").failed("AccessDenied", "Access Denied").json()));
        assertEquals(List.of(), read(StoreCalls.publicObjectAcl(ALICE, "acme-tfstate-prod", "artifacts/app.zip").json()));
        assertEquals("acme-tfstate-prod/infra/a/terraform.tfstate",
                only(StoreCalls.publicObjectAcl(ALICE, "acme-tfstate-prod", "infra/a/terraform.tfstate")).storeKey());
    }

    @Test
    void versionedDeletesAndTheKeyOfAWrite() {
        StateAccess version = (StateAccess) read(StoreCalls.deleteVersion(ALICE, "acme-tfstate-prod", "infra/a/terraform.tfstate", "v1", false).json()).get(0);
        StateAccess marker = (StateAccess) read(StoreCalls.deleteVersion(ALICE, "acme-tfstate-prod", "infra/a/terraform.tfstate", "m1", true).json()).get(0);
        Rec write = Rec.s3("PutObject", ALICE, "acme-tfstate-prod", "infra/a/terraform.tfstate");
        ((ObjectNode) write.node().get("responseElements")).put("x-amz-server-side-encryption", "aws:kms")
                .putArray("x-amz-server-side-encryption-aws-kms-key-id").add(Acme.STATE_KEY_ARN);
        StateAccess w = (StateAccess) read(write.json()).get(0);

        assertEquals(StateAccess.Operation.DELETE_VERSION, version.operation());
        assertEquals("v1", version.versionId());
        assertEquals(StateAccess.Operation.DELETE_MARKER_REMOVED, marker.operation());
        assertEquals(Acme.STATE_KEY_ARN, w.kmsKeyId(), "a header logged as a list of one value");
    }
}
