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
