package io.statetrail.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.lineage.Origin;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.replay.Replay;
import io.statetrail.core.subject.Subject;
import io.statetrail.core.terraform.StateObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real, public CloudTrail samples collected in {@code shared/events/public/} (see its SOURCES.md) parse into the
 * records they are: one table row per file. New files must get a row. Skipped where the folder is absent.
 */
class SharedPublicEventsConformanceTest {

    /** {@code functions/core} → the repository root → its sibling {@code shared/}. */
    static final Path PUBLIC = Path.of("../../../shared/events/public").toAbsolutePath().normalize();

    /** Makes the sample buckets state buckets, so their S3 records go all the way through classification. */
    static final Policy POLICY = PolicyLoader.parse("""
            states:
              - key: "development-songbird-20201028054020481800000001/*"
                writers: []
              - key: "symeo-stg-dtlk-raw-gads-device-bzi/*"
                writers: []
              - key: "wellcomecollection-storage/*"
                writers: []
              - key: "lambda-artifacts-deafc19498e3f2df/*"
                writers: []
            lockTables: ["acme-tf-locks"]
            """, "conformance-policy.yaml");

    record Parsed(List<TrailEvent> events, int irrelevant, List<Malformed> malformed) {
        <T extends TrailEvent> T only(Class<T> type) {
            assertEquals(1, events.size(), () -> "events: " + events);
            return assertInstanceOf(type, events.get(0));
        }

        List<String> kinds() {
            return events.stream().map(TrailEvent::kind).toList();
        }

        List<String> reasons() {
            return malformed.stream().map(Malformed::reason).toList();
        }

        RoleAssumed issuing(String key) {
            return events.stream().filter(e -> e instanceof RoleAssumed r && r.issuedKey().equals(key)).map(RoleAssumed.class::cast)
                    .findFirst().orElseThrow(() -> new AssertionError("no session " + key + " in " + events));
        }
    }

    private static final Map<String, Consumer<Parsed>> EXPECTED = new LinkedHashMap<>();

    private static void expect(String file, Consumer<Parsed> check) {
        EXPECTED.put(file, check);
    }

    private static Consumer<Parsed> irrelevant(int records) {
        return p -> {
            assertEquals(List.of(), p.events());
            assertEquals(records, p.irrelevant());
            assertEquals(List.of(), p.malformed());
        };
    }

    private static Consumer<Parsed> notAnEvent(String reason) {
        return p -> {
            assertEquals(List.of(), p.events());
            assertEquals(List.of(reason), p.reasons());
        };
    }

    static {
        // --- AssumeRoleWithWebIdentity ---------------------------------------------------------------------------
        expect("sts-assume-role-with-web-identity-github-cloud-snitch.json", p -> {
            RoleAssumed login = p.only(RoleAssumed.class);
            assertEquals("login", login.kind());
            assertEquals("ASIA3ISBVQKHJOCMRQJH", login.issuedKey());
            assertEquals("repo:ccbrown/cloud-snitch:ref:refs/heads/main", login.webIdentity().subject().raw());
            assertEquals(Subject.Issuer.GITHUB, login.webIdentity().subject().issuer());
            assertEquals("ccbrown/cloud-snitch", login.webIdentity().subject().repository());
            assertEquals("arn:aws:iam::774305579662:role/cloud-snitch-github-actio-GithubActionsRoleF5CC769F-MoeCHSu77MYt", login.roleArn());
            assertEquals("arn:aws:iam::774305579662:oidc-provider/token.actions.githubusercontent.com", login.webIdentity().provider());
            assertEquals("sts.amazonaws.com", login.webIdentity().audience());
            assertEquals(Instant.parse("2025-04-16T03:46:56Z"), login.expiration());
            assertEquals("774305579662", login.meta().account());
        });
        expect("sts-assume-role-with-web-identity-github-awsteele-2021.json", p -> {
            RoleAssumed login = p.only(RoleAssumed.class);
            assertEquals("ASIAY29999OMG3MKNAG", login.issuedKey());
            assertEquals("repo:aidansteele/aws-federation-github-actions:ref:refs/heads/main", login.webIdentity().subject().raw());
            assertEquals("arn:aws:iam::0123456789012:role/ExampleGithubRole", login.roleArn());
            assertEquals("https://github.com/aidansteele", login.webIdentity().audience());
            assertEquals(Instant.parse("2021-09-15T04:00:36Z"), login.expiration(), "old expiration format without the comma");
        });
        expect("sts-assume-role-with-web-identity-cognito-gha-session-tags-awsteele-2023.json", p -> {
            RoleAssumed login = p.only(RoleAssumed.class);
            assertEquals("ASIAY24FZKAOEK7KVHCV", login.issuedKey());
            assertEquals("ap-southeast-2:f33550b0-d103-4ff1-9319-1745fea988da", login.webIdentity().subject().raw());
            assertEquals(Subject.Issuer.OTHER, login.webIdentity().subject().issuer());
            assertEquals("cognito-identity.amazonaws.com", login.webIdentity().provider());
            assertEquals("arn:aws:iam::607481581596:role/gha-tags-test-Role-ZmTOykdCAhxs", login.roleArn());
        });
        expect("sts-assume-role-with-web-identity-oidc-aws-iam-docs.json", p -> {
            RoleAssumed login = p.only(RoleAssumed.class);
            assertEquals("ASIAIOSFODNN7EXAMPLE", login.issuedKey());
            assertEquals("<id of user>", login.webIdentity().subject().raw());
            assertEquals("arn:aws:iam::444455556666:role/FederatedWebIdentityRole", login.roleArn());
        });
        // Cut down by its author: no eventID, so it cannot be de-duplicated and is refused.
        expect("sts-assume-role-with-web-identity-hcp-terraform-wolfeidau-2023.json", notAnEvent("missing eventID"));
        // Only the additionalEventData of a record.
        expect("sts-assume-role-with-web-identity-additional-event-data-role-authorized-by-idp-awsteele-2026.json",
                notAnEvent("unknown shape: no eventSource or eventName"));

        // --- AssumeRole ------------------------------------------------------------------------------------------
        expect("sts-assume-role-role-chaining-assumed-role-aws-iam-docs.json", p -> {
            RoleAssumed hop = p.only(RoleAssumed.class);
            assertEquals("assume-role", hop.kind());
            assertEquals("ASIAI44QH8DHBEXAMPLE", hop.issuedKey());
            assertEquals("ASIAIOSFODNN7EXAMPLE", hop.meta().actor().accessKeyId());
            assertEquals("arn:aws:iam::111111111111:role/JohnRole2", hop.roleArn());
            assertEquals("arn:aws:iam::111111111111:role/JohnRole1", hop.meta().actor().sessionIssuerArn());
            assertNull(hop.webIdentity());
        });
        expect("sts-assume-role-cross-account-caller-account-aws-iam-docs.json", p -> {
            RoleAssumed hop = p.only(RoleAssumed.class);
            assertEquals("ASIAI44QH8DHBEXAMPLE", hop.issuedKey());
            assertEquals("IAMUser", hop.meta().actor().type());
            assertEquals("111122223333", hop.roleAccount());
            assertEquals("shared:bEXAMPLE-efea-4a70-b951-19a88EXAMPLE", hop.meta().callKey());
        });
        expect("sts-assume-role-cross-account-role-account-aws-iam-docs.json", p -> {
            RoleAssumed hop = p.only(RoleAssumed.class);
            assertEquals("ASIAI44QH8DHBEXAMPLE", hop.issuedKey());
            assertEquals("AWSAccount", hop.meta().actor().type());
            assertNull(hop.meta().actor().accessKeyId());
            assertEquals("shared:bEXAMPLE-efea-4a70-b951-19a88EXAMPLE", hop.meta().callKey(), "one call with the caller's copy");
        });
        expect("sts-assume-role-global-endpoint-by-assumed-role-aws-iam-docs.json", p -> {
            RoleAssumed hop = p.only(RoleAssumed.class);
            assertEquals("us-east-1", hop.meta().region());
            assertEquals("arn:aws:iam::777788889999:role/test-role", hop.roleArn());
            assertEquals("ASIAIOSFODNN7EXAMPLE", hop.meta().actor().accessKeyId());
        });
        expect("sts-assume-role-regional-endpoint-by-assumed-role-aws-iam-docs.json", p -> {
            RoleAssumed hop = p.only(RoleAssumed.class);
            assertEquals("eu-north-1", hop.meta().region());
            assertEquals("arn:aws:iam::777788889999:role/test-role", hop.roleArn());
        });
        expect("sts-assume-role-aws-account-cross-account-cloud-snitch.json", p -> {
            RoleAssumed hop = p.only(RoleAssumed.class);
            assertEquals("ASIATGOPDG7TNXVGU6TJ", hop.issuedKey());
            assertEquals("AWSAccount", hop.meta().actor().type());
            assertEquals("AROA3ISBVQKHHSGTEMQ45:cloud-snitch-us-east-1-dev-QueueHandler49A28051-kJGBH9cs5Vvs", hop.meta().actor().principalId());
            assertEquals("123412341234", hop.meta().account());
            assertEquals("shared:6e410184-19dd-4d7d-a8f0-c17c584957a0", hop.meta().callKey());
        });
        expect("sts-assume-role-then-api-calls-correlation-stratus-red-team-ec2-get-password-data.json", p -> {
            assertEquals(List.of("assume-role", "assume-role", "assume-role-failed", "assume-role-failed"), p.kinds());
            assertEquals(30, p.irrelevant(), "the 30 GetPasswordData calls made with the new session");
            assertEquals(List.of(), p.malformed());
            String role = "arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role";
            RoleAssumed used = p.issuing("ASIANQQHHS551LWULIWD");
            assertEquals(role, used.roleArn());
            assertEquals(Instant.parse("2024-07-30T21:31:15Z"), used.meta().time());
            assertEquals("AKIAWOGXN38MFN92ING5", used.meta().actor().accessKeyId());
            assertEquals(role, p.issuing("ASIA7RQR64ZW9JXKWPUO").roleArn());
            for (TrailEvent e : p.events().subList(2, 4)) {
                RoleAssumptionFailed denied = assertInstanceOf(RoleAssumptionFailed.class, e);
                assertEquals("AccessDenied", denied.meta().errorCode());
                assertEquals(role, denied.roleArn(), "requestParameters is null: the role comes from errorMessage");
            }
        });

        // --- S3 -------------------------------------------------------------------------------------------------
        expect("eventbridge-cloudtrail-s3-putobject-assumed-role-whylabs.json", p -> {
            StateAccess write = p.only(StateAccess.class);
            assertEquals(StateAccess.Operation.WRITE, write.operation());
            assertEquals("development-songbird-20201028054020481800000001/daily-log-untrusted/2021-06-22/org-9758-model-1-8YXecPveYrs0GbrSlHbo7hw6CW6gyKLM.bin",
                    write.stateKey());
            assertEquals("ASIATAQZJVYYKQKIBONJ", write.meta().actor().accessKeyId());
            assertEquals("8e99f55e-8a19-479c-a7d5-fbbfd91ec77e", write.meta().eventId());
        });
        expect("eventbridge-cloudtrail-s3-putobject-presigned-assumed-role-symeo.json", p -> {
            StateAccess write = p.only(StateAccess.class);
            assertEquals(StateAccess.Operation.WRITE, write.operation());
            assertEquals("symeo-stg-dtlk-raw-gads-device-bzi", write.bucket());
            assertEquals("ASIA3A2VAHJRQC5XYJOD", write.meta().actor().accessKeyId());
        });
        // HeadObject never changes or reads a state's content.
        expect("eventbridge-cloudtrail-s3-headobject-assumed-role-powertools.json", irrelevant(1));
        expect("s3-headobject-assumed-role-alexwlchan.json", irrelevant(1));
        expect("s3-deleteobject-data-event-shortened-stratus-red-team.json", notAnEvent("missing eventID"));
        expect("cloudtrail-useridentity-github-oidc-session-partial-gruntwork.json", notAnEvent("unknown shape: no eventSource or eventName"));

        // --- DynamoDB: none of these is a Terraform lock ---------------------------------------------------------
        expect("cloudtrail-dynamodb-putitem-data-event-aws-docs.json", irrelevant(1));
        expect("cloudtrail-dynamodb-updateitem-conditional-check-failed-aws-docs.json", irrelevant(1));
        expect("cloudtrail-dynamodb-transactwriteitems-put-update-delete-aws-docs.json", irrelevant(1));
        expect("cloudtrail-dynamodb-executestatement-partiql-redacted-aws-docs.json", irrelevant(1));
        expect("dynamodb-streams-event-new-and-old-images-aws-lambda-java-libs.json", irrelevant(3));

        // --- Log files and LookupEvents -------------------------------------------------------------------------
        expect("cloudtrail-log-file-org-trail-cloud-snitch.json", p -> {
            assertEquals(20, p.events().size() + p.irrelevant());
            assertEquals(List.of(), p.malformed());
            RoleAssumed logs = p.issuing("ASIATGOPDG7TE557JAXG");
            assertEquals("arn:aws:iam::222222222222:role/Honeycomb-Logs-LogStreamRole-1234567890a", logs.roleArn());
            assertEquals("logs.amazonaws.com", logs.meta().actor().invokedBy());
            assertEquals("arn:aws:iam::222222222222:role/aws-ec2-spot-fleet-tagging-role", p.issuing("ASIATGOPDG7TLW5SSM46").roleArn());
            assertEquals(List.of("assume-role", "assume-role"), p.kinds());
        });
        expect("cloudtrail-lookup-events-response-aws-cli-docs.json", irrelevant(1));

        // --- Not CloudTrail at all ------------------------------------------------------------------------------
        expect("eventbridge-rule-pattern-sts-by-eventname-aws-docs.json", p -> {
            assertEquals(List.of(), p.events());
            assertEquals(1, p.malformed().size());
        });
        for (String f : List.of("github-oidc-token-claims-awsteele-2021.json", "github-oidc-token-claims-enterprise-custom-issuer-github-docs.json",
                "github-oidc-token-claims-github-docs.json", "github-oidc-token-claims-repo-custom-properties-partial-github-docs.json",
                "terraform-dynamodb-lock-table-scan-locked-rpgd60-tfcta.json", "terraform-dynamodb-lock-table-scan-unlocked-rpgd60-tfcta.json",
                "terraform-lock-info-dynamodb-apply-rpgd60-tfcta.json")) {
            expect(f, notAnEvent("unknown shape: no eventSource or eventName"));
        }
    }

    /** Per test, not per class: Surefire reports a class skipped in {@code @BeforeAll} as no test at all. */
    @BeforeEach
    void publicSamplesPresent() {
        assumeTrue(Files.isDirectory(PUBLIC), "no " + PUBLIC + " on this machine");
    }

    private static Parsed parse(Path file, Policy policy) {
        List<TrailEvent> events = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        int[] irrelevant = {0};
        new RecordReader(new RecordClassifier(new StateObjects(policy))).readFile(file, new RecordSink() {
            @Override
            public void relevant(String source, long line, List<TrailEvent> found) {
                events.addAll(found);
            }

            @Override
            public void irrelevant() {
                irrelevant[0]++;
            }

            @Override
            public void malformed(Malformed m) {
                malformed.add(m);
            }
        });
        return new Parsed(events, irrelevant[0], malformed);
    }

    private static List<Path> eventFiles() throws IOException {
        try (Stream<Path> s = Files.list(PUBLIC)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> eachPublicSampleParsesIntoWhatItIs() throws IOException {
        return eventFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Consumer<Parsed> check = EXPECTED.get(file.getFileName().toString());
            assertTrue(check != null, "no row for " + file.getFileName() + " in the conformance table: add one");
            check.accept(parse(file, POLICY));
        }));
    }

    @Test
    void everyRowOfTheTableHasItsFile() throws IOException {
        TreeSet<String> present = new TreeSet<>(eventFiles().stream().map(p -> p.getFileName().toString()).toList());

        assertEquals(new TreeSet<>(EXPECTED.keySet()), present);
    }

    @Test
    void dynamoDbSampleIsNotALockEvenWhenEveryTableMayHoldLocks() {
        Parsed p = parse(PUBLIC.resolve("cloudtrail-dynamodb-putitem-data-event-aws-docs.json"), Policy.empty());

        assertEquals(List.of(), p.events(), "its key is Artist+SongTitle, not Terraform's LockID");
        assertEquals(1, p.irrelevant());
    }

    @Test
    void stratusSessionIsFollowedBackToTheIamUser() throws IOException {
        Path file = PUBLIC.resolve("sts-assume-role-then-api-calls-correlation-stratus-red-team-ec2-get-password-data.json");

        Replay.Result result = new Replay(POLICY).run(List.of(file), null);

        var session = result.trail().events().stream().filter(e -> e instanceof RoleAssumed r && r.issuedKey().equals("ASIANQQHHS551LWULIWD"))
                .findFirst().orElseThrow();
        var evaluation = io.statetrail.core.detect.Evaluation.of(result.trail(), POLICY, result.now());
        var chain = evaluation.lineage().chainOfKey("ASIANQQHHS551LWULIWD", session.meta().actor());
        assertEquals(Origin.Kind.IAM_USER, chain.origin().kind());
        assertEquals("arn:aws:iam::457448411975:user/christophe", chain.origin().principalArn());
    }

    /** Every sessionToken value in the raw files (plain, or escaped inside an embedded document), longer than 8 chars. */
    static List<String> sessionTokens() throws IOException {
        // The value is scanned by hand: a regex repetition over a long token overflows the stack.
        Pattern field = Pattern.compile("\\\\?\"sessionToken\\\\?\"\\s*:\\s*\\\\?\"");
        List<String> out = new ArrayList<>();
        for (Path f : eventFiles()) {
            String text = Files.readString(f);
            Matcher m = field.matcher(text);
            while (m.find()) {
                int end = m.end();
                while (end < text.length() && text.charAt(end) != '"' && text.charAt(end) != '\\') {
                    end++;
                }
                if (end - m.end() > 8) {
                    out.add(text.substring(m.end(), end));
                }
            }
        }
        return out;
    }

    @Test
    void noSessionTokenSurvivesParsingOrReplay() throws IOException {
        List<String> tokens = sessionTokens();
        assertTrue(tokens.size() >= 8, "tokens found in the samples: " + tokens.size());
        ObjectMapper mapper = new ObjectMapper().registerModule(new SimpleModule().addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        }));
        StringBuilder everything = new StringBuilder();
        for (Path f : eventFiles()) {
            for (Policy policy : List.of(POLICY, Policy.empty())) {
                Parsed p = parse(f, policy);
                for (TrailEvent e : p.events()) {
                    everything.append(mapper.writeValueAsString(e)).append('\n').append(e).append('\n');
                }
                for (Malformed m : p.malformed()) {
                    everything.append(mapper.writeValueAsString(m)).append('\n').append(m).append('\n');
                }
            }
        }
        Replay.Result replay = new Replay(POLICY).run(List.of(PUBLIC), null);
        replay.findings().forEach(f -> everything.append(FindingJson.toLine(f)).append('\n'));
        replay.malformed().forEach(m -> everything.append(m).append('\n'));
        replay.trail().events().forEach(e -> everything.append(e).append('\n'));

        assertTrue(everything.length() > 10_000, "the check must see real output");
        for (String t : tokens) {
            assertFalse(everything.toString().contains(t), "session token survived: " + t.substring(0, 8) + "…");
        }
    }
}
