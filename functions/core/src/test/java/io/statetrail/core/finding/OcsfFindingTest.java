package io.statetrail.core.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --format ocsf}: every finding of the samples, and hand-made edge cases, is an OCSF 1.1.0 Detection Finding:
 * the class's required attributes and those of each object used are there with the right types, enumerated ids
 * agree with their captions, and no attribute is one the class (with the cloud profile) does not define. The lists
 * below are OCSF 1.1.0's (schema.ocsf.io/1.1.0/classes/detection_finding and the objects it names).
 */
class OcsfFindingTest {

    static final Path EVENTS = Path.of("../../events");

    /** Required by the class (base event, finding, detection finding) and by the cloud profile. */
    static final List<String> REQUIRED = List.of("activity_id", "category_uid", "class_uid", "finding_info", "metadata", "severity_id",
            "time", "type_uid", "cloud");

    /** Every attribute OCSF 1.1.0 defines for Detection Finding with the cloud profile. */
    static final Set<String> DEFINED = Set.of("activity_id", "activity_name", "category_name", "category_uid", "class_name", "class_uid",
            "count", "duration", "end_time", "enrichments", "message", "metadata", "observables", "raw_data", "severity", "severity_id",
            "start_time", "status", "status_code", "status_detail", "status_id", "time", "timezone_offset", "type_name", "type_uid",
            "unmapped", "comment", "confidence", "confidence_id", "confidence_score", "finding_info", "evidences", "impact", "impact_id",
            "impact_score", "remediation", "resources", "risk_level", "risk_level_id", "risk_score", "vulnerabilities", "cloud", "api");

    static final Map<Integer, String> SEVERITY = Map.of(0, "Unknown", 1, "Informational", 2, "Low", 3, "Medium", 4, "High", 5, "Critical",
            6, "Fatal", 99, "Other");
    static final Map<Integer, String> ACTIVITY = Map.of(1, "Create", 2, "Update", 3, "Close");
    static final Map<Integer, String> STATUS = Map.of(1, "New", 2, "In Progress", 3, "Suppressed", 4, "Resolved");
    static final Map<Integer, String> CONFIDENCE = Map.of(1, "Low", 2, "Medium", 3, "High");

    final ObjectMapper json = new ObjectMapper();

    @Test
    void everySampleFindingIsAValidDetectionFinding() throws Exception {
        Replay.Result result = new Replay(PolicyLoader.load(EVENTS.resolve("policy.yaml"))).run(List.of(EVENTS), null);
        assertTrue(result.findings().size() > 20, "the samples give findings");
        Set<String> types = new java.util.TreeSet<>();
        for (Finding f : result.findings()) {
            JsonNode o = json.readTree(OcsfFinding.toLine(f, "1.2.3"));
            assertValid(o, f);
            types.add(o.path("finding_info").path("title").asText());
        }
        assertTrue(types.size() >= 8, "many finding types checked: " + types);
    }

    @Test
    void aFindingMapsFieldByField() throws Exception {
        Finding f = new Finding("f-1", "state-write-unexpected-subject", Severity.CRITICAL, Instant.parse("2026-11-05T14:03:11Z"),
                "222222222222", "repo:acme/infra:pull_request", "acme/infra", "pull_request",
                "arn:aws-us-gov:iam::222222222222:role/terraform-prod", "acme-tfstate-prod/infra/database/terraform.tfstate",
                "ASIAW6NHX2PAKCWQIIRG", "ASIARZ4TQ7KXBTKIKGKC", List.of("arn:aws-us-gov:iam::111111111111:role/gha-tooling-plan"),
                List.of("e-2", "e-1"), "state written by <b>pull_request</b>", 2, Map.of("principal", "x"),
                Instant.parse("2026-11-05T14:09:00Z"), true);
        JsonNode o = json.readTree(OcsfFinding.toLine(f, "0.1.0"));
        assertValid(o, f);
        assertEquals(200401, o.get("type_uid").asInt());
        assertEquals(5, o.get("severity_id").asInt());
        assertEquals(Instant.parse("2026-11-05T14:03:11Z").toEpochMilli(), o.get("time").asLong());
        assertEquals(Instant.parse("2026-11-05T14:09:00Z").toEpochMilli(), o.get("end_time").asLong());
        assertEquals("state written by <b>pull_request</b>", o.get("message").asText(), "JSON carries text as it is");
        assertEquals(2, o.get("confidence_id").asInt(), "provisional");
        assertEquals("arn:aws-us-gov:s3:::acme-tfstate-prod/infra/database/terraform.tfstate", o.at("/resources/0/uid").asText());
        assertEquals("terraform-prod", o.at("/resources/1/name").asText());
        assertEquals("ASIAW6NHX2PAKCWQIIRG", o.at("/evidences/0/actor/session/credential_uid").asText());
        assertEquals("repo:acme/infra:pull_request", o.at("/evidences/0/actor/user/name").asText());
        assertEquals("222222222222", o.at("/cloud/account/uid").asText());
        assertEquals(List.of("e-2", "e-1"), texts(o.at("/finding_info/related_events"), "uid"));
        assertEquals("0.1.0", o.at("/metadata/product/version").asText());
        assertEquals("x", o.at("/unmapped/details/principal").asText());
        assertEquals(2, o.at("/unmapped/count").asInt());
    }

    @Test
    void aWithdrawnFindingCloses() throws Exception {
        Finding f = new Finding("f-2", "unattributed-session", Severity.MEDIUM, Instant.parse("2026-11-05T14:03:11Z"), null, null, null, null,
                null, null, null, null, null, List.of(), "s", 1, Map.of("withdrawn", "the issuing event arrived"), null, false);
        JsonNode o = json.readTree(OcsfFinding.toLine(f, null));
        assertValid(o, f);
        assertEquals(3, o.get("activity_id").asInt());
        assertEquals(200403, o.get("type_uid").asInt());
        assertEquals(99, o.get("status_id").asInt());
        assertEquals("Withdrawn", o.get("status").asText(), "status_id 99 (Other) names its status");
        assertFalse(o.has("evidences"), "no actor known: no empty evidence");
        assertFalse(o.at("/metadata/product").has("version"));
    }

    @Test
    void aSuppressedFindingHasOcsfsSuppressedStatus() throws Exception {
        Finding f = new Finding("f-3", "stale-lock", Severity.MEDIUM, Instant.parse("2026-11-05T14:03:11Z"), null, null, null, null,
                null, null, null, null, null, List.of(), "s", 1, Map.of(Finding.SUPPRESSED_BY, "line 20: nightly batch"), null, false);
        JsonNode o = json.readTree(OcsfFinding.toLine(f, null));
        assertValid(o, f);
        assertEquals(3, o.get("status_id").asInt());
        assertEquals("Suppressed", o.get("status").asText());
        assertEquals("line 20: nightly batch", o.at("/unmapped/details/suppressedBy").asText());
    }

    private static void assertValid(JsonNode o, Finding f) {
        String where = f.type() + " " + f.id();
        for (String r : REQUIRED) {
            assertTrue(o.hasNonNull(r), where + ": no " + r);
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            assertTrue(DEFINED.contains(name), where + ": " + name + " is not a Detection Finding attribute");
        }
        assertEquals(OcsfFinding.CLASS_UID, o.get("class_uid").asInt());
        assertEquals(OcsfFinding.CATEGORY_UID, o.get("category_uid").asInt());
        assertEquals(o.get("class_uid").asLong() * 100 + o.get("activity_id").asLong(), o.get("type_uid").asLong(), where);
        assertCaption(ACTIVITY, o, "activity_id", "activity_name", where);
        assertCaption(SEVERITY, o, "severity_id", "severity", where);
        assertCaption(CONFIDENCE, o, "confidence_id", "confidence", where);
        if (o.get("status_id").asInt() != 99) {
            assertCaption(STATUS, o, "status_id", "status", where);
        }
        for (String t : List.of("time", "start_time", "end_time")) {
            assertTrue(!o.has(t) || o.get(t).isIntegralNumber(), where + ": " + t + " is a timestamp_t (epoch ms)");
        }
        JsonNode metadata = o.get("metadata");
        assertEquals(OcsfFinding.SCHEMA_VERSION, metadata.path("version").asText(), where);
        assertTrue(metadata.path("product").hasNonNull("vendor_name"), where + ": product.vendor_name is required");
        assertEquals("AWS", o.at("/cloud/provider").asText(), where + ": cloud.provider is required");
        JsonNode info = o.get("finding_info");
        assertEquals(f.id(), info.path("uid").asText(), where);
        assertEquals(f.type(), info.path("title").asText(), where + ": finding_info.title is required");
        assertTrue(info.at("/analytic/type_id").isInt(), where + ": analytic.type_id is required");
        assertEquals(f.eventIds(), texts(info.path("related_events"), "uid"), where);
        for (JsonNode r : o.path("resources")) {
            assertTrue(r.hasNonNull("uid") && r.hasNonNull("type"), where + ": resource " + r);
        }
        for (JsonNode e : o.path("evidences")) {
            assertFalse(e.isEmpty(), where + ": an evidence has at least one attribute");
        }
        assertEquals(f.type(), o.at("/unmapped/type").asText(), where + ": statetrail's type is kept");
    }

    private static void assertCaption(Map<Integer, String> captions, JsonNode o, String id, String caption, String where) {
        assertEquals(captions.get(o.get(id).asInt()), o.path(caption).asText(), where + ": " + id + " " + o.get(id));
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
