package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.fixture.Roles;
import io.statetrail.lambda.LoopbackIam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code statetrail policy draft} and {@code policy check} end to end: the draft of every bundled scenario, replayed, raises
 * no subject or writer finding and checks clean; it is the same bytes twice; with --aws it adds what IAM's trusts pin.
 */
class PolicyCommandTest {

    static final Set<String> SUBJECT_FINDINGS = Set.of("unexpected-subject", "state-write-unexpected-subject", "state-read-unexpected-subject");

    @TempDir
    Path tmp;

    @BeforeAll
    static void credentials() {
        PostureCommandTest.credentials();
    }

    @AfterAll
    static void noCredentials() {
        PostureCommandTest.noCredentials();
    }

    @Test
    void theDraftOfEveryBundledScenario_replayed_raisesNoSubjectOrWriterFinding_andChecksClean() throws IOException {
        Path draft = tmp.resolve("draft.yaml");
        String events = QueryCommandTest.EVENTS.toString();

        QueryCommandTest.Result drafted = QueryCommandTest.run("policy", "draft", "-o", draft.toString(), events);
        assertEquals(0, drafted.exit(), drafted.err());
        assertTrue(drafted.err().contains("written to " + draft), drafted.err());

        QueryCommandTest.Result replayed = QueryCommandTest.run("replay", "--policy", draft.toString(), "--format", "jsonl", events);
        assertEquals(0, replayed.exit(), replayed.err());
        ObjectMapper json = new ObjectMapper();
        int findings = 0;
        for (String line : replayed.out().lines().toList()) {
            String type = json.readTree(line).path("type").asText();
            assertTrue(!SUBJECT_FINDINGS.contains(type), line);
            findings++;
        }
        assertTrue(findings > 0, "the other detections still see what the bundled scenarios hold");

        QueryCommandTest.Result checked = QueryCommandTest.run("policy", "check", "--policy", draft.toString(), "--format", "jsonl", events);
        assertEquals(0, checked.exit(), checked.out() + checked.err());
        assertEquals("", checked.out());
    }

    @Test
    void theSameInputGivesTheSameBytes() throws IOException {
        String scenario = QueryCommandTest.EVENTS.resolve("scenarios").toString();
        QueryCommandTest.Result first = QueryCommandTest.run("policy", "draft", scenario);
        QueryCommandTest.Result second = QueryCommandTest.run("policy", "draft", "--threads", "1", scenario);

        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().startsWith("#"), "commented: " + first.out());
        assertArrayEquals(first.out().getBytes(), second.out().getBytes());
    }

    @Test
    void withAwsTheRolesNoLoginReachedAreDraftedFromTheirTrust() throws IOException {
        try (LoopbackIam iam = new LoopbackIam(100).with(PostureCommandTest.roles(), List.of(Roles.GITHUB, Roles.GITLAB))) {
            QueryCommandTest.Result r = QueryCommandTest.run("policy", "draft", "--aws", "--endpoint-url", iam.endpoint(),
                    QueryCommandTest.EVENTS.resolve("scenarios").toString());

            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("- arn: \"arn:aws:iam::222222222222:role/gha-open\""), r.out());
            assertTrue(r.out().contains("\"project_path:acme/infra:ref_type:branch:ref:main\"  # pinned by its trust policy; no run seen"), r.out());
            assertTrue(iam.actions.contains("ListOpenIDConnectProviders"), String.valueOf(iam.actions));
        }
    }

    @Test
    void checkListsWhatMatchedNothingAndWhatWasNotAllowed_andExits3() throws IOException {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                roles:
                  - arn: "arn:aws:iam::222222222222:role/gha-retired"
                    subjects: ["repo:acme/legacy:*"]
                states: []
                """);

        QueryCommandTest.Result r = QueryCommandTest.run("policy", "check", "--policy", policy.toString(), "--format", "jsonl",
                QueryCommandTest.EVENTS.resolve("scenarios").toString());

        assertEquals(Main.EXIT_FINDINGS, r.exit(), r.err());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> items = r.out().lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertTrue(items.stream().anyMatch(i -> i.path("kind").asText().equals("unused-role") && i.path("line").asInt() == 2
                && i.path("entry").asText().equals("arn:aws:iam::222222222222:role/gha-retired")), r.out());
        assertTrue(items.stream().anyMatch(i -> i.path("kind").asText().equals("not-allowed-login") && i.path("runs").asInt() > 0), r.out());

        QueryCommandTest.Result table = QueryCommandTest.run("policy", "check", "--policy", policy.toString(), "--format", "table",
                QueryCommandTest.EVENTS.resolve("scenarios").toString());
        assertTrue(table.out().lines().anyMatch(l -> l.equals(policy + ":2: unused-role arn:aws:iam::222222222222:role/gha-retired: no login to a role it covers")),
                table.out());
    }
}
