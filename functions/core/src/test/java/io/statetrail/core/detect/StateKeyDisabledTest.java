package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BOOTSTRAP;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.POLICY_WITH_STORES;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY_ARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class StateKeyDisabledTest {

    private static final String WRITE_KEY = "arn:aws:kms:eu-west-1:222222222222:key/7a6b5c4d-3e2f-4109-8a7b-6c5d4e3f2a1b";

    private static List<String> disabled(Scenario s, io.statetrail.core.policy.Policy policy) {
        return s.replay(policy).ofType(FindingType.STATE_KEY_DISABLED).stream()
                .map(f -> f.severity().label() + " " + f.stateKey() + " " + f.details().get("change")).toList();
    }

    @Test
    void disablingTheKeyThePolicyNamesIsCritical_theBareKeyIdResolvedToItsArn() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec disable = s.add(StoreCalls.key("DisableKey", run.caller(), STATE_KEY_ARN, null, null, "disable"));
        disable.node().remove("resources"); // only the bare id and the record's account and region name the key

        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_KEY_DISABLED);

        assertEquals("critical", f.severity().label());
        assertEquals(STATE_KEY_ARN, f.stateKey());
        assertEquals(MAIN, f.subject());
        assertEquals(STATE_KEY_ARN, f.details().get("keyArn"));
    }

    @Test
    void aKeyIsKnownFromTheStateWritesItEncrypted() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(StoreCalls.scheduleKeyDeletion(run.caller(), WRITE_KEY, 7));
        assertEquals(List.of(), disabled(s, POLICY), "no state write names the key yet");

        Rec write = run.write(BUCKET, STATE);
        ((ObjectNode) write.node().get("requestParameters")).put("x-amz-server-side-encryption", "aws:kms")
                .put("x-amz-server-side-encryption-aws-kms-key-id", WRITE_KEY.substring(WRITE_KEY.indexOf("key/") + 4));
        assertEquals(List.of("critical " + WRITE_KEY + " ScheduleKeyDeletion"), disabled(s, POLICY));
    }

    @Test
    void anAdminDisablingIsHigh_butScheduledDeletionIsAlwaysCritical() {
        Scenario s = new Scenario();
        Credentials admin = s.login(BOOTSTRAP, APPLY_ROLE);
        s.add(StoreCalls.key("DisableKey", admin.caller(), STATE_KEY_ARN, null, null, "disable"));
        s.add(StoreCalls.scheduleKeyDeletion(admin.caller(), STATE_KEY_ARN, 30));

        List<Finding> found = s.replay(POLICY_WITH_STORES).ofType(FindingType.STATE_KEY_DISABLED);

        assertEquals(List.of("high", "critical"), found.stream().map(f -> f.severity().label()).toList());
        assertTrue(found.stream().allMatch(f -> "true".equals(f.details().get("byAdmin"))));
        assertTrue(found.get(1).details().get("problems").startsWith("key scheduled for deletion in 30 days"), found.get(1).details().get("problems"));
    }

    @Test
    void keyPoliciesAreReadFromTheirJsonString() {
        Scenario s = new Scenario();
        Credentials admin = s.login(BOOTSTRAP, APPLY_ROLE);
        String own = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        s.add(StoreCalls.keyPolicy(admin.caller(), STATE_KEY_ARN, own));
        assertEquals(List.of(), disabled(s, POLICY_WITH_STORES));

        String shared = own.replace("]}", ",{\"Sid\":\"Vendor\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:role/vendor\"},"
                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}");
        s.add(StoreCalls.keyPolicy(s.login(MAIN, APPLY_ROLE).caller(), STATE_KEY_ARN, shared));
        Finding f = s.replay(POLICY_WITH_STORES).only(FindingType.STATE_KEY_DISABLED);
        assertEquals("key policy statement 'Vendor' allows arn:aws:iam::999988887777:role/vendor", f.details().get("problems"));
    }

    @Test
    void grantsToOutsidePrincipalsCount_grantsToServicesDoNot_andEnablingRestores() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        ObjectNode service = Json.object().put("granteePrincipal", "s3.amazonaws.com");
        service.putArray("operations").add("Decrypt");
        s.add(StoreCalls.key("CreateGrant", run.caller(), STATE_KEY_ARN, service, Json.object().put("grantId", "g1"), "g1"));
        ObjectNode outside = Json.object().put("granteePrincipal", "arn:aws:iam::999988887777:root");
        outside.putArray("operations").add("Decrypt").add("Encrypt");
        s.add(StoreCalls.key("CreateGrant", run.caller(), STATE_KEY_ARN, outside, Json.object().put("grantId", "g2"), "g2"));
        s.add(StoreCalls.key("DisableKey", run.caller(), STATE_KEY_ARN, null, null, "disable"));
        s.add(StoreCalls.key("EnableKey", run.caller(), STATE_KEY_ARN, null, null, "enable"));

        List<Finding> found = s.replay(POLICY_WITH_STORES).ofType(FindingType.STATE_KEY_DISABLED);

        assertEquals(List.of("CreateGrant", "DisableKey"), found.stream().map(f -> f.details().get("change")).toList());
        assertEquals("grant to arn:aws:iam::999988887777:root of account 999988887777 for Decrypt, Encrypt", found.get(0).details().get("problems"));
        assertTrue(found.get(1).details().containsKey("resolvedAt"));
    }

    @Test
    void aKeyNamedByAliasIsTheKeyItsResourceNames() {
        Scenario s = new Scenario();
        Rec disable = s.add(StoreCalls.key("DisableKey", s.login(MAIN, APPLY_ROLE).caller(), STATE_KEY_ARN, null, null, "alias"));
        ((ObjectNode) disable.node().get("requestParameters")).put("keyId", "alias/terraform-state");

        assertEquals(List.of("critical " + STATE_KEY_ARN + " DisableKey"), disabled(s, POLICY_WITH_STORES));
    }
}
