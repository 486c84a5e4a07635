package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.fixture.Roles;
import io.statetrail.core.iam.IamRole;
import io.statetrail.lambda.LoopbackIam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code statetrail posture --aws} over a loopback IAM answering IAM's own XML: roles of every shape give exactly the
 * expected findings; an account IAM refuses is told and exits 1; the options are checked before anything is read.
 */
class PostureCommandTest {

    static final Map<String, String> AWS_PROPERTIES = Map.of("aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "secret",
            "aws.region", "eu-west-1", "aws.disableEc2Metadata", "true");

    @TempDir
    Path tmp;

    /** Credentials and region for the SDK's default chains, as a laptop's environment would give them. */
    @BeforeAll
    static void credentials() {
        AWS_PROPERTIES.forEach(System::setProperty);
    }

    @AfterAll
    static void noCredentials() {
        AWS_PROPERTIES.keySet().forEach(System::clearProperty);
    }

    static List<IamRole> roles() {
        return Roles.SHAPES.stream().map(Roles.Shape::role).toList();
    }

    @Test
    void rolesOfEveryShapeGiveExactlyTheExpectedFindings() throws IOException {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), Roles.POLICY_YAML);
        try (LoopbackIam iam = new LoopbackIam(5).with(roles(), List.of(Roles.GITHUB, Roles.GITLAB, Roles.HCP, Roles.EKS))) {
            QueryCommandTest.Result r = QueryCommandTest.run("posture", "--aws", "--endpoint-url", iam.endpoint(), "--policy", policy.toString(),
                    "--format", "jsonl");

            assertEquals(0, r.exit(), r.err());
            Map<String, Set<String>> expected = new TreeMap<>();
            for (Roles.Shape s : Roles.SHAPES) {
                if (!s.expected().isEmpty()) {
                    expected.put(s.arn(), new TreeSet<>(s.expected()));
                }
            }
            Map<String, Set<String>> found = new TreeMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : r.out().lines().toList()) {
                JsonNode f = json.readTree(line);
                found.computeIfAbsent(f.path("roleArn").asText(), k -> new TreeSet<>()).add(f.path("type").asText());
            }
            assertEquals(expected, found);
            assertTrue(r.err().contains("1 accounts read, 0 could not be, 14 roles (13 an OIDC provider can assume), 10 findings"), r.err());
            assertTrue(r.err().contains("statetrail posture: account 222222222222: 14 roles (13 an OIDC provider can assume), OIDC providers: "
                    + String.join(", ", Roles.HCP, Roles.GITLAB, Roles.EKS, Roles.GITHUB)), r.err());
        }
    }

    /**
     * Other accounts through the member role: STS on loopback (IAM's sibling, same query protocol and XML) names the
     * caller's account and hands out the member role's credentials, which sign the IAM calls; an account whose role
     * answers with another account's roles is refused, the rest reported.
     */
    @Test
    void otherAccountsAreReadThroughTheMemberRole() throws IOException {
        String ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        try (LoopbackIam iam = new LoopbackIam(100).with(roles(), List.of(Roles.GITHUB));
             io.statetrail.alerts.LoopbackServer sts = new io.statetrail.alerts.LoopbackServer((n, req) ->
                     io.statetrail.alerts.LoopbackServer.Response.of(200, "text/xml", req.body().contains("Action=GetCallerIdentity")
                             ? "<GetCallerIdentityResponse xmlns=\"" + ns + "\"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/alice</Arn>"
                             + "<UserId>AIDAJQABLZS4A3QDU576Q</UserId><Account>111111111111</Account></GetCallerIdentityResult>"
                             + "<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
                             : "<AssumeRoleResponse xmlns=\"" + ns + "\"><AssumeRoleResult><AssumedRoleUser>"
                             + "<Arn>arn:aws:sts::222222222222:assumed-role/statetrail-lock-reader/statetrail-posture</Arn>"
                             + "<AssumedRoleId>AROA3XFRBF535PLBIFPI4:statetrail-posture</AssumedRoleId></AssumedRoleUser><Credentials>"
                             + "<AccessKeyId>ASIAW6NHX2PAPOSTURE1</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
                             + "<SessionToken>IQoJb3JpZ2luX2VjEXAMPLE</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                             + "</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>"
                             + "</AssumeRoleResponse>"))) {
            System.setProperty("aws.endpointUrlSts", sts.url(""));
            QueryCommandTest.Result r;
            try {
                r = QueryCommandTest.run("posture", "--aws", "--endpoint-url", iam.endpoint(), "--accounts", "222222222222,333333333333",
                        "--member-role", "statetrail-lock-reader", "--format", "jsonl");
            } finally {
                System.clearProperty("aws.endpointUrlSts");
            }

            assertEquals(1, r.exit(), r.err());
            assertEquals(15, r.out().lines().count(), "without a policy, every CI role is unlisted too: " + r.out());
            assertTrue(r.out().lines().allMatch(l -> l.contains("\"account\":\"222222222222\"")), r.out());
            assertTrue(r.err().contains("cannot read the roles of account 333333333333: the credentials list the roles of account 222222222222, "
                    + "not 333333333333"), r.err());
            List<String> stsCalls = sts.requests.stream().map(io.statetrail.alerts.LoopbackServer.Request::body).toList();
            assertTrue(stsCalls.stream().anyMatch(b -> b.contains("Action=GetCallerIdentity")), String.valueOf(stsCalls));
            assertTrue(stsCalls.stream().anyMatch(b -> b.contains("Action=AssumeRole")
                    && b.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fstatetrail-lock-reader")
                    && b.contains("RoleSessionName=statetrail-posture")), String.valueOf(stsCalls));
        }
    }

    @Test
    void failOnCriticalExits3() throws IOException {
        try (LoopbackIam iam = new LoopbackIam(100).with(roles(), List.of(Roles.GITHUB))) {
            QueryCommandTest.Result r = QueryCommandTest.run("posture", "--aws", "--endpoint-url", iam.endpoint(), "--format", "jsonl",
                    "--fail-on", "critical");

            assertEquals(Main.EXIT_FINDINGS, r.exit(), r.err());
            assertTrue(r.err().contains("no --policy given: every role a CI provider can assume is reported unlisted"), r.err());
        }
    }

    @Test
    void anAccountIamRefusesIsToldAndExits1() throws IOException {
        try (LoopbackIam iam = new LoopbackIam(100).with(roles(), List.of(Roles.GITHUB)).deny()) {
            QueryCommandTest.Result r = QueryCommandTest.run("posture", "--aws", "--endpoint-url", iam.endpoint(), "--format", "jsonl");

            assertEquals(1, r.exit(), r.err());
            assertEquals("", r.out());
            assertTrue(r.err().contains("cannot read the roles of the caller's account: IamException: User: "), r.err());
            assertTrue(r.err().contains("0 accounts read, 1 could not be"), r.err());
        }
    }

    @Test
    void usageErrorsAreToldBeforeAnythingIsRead() {
        QueryCommandTest.Result noAws = QueryCommandTest.run("posture");
        assertEquals(Main.EXIT_USAGE, noAws.exit());
        assertTrue(noAws.err().contains("posture reads IAM: give --aws"), noAws.err());

        QueryCommandTest.Result badAccount = QueryCommandTest.run("posture", "--aws", "--accounts", "2222,333333333333");
        assertEquals(Main.EXIT_USAGE, badAccount.exit());
        assertTrue(badAccount.err().contains("--accounts: '2222' is not a 12-digit AWS account id"), badAccount.err());

        QueryCommandTest.Result profileAlone = QueryCommandTest.run("policy", "draft", "--profile", "prod", QueryCommandTest.EVENTS.toString());
        assertEquals(Main.EXIT_USAGE, profileAlone.exit());
        assertTrue(profileAlone.err().contains("--profile, --accounts and --member-role need --aws"), profileAlone.err());
    }
}
