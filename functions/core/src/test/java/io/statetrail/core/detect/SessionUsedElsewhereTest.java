package io.statetrail.core.detect;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.NAT_IP;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PROD;
import static io.statetrail.core.fixture.Acme.RUNNER_IP;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static io.statetrail.core.fixture.Acme.TOOLING_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/detections.md, session-used-elsewhere: a run's credentials used from another network than its login's. */
class SessionUsedElsewhereTest {

    static final String THIEF = "198.51.100.23";

    @Test
    void callsFromAnotherPublicAddressAreOneFindingPerAddressWithFirstAndLastCall() {
        Scenario s = new Scenario();
        Credentials login = s.login(MAIN, TOOLING_ROLE);
        Credentials prod = login.assumeRole(TERRAFORM_PROD_ROLE);
        prod.lock(BUCKET, STATE);
        prod.write(BUCKET, STATE);
        prod.unlock(BUCKET, STATE);
        s.after(Duration.ofMinutes(12));
        Rec first = prod.read(BUCKET, STATE).set("sourceIPAddress", THIEF).set("userAgent", "curl/8.5.0");
        Rec last = prod.read(BUCKET, STATE).set("sourceIPAddress", THIEF).set("userAgent", "python-requests/2.32.3");

        Finding f = s.replay(POLICY).only(FindingType.SESSION_USED_ELSEWHERE);

        assertEquals("high", f.severity().label());
        assertEquals(MAIN, f.subject());
        assertEquals(login.key(), f.runKey());
        assertEquals(prod.key(), f.accessKeyId());
        assertEquals(first.time(), f.time());
        assertEquals(THIEF, f.details().get("sourceAddress"));
        assertEquals(RUNNER_IP, f.details().get("loginAddresses"));
        assertEquals(first.time().toString(), f.details().get("firstCall"));
        assertEquals(last.time().toString(), f.details().get("lastCall"));
        assertEquals("2", f.details().get("calls"));
        assertEquals("GetObject", f.details().get("eventNames"));
        assertEquals("curl,python-requests", f.details().get("userAgentFamilies"));
        assertEquals("aws-sdk-go,configure-aws-credentials", f.details().get("loginUserAgentFamilies"));
        assertEquals("true", f.details().get("userAgentChanged"));
        assertEquals("curl/8.5.0 | python-requests/2.32.3", f.details().get("userAgents"));
        assertTrue(f.eventIds().containsAll(List.of(first.eventId(), last.eventId())));
        assertTrue(f.summary().startsWith("Credentials of the run of " + MAIN + " used from " + THIEF + " (2 calls"), f.summary());
    }

    @Test
    void aHopFromAnotherAddressAndTheCallsOfTheSessionItOpensCount() {
        Scenario s = new Scenario();
        Credentials login = s.login(MAIN, TOOLING_ROLE);
        Credentials stolen = login.assumeRole(TERRAFORM_PROD_ROLE);
        s.records().get(s.records().size() - 2).set("sourceIPAddress", THIEF); // the caller's copy of the hop
        stolen.read(BUCKET, STATE).set("sourceIPAddress", "2001:db8:bad::7");

        List<Finding> found = s.replay(POLICY).ofType(FindingType.SESSION_USED_ELSEWHERE);

        assertEquals(List.of(THIEF, "2001:db8:bad::7"), found.stream().map(f -> f.details().get("sourceAddress")).toList());
        assertEquals("AssumeRole", found.get(0).details().get("eventNames"));
        assertEquals(login.key(), found.get(0).accessKeyId());
    }

    @Test
    void theLoginsAddressThePolicysNetworksServicesPrivateAddressesAndEndpointsAreNotEvidence() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE).set("sourceIPAddress", NAT_IP);                                   // the policy's networks
        run.read(BUCKET, STATE).set("sourceIPAddress", "2001:db8:ac3e:7::15");                       // the policy's IPv6 block
        run.read(BUCKET, STATE).set("sourceIPAddress", "AWS Internal").set("userIdentity.invokedBy", "AWS Internal");
        run.read(BUCKET, STATE).set("sourceIPAddress", "cloudformation.amazonaws.com")
                .set("userIdentity.invokedBy", "cloudformation.amazonaws.com");
        run.read(BUCKET, STATE).set("sourceIPAddress", "10.20.3.4");                                 // private
        run.read(BUCKET, STATE).set("sourceIPAddress", "10.20.3.4").set("vpcEndpointId", "vpce-0a1b2c3d4e5f60718")
                .set("vpcEndpointAccountId", PROD);                                                   // an S3 gateway endpoint
        run.unlock(BUCKET, STATE);

        assertEquals(List.of(), s.replay(POLICY).ofType(FindingType.SESSION_USED_ELSEWHERE));
    }

    @Test
    void aRunThatLoggedInThroughAnEndpointIsJudgedOnTheAccountsOfTheEndpointsItCallsThrough() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.records().get(0).set("sourceIPAddress", "10.20.3.4").set("vpcEndpointId", "vpce-0sts000000000000a").set("vpcEndpointAccountId", PROD);
        run.write(BUCKET, STATE).set("sourceIPAddress", "10.20.3.4").set("vpcEndpointId", "vpce-0s3g000000000000b")
                .set("vpcEndpointAccountId", PROD);                                                   // its own account's S3 endpoint
        Rec foreign = run.read(BUCKET, STATE).set("sourceIPAddress", "172.31.9.9").set("vpcEndpointId", "vpce-0ffe000000000000c")
                .set("vpcEndpointAccountId", "999999999999");

        Finding f = s.replay(POLICY).only(FindingType.SESSION_USED_ELSEWHERE);

        assertEquals("vpce-0ffe000000000000c", f.details().get("vpcEndpointId"));
        assertEquals("999999999999", f.details().get("vpcEndpointAccountId"));
        assertEquals("vpce-0sts000000000000a", f.details().get("loginAddresses"));
        assertEquals(foreign.time(), f.time());
    }

    @Test
    void runsNotOpenedByAnOidcLoginAreNotJudged() {
        Scenario s = new Scenario();
        Credentials ghost = s.sessionNeverSeen(APPLY_ROLE, "GitHubActions", null);
        ghost.read(BUCKET, STATE).set("sourceIPAddress", THIEF);
        s.iamUser("arn:aws:iam::222222222222:user/breakglass").write(BUCKET, STATE).set("sourceIPAddress", THIEF);

        Scenario.Outcome o = s.replay(POLICY);
        assertEquals(List.of(), o.ofType(FindingType.SESSION_USED_ELSEWHERE));
        assertEquals(STATE_KEY, o.only(FindingType.UNATTRIBUTED_SESSION).stateKey(), "the unattributed session is its own finding");
    }
}
