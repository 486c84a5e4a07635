package io.statetrail.infracheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.event.ruler.Machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The EventBridge rules, rendered from the Terraform with the test inputs, evaluated with AWS's own matcher
 * (event-ruler) against the sample events in events/ and a few events written here.
 */
class EventRulePatternTest {
    static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    static final Set<String> STS = Set.of("AssumeRoleWithWebIdentity", "AssumeRole", "AssumeRoleWithSAML");
    static final Set<String> IAM = Set.of("CreateRole", "UpdateAssumeRolePolicy", "CreateOpenIDConnectProvider",
            "DeleteOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint", "AddClientIDToOpenIDConnectProvider",
            "RemoveClientIDFromOpenIDConnectProvider");
    static final Set<String> S3 = Set.of("PutObject", "CopyObject", "CompleteMultipartUpload", "GetObject", "DeleteObject",
            "DeleteObjects");
    static final Set<String> DYNAMODB = Set.of("PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems",
            "ExecuteStatement", "BatchExecuteStatement");

    static TerraformModule module;
    static Map<String, String> rules;
    static Set<String> buckets;
    static Set<String> tables;
    static List<SampleEvents.Sample> samples;

    @BeforeAll
    static void load() {
        module = TestInputs.module("statetrail", "full");
        rules = patterns(module);
        buckets = new TreeSet<>();
        for (Object b : TerraformModule.asList(module.variables.get("state_buckets"))) {
            buckets.add(String.valueOf(TerraformModule.asMap(b).get("name")));
        }
        tables = new TreeSet<>();
        for (Object t : TerraformModule.asList(module.variables.get("lock_tables"))) {
            tables.add(String.valueOf(TerraformModule.asMap(t).get("name")));
        }
        samples = SampleEvents.load(Repo.events());
    }

    /** Rule address -> pattern JSON, for every aws_cloudwatch_event_rule instance that has a pattern. */
    static Map<String, String> patterns(TerraformModule m) {
        Map<String, String> out = new TreeMap<>();
        for (TerraformModule.Instance rule : m.instances("aws_cloudwatch_event_rule")) {
            Object pattern = rule.get("event_pattern");
            if (pattern != null) {
                out.put(rule.address(), String.valueOf(pattern));
            }
        }
        return out;
    }

    static Machine machine(Map<String, String> patterns) {
        Machine machine = new Machine();
        patterns.forEach((name, json) -> {
            try {
                machine.addRule(name, json);
            } catch (Exception e) {
                throw new AssertionError("event-ruler rejects the pattern of " + name + ": " + e.getMessage() + "\n" + json, e);
            }
        });
        return machine;
    }

    static List<String> matches(Machine machine, ObjectNode envelope) {
        try {
            return machine.rulesForJSONEvent(envelope.toString());
        } catch (Exception e) {
            throw new AssertionError("event-ruler cannot read the event " + envelope, e);
        }
    }

    /** The specification the patterns implement: which events statetrail must receive. */
    static boolean relevant(JsonNode envelope) {
        if (!DETAIL_TYPE.equals(envelope.path("detail-type").asText())) {
            return false;
        }
        JsonNode d = envelope.path("detail");
        String name = d.path("eventName").asText();
        return switch (d.path("eventSource").asText()) {
            case "sts.amazonaws.com" -> STS.contains(name) && d.path("userIdentity").path("type").isTextual()
                    && !"AWSService".equals(d.path("userIdentity").path("type").asText());
            case "iam.amazonaws.com" -> IAM.contains(name);
            case "s3.amazonaws.com" -> S3.contains(name) && buckets.contains(d.path("requestParameters").path("bucketName").asText());
            case "dynamodb.amazonaws.com" -> DYNAMODB.contains(name)
                    && (tables.contains(d.path("requestParameters").path("tableName").asText()) || namesLockTable(d.path("resources")));
            default -> false;
        };
    }

    /** Batches, transactions and PartiQL statements name their table only in resources (issue 13). */
    static boolean namesLockTable(JsonNode resources) {
        for (JsonNode r : resources) {
            String arn = r.path("ARN").asText();
            for (String t : tables) {
                if (arn.endsWith(":table/" + t)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String sourceOf(String patternJson) {
        try {
            return HclFunctions.JSON.readTree(patternJson).path("source").path(0).asText();
        } catch (Exception e) {
            throw new AssertionError("pattern is not JSON: " + patternJson, e);
        }
    }

    @Test
    void everyRulePatternIsAcceptedByEventRuler() {
        assertFalse(rules.isEmpty(), "no aws_cloudwatch_event_rule with an event_pattern was found");
        rules.forEach((name, json) -> assertTrue(json.startsWith("{"), name + " has no rendered JSON pattern: " + json));
        assertNotNull(machine(rules));
    }

    @Test
    void rulesCoverStsIamS3AndDynamodbOnBothBuses() {
        Set<String> expected = Set.of(
                "aws_cloudwatch_event_rule.sts",
                "aws_cloudwatch_event_rule.this[iam]",
                "aws_cloudwatch_event_rule.this[state-objects]",
                "aws_cloudwatch_event_rule.this[lock-tables]",
                "aws_cloudwatch_event_rule.central[sts]",
                "aws_cloudwatch_event_rule.central[iam]",
                "aws_cloudwatch_event_rule.central[state-objects]",
                "aws_cloudwatch_event_rule.central[lock-tables]");
        assertEquals(new TreeSet<>(expected), rules.keySet());
        Map<String, String> sourceByRule = new TreeMap<>();
        rules.forEach((k, v) -> sourceByRule.put(k, sourceOf(v)));
        assertEquals(Set.of("aws.sts", "aws.iam", "aws.s3", "aws.dynamodb"), Set.copyOf(sourceByRule.values()));
    }

    @Test
    void stsRuleOptsInToReadOnlyManagementEvents() {
        // AssumeRole* are read-only management events.
        assertEquals("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", module.instance("aws_cloudwatch_event_rule", "sts").text("state"));
        for (TerraformModule.Instance r : module.instances("aws_cloudwatch_event_rule")) {
            String state = r.text("state");
            assertTrue(Set.of("ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS").contains(state), r.address() + " state " + state);
        }
    }

    @Test
    void sampleEventsArePresent() {
        assertTrue(samples.size() >= 20, "expected the sample events of events/, found " + samples.size());
        assertTrue(samples.stream().anyMatch(s -> relevant(s.envelope())), "no sample is relevant: check test-inputs.json");
    }

    @TestFactory
    Stream<DynamicTest> relevantSampleEventsMatchOnlyRulesOfTheirService() {
        Machine machine = machine(rules);
        return samples.stream().filter(s -> relevant(s.envelope())).map(s -> DynamicTest.dynamicTest(s.describe(), () -> {
            List<String> matched = matches(machine, s.envelope());
            assertFalse(matched.isEmpty(), "no rule matches " + s.describe());
            for (String rule : matched) {
                assertEquals(s.source(), sourceOf(rules.get(rule)), rule + " matched an event of another service: " + s.describe());
            }
            // The same event arriving through the central bus must match there too.
            assertTrue(matched.stream().anyMatch(r -> r.startsWith("aws_cloudwatch_event_rule.central[")), "no central-bus rule matches " + s.describe());
            assertTrue(matched.stream().anyMatch(r -> !r.startsWith("aws_cloudwatch_event_rule.central[")), "no default-bus rule matches " + s.describe());
        }));
    }

    @TestFactory
    Stream<DynamicTest> unrelatedSampleEventsMatchNoRule() {
        Machine machine = machine(rules);
        return samples.stream().filter(s -> !relevant(s.envelope())).map(s -> DynamicTest.dynamicTest(s.describe(), () ->
                assertEquals(List.of(), matches(machine, s.envelope()), "unrelated event matched: " + s.describe())));
    }

    @Test
    void everyRuleMatchesAtLeastOneSampleEvent() {
        Machine machine = machine(rules);
        Set<String> used = new TreeSet<>();
        for (SampleEvents.Sample s : samples) {
            used.addAll(matches(machine, s.envelope()));
        }
        for (ObjectNode e : inlineRelevantEvents()) {
            used.addAll(matches(machine, e));
        }
        Set<String> unused = new TreeSet<>(rules.keySet());
        unused.removeAll(used);
        assertEquals(Set.of(), unused, "rules that match no sample event");
    }

    @Test
    void everyConfiguredBucketAndTableAppearsInTheSamples() {
        // Catches test inputs drifting from the samples (and samples on acme state buckets the inputs do not list).
        Set<String> sampleBuckets = new TreeSet<>();
        Set<String> sampleTables = new TreeSet<>();
        for (SampleEvents.Sample s : samples) {
            JsonNode rp = s.detail().path("requestParameters");
            if (rp.path("bucketName").isTextual()) {
                sampleBuckets.add(rp.path("bucketName").asText());
            }
            if (rp.path("tableName").isTextual()) {
                sampleTables.add(rp.path("tableName").asText());
            }
        }
        assertTrue(sampleBuckets.containsAll(buckets), "buckets in test inputs but not in samples: " + buckets + " vs " + sampleBuckets);
        assertTrue(sampleTables.containsAll(tables), "tables in test inputs but not in samples: " + tables + " vs " + sampleTables);
        Set<String> stateLike = sampleBuckets.stream().filter(b -> b.startsWith("acme-tfstate")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(stateLike, buckets, "state buckets used by the samples vs test-inputs.json");
    }

    @Test
    void inlineRelevantEventsMatch() {
        Machine machine = machine(rules);
        for (ObjectNode e : inlineRelevantEvents()) {
            assertTrue(relevant(e), "the relevance spec disagrees with this test's own event: " + e);
            assertFalse(matches(machine, e).isEmpty(), "no rule matches " + e.path("detail").path("eventName") + " " + e);
        }
    }

    @Test
    void inlineUnrelatedEventsMatchNoRule() {
        Machine machine = machine(rules);
        for (ObjectNode e : inlineUnrelatedEvents()) {
            assertFalse(relevant(e), "the relevance spec disagrees with this test's own event: " + e);
            assertEquals(List.of(), matches(machine, e), "unrelated event matched: " + e);
        }
    }

    @Test
    void rulesWithoutBucketsOrTablesAreNotCreated() {
        // EventBridge rejects empty lists in patterns: a deployment without lock tables must not render one.
        Map<String, String> minimal = patterns(TestInputs.module("statetrail", "minimal"));
        assertEquals(Set.of("aws_cloudwatch_event_rule.sts", "aws_cloudwatch_event_rule.this[iam]",
                "aws_cloudwatch_event_rule.this[state-objects]"), minimal.keySet());
        minimal.values().forEach(p -> assertFalse(p.contains("[]"), "empty list in pattern " + p));
    }

    @Test
    void centralBusRulesUseTheDefaultBusPatterns() {
        Map<String, String> byKey = new TreeMap<>();
        Map<String, String> central = new TreeMap<>();
        rules.forEach((address, p) -> {
            String key = address.contains("[") ? address.substring(address.indexOf('[') + 1, address.length() - 1) : "sts";
            (address.startsWith("aws_cloudwatch_event_rule.central[") ? central : byKey).put(key, p);
        });
        assertEquals(byKey, central);
    }

    @Test
    void memberForwardingRulesUseTheSamePatternsAsTheCentralRules() {
        // Both modules take the patterns from statetrail-events: the same inputs give the same patterns.
        TerraformModule member = TestInputs.module("statetrail-member", "full");
        Map<String, String> forwarded = new TreeMap<>();
        patterns(member).forEach((address, p) -> forwarded.put(address.contains("[")
                ? address.substring(address.indexOf('[') + 1, address.length() - 1) : "sts", canonical(p)));
        Map<String, String> central = new TreeMap<>();
        rules.forEach((address, p) -> {
            if (address.startsWith("aws_cloudwatch_event_rule.central[")) {
                central.put(address.substring(address.indexOf('[') + 1, address.length() - 1), canonical(p));
            }
        });
        assertEquals(central, forwarded);
        assertEquals("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", member.instance("aws_cloudwatch_event_rule", "forward_sts").text("state"));
    }

    @Test
    void bothModulesReadThePatternsAndSelectorsFromTheStatetrailEventsModule() {
        TerraformModule member = TestInputs.module("statetrail-member", "full");
        for (TerraformModule m : List.of(module, member)) {
            assertEquals(Repo.module("statetrail-events"), m.module("events").dir, m.dir + " calls statetrail-events");
        }
        Map<String, Object> central = module.module("events").outputs();
        Map<String, String> expected = new TreeMap<>();
        expected.put("aws_cloudwatch_event_rule.sts", (String) central.get("sts_event_pattern"));
        TerraformModule.asMap(central.get("data_event_patterns")).forEach((k, p) -> expected.put("aws_cloudwatch_event_rule.this[" + k + "]", (String) p));
        TerraformModule.asMap(central.get("event_patterns")).forEach((k, p) -> expected.put("aws_cloudwatch_event_rule.central[" + k + "]", (String) p));
        assertEquals(expected, rules);
        assertEquals(central.get("data_event_selectors"), module.locals.get("data_event_selectors"), "the trail's data-event selectors");

        Map<String, Object> forwarded = member.module("events").outputs();
        Map<String, String> expectedForwarded = new TreeMap<>();
        expectedForwarded.put("aws_cloudwatch_event_rule.forward_sts", (String) forwarded.get("sts_event_pattern"));
        TerraformModule.asMap(forwarded.get("data_event_patterns")).forEach((k, p) -> expectedForwarded.put("aws_cloudwatch_event_rule.forward[" + k + "]", (String) p));
        assertEquals(expectedForwarded, patterns(member));
        assertEquals(forwarded.get("data_event_selectors"), member.locals.get("data_trail_selectors"), "the member's data-event trail selectors");
    }

    @Test
    void noOtherTerraformFileDeclaresAnEventPatternOrADataEventSelector() throws Exception {
        for (java.nio.file.Path f : Repo.terraformFiles()) {
            if (f.startsWith(Repo.module("statetrail-events"))) {
                continue;
            }
            String text = java.nio.file.Files.readString(f);
            for (String declaration : List.of(DETAIL_TYPE, "\"detail-type\"", "eventName", "resources.type")) {
                assertFalse(text.contains(declaration), f + " declares what statetrail-events declares (" + declaration + ")");
            }
        }
    }

    private static String canonical(String json) {
        try {
            return HclFunctions.JSON.writeValueAsString(HclFunctions.JSON.readTree(json));
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    // --- Events written here ---------------------------------------------------------------------------------------

    static ObjectNode record(String eventSource, String eventName, String userType, Map<String, Object> requestParameters) {
        ObjectNode r = HclFunctions.JSON.createObjectNode();
        r.put("eventVersion", "1.09");
        r.putObject("userIdentity").put("type", userType).put("accountId", "111111111111");
        r.put("eventTime", "2026-11-20T10:00:00Z");
        r.put("eventSource", eventSource);
        r.put("eventName", eventName);
        r.put("awsRegion", "eu-west-1");
        r.set("requestParameters", HclFunctions.JSON.valueToTree(requestParameters));
        r.put("eventID", java.util.UUID.randomUUID().toString());
        r.put("eventType", "AwsApiCall");
        r.put("recipientAccountId", "111111111111");
        return SampleEvents.envelope(r);
    }

    /** The table resource CloudTrail adds to DynamoDB data events. */
    static ObjectNode withTable(ObjectNode envelope, String table) {
        ((ObjectNode) envelope.get("detail")).putArray("resources").addObject().put("accountId", "111111111111").put("type", "AWS::DynamoDB::Table")
                .put("ARN", "arn:aws:dynamodb:eu-west-1:111111111111:table/" + table);
        return envelope;
    }

    static List<ObjectNode> inlineRelevantEvents() {
        String bucket = buckets.iterator().next();
        String table = tables.iterator().next();
        List<ObjectNode> out = new ArrayList<>();
        out.add(record("sts.amazonaws.com", "AssumeRoleWithWebIdentity", "WebIdentityUser", Map.of("roleArn", "arn:aws:iam::111111111111:role/gha")));
        out.add(record("sts.amazonaws.com", "AssumeRole", "AssumedRole", Map.of("roleArn", "arn:aws:iam::222222222222:role/deploy")));
        out.add(record("sts.amazonaws.com", "AssumeRole", "AWSAccount", Map.of("roleArn", "arn:aws:iam::222222222222:role/deploy")));
        out.add(record("iam.amazonaws.com", "UpdateAssumeRolePolicy", "AssumedRole", Map.of("roleName", "gha")));
        out.add(record("iam.amazonaws.com", "CreateOpenIDConnectProvider", "AssumedRole", Map.of("url", "https://token.actions.githubusercontent.com")));
        out.add(record("iam.amazonaws.com", "UpdateOpenIDConnectProviderThumbprint", "AssumedRole", Map.of()));
        out.add(record("s3.amazonaws.com", "PutObject", "AssumedRole", Map.of("bucketName", bucket, "key", "app/terraform.tfstate.tflock")));
        out.add(record("s3.amazonaws.com", "CompleteMultipartUpload", "AssumedRole", Map.of("bucketName", bucket, "key", "app/terraform.tfstate")));
        out.add(record("dynamodb.amazonaws.com", "PutItem", "AssumedRole", Map.of("tableName", table, "key", Map.of("LockID", bucket + "/app/terraform.tfstate"))));
        out.add(record("dynamodb.amazonaws.com", "DeleteItem", "AssumedRole", Map.of("tableName", table, "key", Map.of("LockID", bucket + "/app/terraform.tfstate"))));
        out.add(record("dynamodb.amazonaws.com", "UpdateItem", "AssumedRole", Map.of("tableName", table, "key", Map.of("LockID", bucket + "/app/terraform.tfstate"))));
        out.add(withTable(record("dynamodb.amazonaws.com", "ExecuteStatement", "AssumedRole",
                Map.of("statement", "DELETE FROM \"" + table + "\" WHERE \"LockID\" = '" + bucket + "/app/terraform.tfstate'")), table));
        out.add(withTable(record("dynamodb.amazonaws.com", "TransactWriteItems", "AssumedRole", Map.of("requestItems", List.of(
                Map.of("operation", "Delete", "tableName", table, "key", Map.of("LockID", bucket + "/app/terraform.tfstate"))))), table));
        return out;
    }

    static List<ObjectNode> inlineUnrelatedEvents() {
        String bucket = buckets.iterator().next();
        String table = tables.iterator().next();
        List<ObjectNode> out = new ArrayList<>();
        out.add(record("ec2.amazonaws.com", "DescribeInstances", "AssumedRole", Map.of()));
        out.add(record("s3.amazonaws.com", "PutObject", "AssumedRole", Map.of("bucketName", "acme-website-assets", "key", "index.html")));
        out.add(record("kms.amazonaws.com", "Decrypt", "AWSService", Map.of()));
        out.add(record("sts.amazonaws.com", "GetCallerIdentity", "AssumedRole", Map.of()));
        out.add(record("sts.amazonaws.com", "AssumeRole", "AWSService", Map.of("roleArn", "arn:aws:iam::111111111111:role/lambda-exec")));
        out.add(record("s3.amazonaws.com", "HeadObject", "AssumedRole", Map.of("bucketName", bucket, "key", "app/terraform.tfstate.tflock")));
        out.add(record("s3.amazonaws.com", "ListObjectsV2", "AssumedRole", Map.of("bucketName", bucket)));
        out.add(record("dynamodb.amazonaws.com", "PutItem", "AssumedRole", Map.of("tableName", "orders", "key", Map.of("id", "1"))));
        out.add(record("dynamodb.amazonaws.com", "GetItem", "AssumedRole", Map.of("tableName", table, "key", Map.of("LockID", bucket + "/app/terraform.tfstate-md5"))));
        out.add(record("iam.amazonaws.com", "ListRoles", "AssumedRole", Map.of()));
        out.add(withTable(record("dynamodb.amazonaws.com", "ExecuteStatement", "AssumedRole", Map.of("statement", "DELETE FROM orders WHERE id = '1'")), "orders"));
        out.add(withTable(record("dynamodb.amazonaws.com", "BatchGetItem", "AssumedRole", Map.of()), table));
        // S3's own EventBridge notifications use another detail-type and must not be mistaken for CloudTrail events.
        ObjectNode notification = record("s3.amazonaws.com", "PutObject", "AssumedRole", Map.of("bucketName", bucket));
        notification.put("detail-type", "Object Created");
        out.add(notification);
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("bucketName", "not-" + bucket);
        out.add(record("s3.amazonaws.com", "DeleteObject", "AssumedRole", reordered));
        return out;
    }

    @Test
    void relevanceSpecificationIsNotVacuous() {
        // Guards the helpers above: a broken envelope would make every "must not match" check pass.
        ObjectNode e = record("s3.amazonaws.com", "PutObject", "AssumedRole", Map.of("bucketName", buckets.iterator().next()));
        assertEquals("aws.s3", e.path("source").asText());
        assertEquals(DETAIL_TYPE, e.path("detail-type").asText());
        if (!relevant(e)) {
            fail("a PutObject on a configured state bucket must be relevant");
        }
    }
}
