package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BOOTSTRAP;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.PLATFORM_ADMIN_ROLE;
import static io.statetrail.core.fixture.Acme.POLICY_WITH_STORES;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY_ARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.StoreCalls;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateBucketWeakenedTest {

    private static final String DENY_INSECURE = """
            {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",
             "Resource":["arn:aws:s3:::acme-tfstate-prod","arn:aws:s3:::acme-tfstate-prod/*"],
             "Condition":{"Bool":{"aws:SecureTransport":"false"}}}""";
    private static final String TOOLING_READS = """
            {"Sid":"ToolingReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/terraform-runner"},
             "Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::acme-tfstate-prod","arn:aws:s3:::acme-tfstate-prod/*"]}""";

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static List<Finding> weakened(Scenario s) {
        return s.replay(POLICY_WITH_STORES).ofType(FindingType.STATE_BUCKET_WEAKENED);
    }

    @Test
    void versioningSuspendedOnAStateBucketIsCriticalAndNamesTheBucketAndWhoDidIt() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec suspend = s.add(StoreCalls.versioning(run.caller(), BUCKET, "Suspended"));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_BUCKET_WEAKENED);

        assertEquals("critical", f.severity().label());
        assertEquals(BUCKET + "/*", f.stateKey());
        assertEquals(MAIN, f.subject());
        assertEquals(APPLY_ROLE, f.roleArn());
        assertEquals(run.key(), f.accessKeyId());
        assertEquals(suspend.eventId(), f.eventIds().get(0));
        assertEquals("PutBucketVersioning", f.details().get("change"));
        assertEquals("versioning", f.details().get("setting"));
        assertNull(f.details().get("byAdmin"));
        assertNull(f.details().get("resolvedAt"));
    }

    @Test
    void anAdminWeakeningIsOneStepLowerAndSaysSo_anAdminTighteningRaisesNothing() {
        Scenario s = new Scenario();
        Credentials admin = s.login(BOOTSTRAP, APPLY_ROLE);
        s.add(StoreCalls.versioning(admin.caller(), BUCKET, "Enabled"));
        s.add(StoreCalls.publicAccessBlock(admin.caller(), BUCKET, true));
        s.add(StoreCalls.encryption(admin.caller(), BUCKET, "aws:kms", STATE_KEY_ARN));
        s.add(StoreCalls.bucketPolicy(admin.caller(), BUCKET, policy(DENY_INSECURE)));
        s.add(StoreCalls.bucketPolicy(admin.caller(), BUCKET, policy(DENY_INSECURE, TOOLING_READS)));
        assertEquals(List.of(), weakened(s), "tightening by an admin");

        s.add(StoreCalls.versioning(admin.caller(), BUCKET, "Suspended"));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_BUCKET_WEAKENED);
        assertEquals("high", f.severity().label());
        assertEquals("true", f.details().get("byAdmin"));
    }

    @Test
    void anAdminByRoleArnCountsToo() {
        Scenario s = new Scenario();
        Credentials admin = s.sessionNeverSeen(PLATFORM_ADMIN_ROLE, "alice", null);
        s.add(StoreCalls.deleteBucketPolicy(admin.caller(), BUCKET));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_BUCKET_WEAKENED);

        assertEquals("high", f.severity().label());
        assertEquals("true", f.details().get("byAdmin"));
        assertEquals("bucket policy deleted", f.details().get("problems"));
    }

    @Test
    void aBucketThatHoldsNoStateIsNotWatched_untilAStateCallShowsItDoes_whateverTheOrder() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.versioning(run.caller(), "acme-scratch", "Suspended"));
        assertEquals(List.of(), weakened(s));

        run.write("acme-scratch", "sandbox/terraform.tfstate");
        assertEquals(List.of("acme-scratch/*"), weakened(s).stream().map(Finding::stateKey).toList(),
                "a state write seen after the change shows the bucket holds state");
    }

    @Test
    void aBucketListedInStoresIsWatched() {
        Scenario s = new Scenario();
        s.add(StoreCalls.versioning(s.login(MAIN, APPLY_ROLE).caller(), "acme-tfstate-archive", "Suspended"));

        assertEquals(List.of("acme-tfstate-archive/*"), weakened(s).stream().map(Finding::stateKey).toList());
    }

    @Test
    void lifecycleRulesAreReadAsLogged_aSingleRuleAsAnObject_andOnlyThoseCoveringStateCount() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.lifecycle(run.caller(), BUCKET, "logs", "logs/", true, 30));
        assertEquals(List.of(), weakened(s), "no state under logs/");

        s.add(StoreCalls.lifecycle(run.caller(), BUCKET, "old-versions", "infra/", false, 7));
        Finding f = weakened(s).get(0);
        assertTrue(f.details().get("problems").contains("'old-versions' deletes noncurrent versions after 7 days under 'infra/'"),
                f.details().get("problems"));
    }

    @Test
    void lifecycleRulesAsAListSkipDisabledAndTagFilteredRules() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        ObjectNode config = Json.object();
        ObjectNode lc = config.putObject("LifecycleConfiguration");
        var rules = lc.putArray("Rule");
        rules.addObject().put("ID", "off").put("Status", "Disabled").putObject("Expiration").put("Days", 1);
        ObjectNode tagged = rules.addObject().put("ID", "tagged").put("Status", "Enabled");
        tagged.putObject("Filter").putObject("Tag").put("Key", "temporary").put("Value", "true");
        tagged.putObject("Expiration").put("Days", 1);
        ObjectNode markers = rules.addObject().put("ID", "markers").put("Status", "Enabled");
        markers.putObject("Filter").put("Prefix", "");
        markers.putObject("Expiration").put("ExpiredObjectDeleteMarker", true);
        s.add(StoreCalls.bucket("PutBucketLifecycleConfiguration", run.caller(), BUCKET, "lifecycle", config, "list"));
        assertEquals(List.of(), weakened(s));

        ObjectNode all = rules.addObject().put("ID", "everything").put("Status", "Enabled");
        all.putObject("Filter").putObject("And").put("Prefix", "infra/network").put("ObjectSizeGreaterThan", 0);
        all.putObject("Expiration").put("Days", "90");
        s.add(StoreCalls.bucket("PutBucketLifecycleConfiguration", run.caller(), BUCKET, "lifecycle", config, "list-2"));
        assertTrue(weakened(s).get(0).details().get("problems").contains("expires current versions after 90 days"));
    }

    @Test
    void aBucketPolicyOpenedOutsideTheAccountsThePolicyNames_asAnObjectOrAString() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.bucketPolicy(run.caller(), BUCKET, policy(DENY_INSECURE, TOOLING_READS)));
        String orgWide = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-tfstate-prod/*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}";
        s.add(StoreCalls.bucketPolicy(run.caller(), BUCKET, policy(DENY_INSECURE, TOOLING_READS, orgWide)));
        assertEquals(List.of(), weakened(s), "our accounts and our organisation");

        String outsider = "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},"
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-tfstate-prod/*\"}";
        Rec asString = StoreCalls.bucketPolicy(run.caller(), BUCKET, policy(DENY_INSECURE, outsider));
        ((ObjectNode) asString.node().get("requestParameters")).put("bucketPolicy", policy(DENY_INSECURE, outsider));
        s.add(asString);

        Finding f = weakened(s).get(0);
        assertTrue(f.details().get("problems").contains("statement 'Partner' allows arn:aws:iam::999988887777:root"), f.details().get("problems"));
    }

    @Test
    void aBucketPolicyThatDropsADenyItHadIsWeaker_evenWithoutNewPrincipals() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.bucketPolicy(run.caller(), BUCKET, policy(DENY_INSECURE, TOOLING_READS)));
        s.add(StoreCalls.bucketPolicy(run.caller(), BUCKET, policy(TOOLING_READS)));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_BUCKET_WEAKENED);
        assertTrue(f.details().get("problems").startsWith("bucket policy drops a Deny it had"), f.details().get("problems"));
    }

    @Test
    void publicAccessBlockEncryptionAndReplication() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.publicAccessBlock(run.caller(), BUCKET, false));
        s.add(StoreCalls.bucket("DeleteBucketPublicAccessBlock", run.caller(), BUCKET, "publicAccessBlock", null, "pab-delete"));
        s.add(StoreCalls.encryption(run.caller(), BUCKET, "AES256", null));
        s.add(StoreCalls.encryption(run.caller(), BUCKET, "aws:kms", "arn:aws:kms:eu-west-1:999988887777:key/1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"));
        s.add(StoreCalls.bucket("DeleteBucketEncryption", run.caller(), BUCKET, "encryption", null, "sse-delete"));
        s.add(StoreCalls.replication(run.caller(), BUCKET, "partner-backups", "999988887777"));
        s.add(StoreCalls.replication(run.caller(), BUCKET, "acme-tfstate-archive", null));

        List<String> problems = weakened(s).stream().map(f -> f.details().get("problems")).toList();

        assertEquals(List.of(
                "public access block off: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
                "public access block removed",
                "default encryption changed to AES256, away from KMS",
                "default encryption uses KMS key arn:aws:kms:eu-west-1:999988887777:key/1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9 of account 999988887777",
                "default encryption removed: new state objects are no longer encrypted with KMS",
                "replicates state to bucket partner-backups in account 999988887777"), problems);
    }

    @Test
    void aPublicAclOnAStateObjectNamesTheObject_anotherObjectsAclIsNotEvenKept() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.publicObjectAcl(run.caller(), BUCKET, "artifacts/logo.png"));
        s.add(StoreCalls.publicObjectAcl(run.caller(), BUCKET, STATE));

        Scenario.Outcome o = s.replay(POLICY_WITH_STORES);

        assertEquals(List.of(BUCKET + "/" + STATE), o.ofType(FindingType.STATE_BUCKET_WEAKENED).stream().map(Finding::stateKey).toList());
        assertEquals(2, o.trail().size(), "the login and the state object's ACL");
    }

    @Test
    void aLaterChangeThatRestoresTheSettingResolvesTheFinding_andAFailedCallChangesNothing() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.versioning(run.caller(), BUCKET, "Suspended"));
        s.add(StoreCalls.publicAccessBlock(run.caller(), BUCKET, false)).failed("AccessDenied", "Access Denied");
        Rec enable = s.add(StoreCalls.versioning(s.login(BOOTSTRAP, APPLY_ROLE).caller(), BUCKET, "Enabled"));

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_BUCKET_WEAKENED);

        assertEquals(enable.time().toString(), f.details().get("resolvedAt"));
        assertTrue(f.details().get("resolution").startsWith("PutBucketVersioning by " + BOOTSTRAP + " restored it (eventID " + enable.eventId()),
                f.details().get("resolution"));
        assertTrue(f.summary().contains("; restored at "), f.summary());
    }
}
