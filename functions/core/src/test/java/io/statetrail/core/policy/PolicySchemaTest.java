package io.statetrail.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialects;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema published in docs/ is the one the loader checks with, it is a valid 2020-12 schema, it describes every
 * top-level section (issue 15's suppressions, 19's stores and 20's networks included), and its errors keep their lines.
 */
class PolicySchemaTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

    private static PolicyException refused(String yaml) {
        return assertThrows(PolicyException.class, () -> PolicyLoader.parse(yaml, "policy.yaml"));
    }

    @Test
    void theSchemaInDocsIsTheOneTheLoaderUses() throws IOException {
        JsonNode published = new ObjectMapper().readTree(Files.readString(REPO.resolve("docs/policy.schema.json")));

        assertEquals(published, PolicySchema.document());
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(Dialects.getDraft202012().getId()));

        assertEquals(List.of(), meta.validate(PolicySchema.document()).stream().map(Object::toString).toList());
    }

    @Test
    void suppressionsNameEveryFindingType() {
        TreeSet<String> inSchema = new TreeSet<>();
        PolicySchema.document().path("$defs").path("suppression").path("properties").path("type").path("enum")
                .forEach(t -> inSchema.add(t.asText()));
        TreeSet<String> types = new TreeSet<>();
        for (FindingType t : FindingType.values()) {
            types.add(t.id());
        }

        assertEquals(types, inSchema);
    }

    @Test
    void everyPolicyFileInTheRepositoryIsValid() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(REPO.resolve("infra/examples"))) {
            walk.filter(p -> p.getFileName().toString().equals("policy.yaml")).forEach(files::add);
        }
        files.add(REPO.resolve("events/policy.yaml"));

        assertTrue(files.size() >= 3, String.valueOf(files));
        for (Path f : files) {
            PolicyLoader.load(f);
        }
    }

    @Test
    void everySectionIsRead() {
        Policy p = PolicyLoader.parse("""
                roles: []
                states: []
                lockTables: ["acme-tf-locks"]
                stores:
                  buckets: ["acme-tfstate-dev"]
                  kmsKeys: ["arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
                  admins: ["arn:aws:iam::222222222222:role/AWSReservedSSO_Admin_*"]
                networks: ["192.0.2.0/24", "2001:db8::/32"]
                suppressions:
                  - type: stale-lock
                    state: "acme-tfstate-prod/batch/*"
                    reason: "nightly batch holds its lock for hours (INFRA-123)"
                    expires: 2027-01-31
                  - type: non-federated-state-write
                    principal: "arn:aws:iam::222222222222:user/breakglass"
                    reason: break-glass user, reviewed monthly
                """, "policy.yaml");

        assertEquals(List.of("acme-tfstate-dev"), p.stores().buckets());
        assertEquals(1, p.stores().kmsKeys().size());
        assertEquals(1, p.stores().admins().size());
        assertEquals(2, p.suppressions().size());
        Policy.Suppression stale = p.suppressions().get(0);
        assertEquals("stale-lock", stale.type());
        assertEquals(LocalDate.parse("2027-01-31"), stale.expires());
        assertEquals(10, stale.line());
        assertNull(p.suppressions().get(1).expires());
    }

    @Test
    void aSuppressionMatchesItsTypeAndEveryGlobItGivesUntilItExpires() {
        Policy.Suppression s = new Policy.Suppression("stale-lock", null, null, Glob.of("acme-tfstate-prod/batch/*"), null, "why",
                LocalDate.parse("2027-01-31"), 1);
        Finding batch = finding("stale-lock", "acme-tfstate-prod/batch/terraform.tfstate");

        assertTrue(s.matches(batch, LocalDate.parse("2027-01-31")));
        assertTrue(!s.matches(batch, LocalDate.parse("2027-02-01")), "expired");
        assertTrue(!s.matches(finding("stale-lock", "acme-tfstate-prod/infra/terraform.tfstate"), LocalDate.parse("2026-12-01")));
        assertTrue(!s.matches(finding("force-unlock", "acme-tfstate-prod/batch/terraform.tfstate"), LocalDate.parse("2026-12-01")));
    }

    private static Finding finding(String type, String stateKey) {
        return new Finding("id", type, FindingType.byId(type).orElseThrow().severity(), Instant.parse("2026-11-20T10:00:00Z"), "222222222222",
                null, null, null, null, stateKey, null, null, List.of(), List.of(), "s", 1, Map.of(), null, false);
    }

    @Test
    void aSuppressionWithoutWhyOrWithoutWhatIsRefused() {
        assertEquals("policy.yaml:2: suppressions[0]: missing 'reason' (why this finding is accepted)",
                refused("suppressions:\n  - type: stale-lock\n    state: \"b/*\"\n").getMessage());
        assertEquals("policy.yaml:2: suppressions[0]: needs at least one of subject, role, state, principal",
                refused("suppressions:\n  - type: stale-lock\n    reason: x\n").getMessage());
    }

    @Test
    void aSuppressionOfAnUnknownTypeOrDateIsRefusedWithItsLine() {
        PolicyException type = refused("suppressions:\n  - type: stale-locks\n    state: \"b/*\"\n    reason: x\n");
        PolicyException date = refused("suppressions:\n  - type: stale-lock\n    state: \"b/*\"\n    reason: x\n    expires: 31/01/2027\n");

        assertTrue(type.getMessage().startsWith("policy.yaml:2: suppressions[0].type: 'stale-locks' is not a finding type (expected one of "),
                type.getMessage());
        assertEquals("policy.yaml:5: suppressions[0].expires: '31/01/2027' is not a date such as 2027-01-31", date.getMessage());
    }

    @Test
    void aSuppressionAlreadyExpiredWhenThePolicyIsLoadedIsRefusedWithItsLine() {
        String yaml = "suppressions:\n  - type: stale-lock\n    state: \"b/*\"\n    reason: x\n    expires: 2026-11-30\n";

        assertEquals(1, PolicyLoader.parse(yaml, "policy.yaml", LocalDate.parse("2026-11-30")).suppressions().size(), "its last day");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse(yaml, "policy.yaml", LocalDate.parse("2026-12-01")));
        assertEquals("policy.yaml:5: suppressions[0].expires: expired on 2026-11-30 (today is 2026-12-01); renew it with a new date"
                + " or remove the entry", e.getMessage());
        // The old signature judges it on today's date (UTC).
        assertThrows(PolicyException.class, () -> PolicyLoader.parse(yaml.replace("2026-11-30", "2020-01-01"), "policy.yaml"));
    }

    @Test
    void aNetworkThatIsNotACidrIsRefused() {
        // A single address is a block of one (issue 20); a name is not an address.
        String message = refused("networks: [\"192.0.2.0/24\", \"10.0.0.1\", \"office-vpn\"]\n").getMessage();
        assertTrue(message.startsWith("policy.yaml:1: networks[2]: 'office-vpn' is not"), message);
    }

    @Test
    void anUnknownKeyOfAStoreIsRefusedAndTheTopLevelListsEverySection() {
        assertEquals("policy.yaml:2: stores: unknown key 'bucket' (expected one of admins, buckets, kmsKeys)",
                refused("stores:\n  bucket: [x]\n").getMessage());
        assertEquals("policy.yaml:1: policy: unknown key 'role' (expected one of lockTables, networks, roles, states, stores, suppressions)",
                refused("role: []\n").getMessage());
    }

    @Test
    void anEmptyValueIsNothingRatherThanAnEmptyString() {
        assertEquals("policy.yaml:3: roles[0].subjects: expected a list, found nothing",
                refused("roles:\n  - arn: \"arn:aws:iam::1:role/x\"\n    subjects:\n").getMessage());
    }
}
