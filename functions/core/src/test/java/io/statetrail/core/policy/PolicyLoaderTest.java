package io.statetrail.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.subject.SubjectParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

    private static final String VALID = """
            # comment
            roles:
              - arn: "arn:aws:iam::222222222222:role/gha-prod-apply"
                subjects: ["repo:acme/infra:ref:refs/heads/main"]
                providers: ["arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com"]
              - arn: "arn:aws:iam::222222222222:role/gha-*"
                subjects: []
            states:
              - key: "acme-tfstate-prod/infra/*"
                writers: ["repo:acme/infra:ref:refs/heads/main", "arn:aws:iam::222222222222:user/breakglass"]
                readers: ["repo:acme/infra:*"]
                staleLockAfter: PT2H
              - key: "acme-tfstate-prod/website/*"
                writers: ["repo:acme/website:ref:refs/heads/main"]
            lockTables: ["acme-tf-locks"]
            """;

    private static PolicyException refused(String yaml) {
        return assertThrows(PolicyException.class, () -> PolicyLoader.parse(yaml, "policy.yaml"));
    }

    @Test
    void validPolicyIsReadInFileOrderWithLinesAndDefaults() {
        Policy p = PolicyLoader.parse(VALID, "policy.yaml");

        assertEquals(2, p.roles().size());
        Policy.RoleEntry apply = p.roles().get(0);
        assertEquals("arn:aws:iam::222222222222:role/gha-prod-apply", apply.arn().pattern());
        assertEquals(List.of(Glob.of("repo:acme/infra:ref:refs/heads/main")), apply.subjects());
        assertEquals(1, apply.providers().size());
        assertEquals(3, apply.line());
        assertEquals(List.of(), p.roles().get(1).subjects());
        Policy.StateEntry infra = p.states().get(0);
        assertEquals(Duration.ofHours(2), infra.staleLockAfter());
        assertEquals(List.of(Glob.of("repo:acme/infra:*")), infra.readers());
        Policy.StateEntry website = p.states().get(1);
        assertEquals(website.writers(), website.readers(), "readers default to the writers");
        assertEquals(Policy.DEFAULT_STALE_LOCK_AFTER, website.staleLockAfter());
        assertEquals(List.of("acme-tf-locks"), p.lockTables());
    }

    @Test
    void validPolicyAnswersTheQuestionsDetectionsAsk() {
        Policy p = PolicyLoader.parse(VALID, "policy.yaml");

        assertTrue(p.isWriter("acme-tfstate-prod/infra/terraform.tfstate", SubjectParser.parse("repo:acme/infra:ref:refs/heads/main")));
        assertFalse(p.isWriter("acme-tfstate-prod/infra/terraform.tfstate", SubjectParser.parse("repo:acme/infra:pull_request")));
        assertTrue(p.isReader("acme-tfstate-prod/infra/terraform.tfstate", SubjectParser.parse("repo:acme/infra:pull_request")));
        assertTrue(p.isWriterPrincipal("acme-tfstate-prod/infra/x.tfstate", List.of("arn:aws:iam::222222222222:user/breakglass")));
        assertFalse(p.isWriter("acme-tfstate-prod/infra/x.tfstate", SubjectParser.parse("arn:aws:iam::222222222222:user/breakglass")),
                "arn: entries never match subjects");
        assertTrue(p.isLockTable("acme-tf-locks"));
        assertFalse(p.isLockTable("orders"));
        assertEquals(Duration.ofHours(2), p.staleLockAfter("acme-tfstate-prod/infra/x.tfstate"));
    }

    @Test
    void emptyPolicySectionsAreAllowed() {
        Policy p = PolicyLoader.parse("roles: []\nstates: []\n", "policy.yaml");

        assertEquals(List.of(), p.roles());
        assertTrue(p.isLockTable("any-table"), "no lockTables listed: any table keyed by LockID");
    }

    @Test
    void unknownKeyIsRefusedWithItsLine() {
        PolicyException e = refused("""
                states:
                  - key: "acme-tfstate-prod/*"
                    writer: ["repo:acme/infra:ref:refs/heads/main"]
                """);

        assertEquals("policy.yaml:3: states[0]: unknown key 'writer' (expected one of key, readers, staleLockAfter, writers)", e.getMessage());
    }

    @Test
    void unknownTopLevelKeyIsRefused() {
        PolicyException e = refused("roles: []\nlocktables: [x]\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:2: policy: unknown key 'locktables'"), e.getMessage());
    }

    @Test
    void listGivenAsAStringIsRefusedWithItsLine() {
        PolicyException e = refused("""
                roles:
                  - arn: "arn:aws:iam::1:role/x"
                    subjects: "repo:acme/infra:*"
                """);

        assertEquals("policy.yaml:3: roles[0].subjects: expected a list, found 'repo:acme/infra:*'", e.getMessage());
    }

    @Test
    void mappingWhereAStringBelongsIsRefused() {
        PolicyException e = refused("""
                states:
                  - key: {bucket: x}
                    writers: []
                """);

        assertEquals("policy.yaml:2: states[0].key: expected a string, found a mapping", e.getMessage());
    }

    @Test
    void topLevelListIsRefused() {
        assertEquals("policy.yaml:1: policy: expected a mapping, found a list", refused("- roles\n").getMessage());
    }

    @Test
    void durationInTheWrongFormatIsRefusedWithAnExample() {
        PolicyException e = refused("""
                states:
                  - key: "b/*"
                    writers: []
                    staleLockAfter: 1h
                """);

        assertEquals("policy.yaml:4: states[0].staleLockAfter: '1h' is not an ISO-8601 duration such as PT1H or PT30M", e.getMessage());
    }

    @Test
    void zeroOrNegativeDurationIsRefused() {
        PolicyException zero = refused("states:\n  - key: b/*\n    writers: []\n    staleLockAfter: PT0S\n");
        PolicyException negative = refused("states:\n  - key: b/*\n    writers: []\n    staleLockAfter: PT-5M\n");

        assertEquals("policy.yaml:4: states[0].staleLockAfter: 'PT0S' must be a positive duration", zero.getMessage());
        assertEquals("policy.yaml:4: states[0].staleLockAfter: 'PT-5M' must be a positive duration", negative.getMessage());
    }

    @Test
    void missingArnIsRefused() {
        PolicyException e = refused("roles:\n  - subjects: []\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:2: roles[0]: missing 'arn'"), e.getMessage());
    }

    @Test
    void arnThatIsNotAnArnIsRefused() {
        PolicyException e = refused("roles:\n  - arn: gha-prod-apply\n    subjects: []\n");

        assertEquals("policy.yaml:2: roles[0].arn: 'gha-prod-apply' is not a role ARN (it must start with arn:)", e.getMessage());
    }

    @Test
    void missingSubjectsIsRefusedRatherThanAllowingNobodySilently() {
        PolicyException e = refused("roles:\n  - arn: \"arn:aws:iam::1:role/x\"\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:2: roles[0]: missing 'subjects'"), e.getMessage());
    }

    @Test
    void missingKeyIsRefused() {
        PolicyException e = refused("states:\n  - writers: []\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:2: states[0]: missing 'key'"), e.getMessage());
    }

    @Test
    void missingWritersIsRefused() {
        PolicyException e = refused("states:\n  - key: \"b/*\"\n    readers: [\"repo:a/b:*\"]\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:2: states[0]: missing 'writers'"), e.getMessage());
    }

    @Test
    void emptyStringInAListIsRefused() {
        PolicyException e = refused("states:\n  - key: \"b/*\"\n    writers: [\"\"]\n");

        assertEquals("policy.yaml:3: states[0].writers[0]: empty string", e.getMessage());
    }

    @Test
    void invalidYamlNamesTheLine() {
        PolicyException e = refused("roles:\n  - arn: \"arn:aws:iam::1:role/x\n    subjects: []\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
        assertFalse(e.getMessage().startsWith("policy.yaml:0:"), e.getMessage());
    }

    @Test
    void tabIndentationIsInvalidYamlWithItsLine() {
        PolicyException e = refused("roles:\n\t- arn: x\n");

        assertTrue(e.getMessage().startsWith("policy.yaml:2: invalid YAML"), e.getMessage());
    }

    @Test
    void emptyFileIsRefused() {
        assertEquals("policy.yaml:1: policy is empty; expected keys roles, states, lockTables", refused("").getMessage());
        assertEquals("policy.yaml:1: policy is empty; expected keys roles, states, lockTables", refused("# nothing yet\n").getMessage());
    }

    @Test
    void duplicateKeyIsRefusedRatherThanTheLastOneWinning() {
        PolicyException e = refused("""
                states:
                  - key: "acme-tfstate-prod/*"
                    writers: ["repo:acme/infra:ref:refs/heads/main"]
                    writers: []
                """);

        assertTrue(e.getMessage().startsWith("policy.yaml:4: "), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate key 'writers'"), e.getMessage());
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (char c = 'b'; c <= 'l'; c++) {
            char prev = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [");
            yaml.append(("*" + prev + ",").repeat(9)).append("*").append(prev).append("]\n");
        }

        PolicyException e = refused(yaml.toString());

        assertTrue(e.getMessage().startsWith("policy.yaml") && e.getMessage().contains("invalid YAML"), e.getMessage());
    }

    @Test
    void fileNameIsTheSourceAndInvalidUtf8IsRefused(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("policy.yaml");
        Files.writeString(good, VALID, StandardCharsets.UTF_8);
        Path bad = dir.resolve("latin1.yaml");
        Files.write(bad, new byte[] {'r', 'o', 'l', 'e', 's', ':', ' ', '[', ']', '#', (byte) 0xe9, '\n'});

        assertEquals(2, PolicyLoader.load(good).roles().size());
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(bad));
        assertEquals(bad + ": policy is not valid UTF-8", e.getMessage());
        PolicyException missing = assertThrows(PolicyException.class, () -> PolicyLoader.load(dir.resolve("nope.yaml")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("nope.yaml") + ": cannot read policy"), missing.getMessage());
    }

    @Test
    void storesSectionNamesBucketsKeysAndAdmins() {
        Policy p = PolicyLoader.parse(VALID + """
                stores:
                  buckets: ["acme-tfstate"]
                  kmsKeys: ["arn:aws:kms:eu-central-1:123456789012:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "mrk-1234abcd12ab34cd56ef1234567890ab"]
                  admins:
                    - "repo:acme/tf-bootstrap:ref:refs/heads/main"
                    - "arn:aws:iam::123456789012:role/platform-admin"
                """, "policy.yaml");

        assertEquals(List.of("acme-tfstate"), p.stores().buckets());
        assertTrue(p.stores().namesKey("arn:aws:kms:eu-central-1:123456789012:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"));
        assertTrue(p.stores().namesKey("arn:aws:kms:us-east-1:999999999999:key/mrk-1234abcd12ab34cd56ef1234567890ab"), "a bare id, any region");
        assertFalse(p.stores().namesKey("arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555"));
        assertTrue(p.stores().isAdmin(SubjectParser.parse("repo:acme/tf-bootstrap:ref:refs/heads/main"), List.of()));
        assertTrue(p.stores().isAdmin(null, List.of("arn:aws:iam::123456789012:role/platform-admin")));
        assertFalse(p.stores().isAdmin(SubjectParser.parse("repo:acme/infra:ref:refs/heads/main"), List.of()));
        assertEquals(StorePolicy.NONE, PolicyLoader.parse(VALID, "policy.yaml").stores(), "no section, nothing added");
    }

    @Test
    void storesSectionMistakesNameTheirLine() {
        assertEquals("policy.yaml:3: stores: unknown key 'admin' (expected one of admins, buckets, kmsKeys)",
                refused("roles: []\nstores:\n  admin: [x]\n").getMessage());
        assertEquals("policy.yaml:2: stores.buckets[0]: 'arn:aws:s3:::acme' is not an S3 bucket name (a name, not an ARN or a path)",
                refused("stores:\n  buckets: [\"arn:aws:s3:::acme\"]\n").getMessage());
        assertEquals("policy.yaml:2: stores.kmsKeys[0]: 'alias/terraform' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or key id;"
                + " an alias cannot be matched against CloudTrail", refused("stores:\n  kmsKeys: [\"alias/terraform\"]\n").getMessage());
    }

    @Test
    void networksAreIpv4AndIpv6BlocksAndABadOneNamesItsLine() {
        Policy p = PolicyLoader.parse(VALID + "networks: [\"52.28.113.40/29\", \"2001:db8::/48\"]\n", "policy.yaml");
        assertEquals(List.of("52.28.113.40/29", "2001:db8::/48"), p.networks().cidrs());
        assertTrue(p.networks().contains(Networks.address("52.28.113.42").orElseThrow()));
        assertTrue(PolicyLoader.parse(VALID, "policy.yaml").networks().isEmpty(), "no networks: none");

        PolicyException e = refused(VALID + "networks:\n  - 52.28.113.40/29\n  - office-vpn\n");
        assertTrue(e.getMessage().startsWith("policy.yaml:18: networks[1]: 'office-vpn' is not"), e.getMessage());
        assertTrue(refused(VALID + "networks: 52.28.113.40/29\n").getMessage().contains("networks: expected a list"));
        assertTrue(refused(VALID + "networks: [\"52.28.113.44/24\"]\n").getMessage().contains("host bits set"));
    }
}
