package io.statetrail.infracheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every store and queue is encrypted; statetrail's own data with its customer managed key. */
class EncryptionAtRestTest {
    /**
     * Resource types that store or carry data. A new one must be added to the switch below. (Event buses are not
     * here: EventBridge always encrypts events at rest and in transit.)
     */
    static final Set<String> STORES = Set.of("aws_sqs_queue", "aws_sns_topic", "aws_dynamodb_table", "aws_s3_bucket",
            "aws_secretsmanager_secret", "aws_ssm_parameter", "aws_cloudwatch_log_group", "aws_cloudtrail", "aws_lambda_function",
            "aws_kinesis_stream", "aws_efs_file_system");

    static Stream<Arguments> modules() {
        return Stream.of(Arguments.of("statetrail", "full"), Arguments.of("statetrail", "minimal"), Arguments.of("statetrail-member", "full"));
    }

    static boolean set(Object v) {
        return v != null && !String.valueOf(v).isBlank() && !"null".equals(String.valueOf(v));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("modules")
    void everyStoreAndQueueIsEncrypted(String module, String inputs) {
        TerraformModule m = TestInputs.module(module, inputs);
        int checked = 0;
        for (String type : Policies.resourceTypes(m)) {
            if (!STORES.contains(type)) {
                continue;
            }
            for (TerraformModule.Instance i : m.instances(type)) {
                checked++;
                switch (type) {
                    case "aws_sqs_queue" -> assertTrue(set(i.get("kms_master_key_id")) || Boolean.TRUE.equals(i.get("sqs_managed_sse_enabled")),
                            i.address() + " is not encrypted");
                    case "aws_sns_topic" -> assertTrue(set(i.get("kms_master_key_id")), i.address() + " has no kms_master_key_id");
                    case "aws_dynamodb_table" -> {
                        assertEquals(Boolean.TRUE, i.get("server_side_encryption.enabled"), i.address());
                        assertTrue(set(i.get("server_side_encryption.kms_key_arn")), i.address() + " must use the customer managed key");
                    }
                    case "aws_s3_bucket" -> assertTrue(bucketHasDefaultEncryption(m, i), i.address() + " has no default encryption");
                    case "aws_secretsmanager_secret" -> assertTrue(set(i.get("kms_key_id")), i.address() + " has no kms_key_id");
                    case "aws_ssm_parameter" -> {
                        assertEquals("SecureString", i.text("type"), i.address());
                        assertTrue(set(i.get("key_id")), i.address() + " has no key_id");
                    }
                    case "aws_cloudwatch_log_group" -> assertTrue(set(i.get("kms_key_id")), i.address() + " has no kms_key_id");
                    case "aws_cloudtrail" -> assertTrue(set(i.get("kms_key_id")) || moduleBucketsAreEncrypted(m),
                            i.address() + ": log files neither KMS-encrypted nor in an encrypted bucket");
                    case "aws_lambda_function" -> assertTrue(set(i.get("kms_key_arn")), i.address() + " environment not encrypted with the CMK");
                    default -> fail("no encryption rule for " + type + " (" + i.address() + ")");
                }
            }
        }
        assertTrue(checked > 0, "no store found in " + module);
    }

    static boolean bucketHasDefaultEncryption(TerraformModule m, TerraformModule.Instance bucket) {
        for (TerraformModule.Instance sse : m.instances("aws_s3_bucket_server_side_encryption_configuration")) {
            String target = String.valueOf(sse.get("bucket"));
            String algorithm = sse.text("rule.apply_server_side_encryption_by_default.sse_algorithm");
            if (target.contains("aws_s3_bucket." + bucket.name()) && Set.of("aws:kms", "AES256", "aws:kms:dsse").contains(algorithm)) {
                return true;
            }
        }
        return false;
    }

    static boolean moduleBucketsAreEncrypted(TerraformModule m) {
        List<TerraformModule.Instance> buckets = m.instances("aws_s3_bucket");
        return !buckets.isEmpty() && buckets.stream().allMatch(b -> bucketHasDefaultEncryption(m, b));
    }

    @Test
    void statetrailDataUsesOneRotatingCustomerManagedKey() {
        TerraformModule m = TestInputs.module("statetrail", "full");
        TerraformModule.Instance key = m.instance("aws_kms_key", "this");
        assertEquals(Boolean.TRUE, key.get("enable_key_rotation"));
        String ref = "aws_kms_key.this.arn";
        assertTrue(String.valueOf(m.instance("aws_dynamodb_table", "audit").get("server_side_encryption.kms_key_arn")).contains(ref));
        assertTrue(String.valueOf(m.instance("aws_sns_topic", "alerts").get("kms_master_key_id")).contains(ref));
        for (TerraformModule.Instance q : m.instances("aws_sqs_queue")) {
            assertTrue(String.valueOf(q.get("kms_master_key_id")).contains(ref), q.address());
        }
        assertNotNull(m.instance("aws_cloudtrail", "this").get("kms_key_id"));
        assertFalse(m.instances("aws_secretsmanager_secret").isEmpty());
    }

    @Test
    void keyPolicyLetsOnlyTheServicesThatNeedItUseTheKey() {
        TerraformModule m = TestInputs.module("statetrail", "full");
        Set<String> services = new java.util.TreeSet<>();
        for (Policies.Statement s : Policies.statements(m)) {
            if (s.owner().type().equals("aws_kms_key")) {
                s.json().path("Principal").path("Service").forEach(n -> services.add(n.asText()));
                if (s.json().path("Principal").path("Service").isTextual()) {
                    services.add(s.json().path("Principal").path("Service").asText());
                }
                assertTrue(s.json().has("Condition") || "KeyAdministration".equals(s.json().path("Sid").asText()),
                        s.where() + " grants key use without a condition");
            }
        }
        assertEquals(Set.of("events.amazonaws.com", "cloudwatch.amazonaws.com", "cloudtrail.amazonaws.com"),
                services.stream().filter(x -> !x.startsWith("logs.")).collect(java.util.stream.Collectors.toSet()));
        assertTrue(services.stream().anyMatch(x -> x.startsWith("logs.")), "CloudWatch Logs needs the key for the log groups");
    }
}
