package io.statetrail.infracheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backfill state machine's definition (Amazon States Language, as the module renders it): its states and where
 * they lead, the Distributed Map's reader, batching, concurrency and result writer, the retries, and that every
 * Lambda function it names is one of the module's functions (whose handler classes {@link LambdaHandlerTest} finds).
 */
class BackfillStateMachineTest {

    /** Lambda's own failures: worth another try, as the batch is idempotent. */
    static final Set<String> LAMBDA_SERVICE_ERRORS = Set.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
    /** A function of the module as Lambda's Invoke names it: "<name_prefix>-<function>:live", or that function's ARN. */
    static final Pattern ALIAS = Pattern.compile("(?:^|:function:)statetrail-([a-z-]+):live$");

    static TerraformModule module(String inputs) {
        return TestInputs.module("statetrail", inputs);
    }

    static JsonNode definition(TerraformModule m) throws Exception {
        TerraformModule.Instance sm = m.instance("aws_sfn_state_machine", "backfill");
        return HclFunctions.JSON.readTree(sm.text("definition"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "minimal"})
    void itListsTheBucket_batchesTheFiles_andAddsUpTheResults(String inputs) throws Exception {
        TerraformModule m = module(inputs);
        assertEquals("STANDARD", m.instance("aws_sfn_state_machine", "backfill").text("type"), "a Distributed Map runs in a Standard workflow");
        JsonNode d = definition(m);
        assertEquals("Files", d.path("StartAt").asText());
        assertEquals(Set.of("Files", "Summary"), names(d.path("States")));

        JsonNode files = d.path("States").path("Files");
        assertEquals("Map", files.path("Type").asText());
        assertEquals("Summary", files.path("Next").asText());
        assertEquals("arn:aws:states:::s3:listObjectsV2", files.path("ItemReader").path("Resource").asText());
        assertEquals("$.bucket", files.path("ItemReader").path("Parameters").path("Bucket.$").asText());
        assertEquals("$.prefix", files.path("ItemReader").path("Parameters").path("Prefix.$").asText());
        assertEquals("$.concurrency", files.path("MaxConcurrencyPath").asText(), "concurrency is an input of the execution");
        JsonNode batcher = files.path("ItemBatcher");
        assertEquals("$.filesPerBatch", batcher.path("MaxItemsPerBatchPath").asText());
        assertTrue(batcher.path("MaxInputBytesPerBatch").asInt() <= 262144, "Step Functions caps a batch at 256 KiB");
        assertEquals(Set.of("bucket.$", "from.$", "to.$", "rate.$", "concurrency.$"), names(batcher.path("BatchInput")),
                "what every batch needs: the bucket, the date range and the rate");
        assertEquals(100, files.path("ToleratedFailurePercentage").asInt(), "a failed batch is listed by the summary, not the end of the run");
        JsonNode processor = files.path("ItemProcessor");
        assertEquals("DISTRIBUTED", processor.path("ProcessorConfig").path("Mode").asText());
        assertEquals("EXPRESS", processor.path("ProcessorConfig").path("ExecutionType").asText());
        JsonNode worker = processor.path("States").path(processor.path("StartAt").asText());
        assertTrue(worker.path("End").asBoolean());
        assertTrue(worker.path("TimeoutSeconds").asInt() < 300, "below an Express execution's five minutes");
        assertEquals("arn:aws:states:::s3:putObject", files.path("ResultWriter").path("Resource").asText());
        assertTrue(files.path("ResultWriter").path("Parameters").path("Bucket").asText().contains("-backfill-"));

        JsonNode summary = d.path("States").path("Summary");
        assertTrue(summary.path("End").asBoolean());
        assertEquals(files.path("ResultPath").asText(), summary.path("Parameters").path("Payload.$").asText(),
                "the summary reads where the map put its ResultWriter details");
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "minimal"})
    void everyTaskRetriesLambdasOwnFailures_butNotTheFunctionsErrors(String inputs) throws Exception {
        List<JsonNode> tasks = tasks(definition(module(inputs)));
        assertEquals(2, tasks.size());
        for (JsonNode t : tasks) {
            Set<String> retried = new HashSet<>();
            for (JsonNode r : t.path("Retry")) {
                r.path("ErrorEquals").forEach(e -> retried.add(e.asText()));
                assertTrue(r.path("MaxAttempts").asInt() >= 2 && r.path("MaxAttempts").asInt() <= 10, r.toString());
                assertTrue(r.path("BackoffRate").asDouble() >= 1.5, r.toString());
            }
            assertTrue(retried.containsAll(LAMBDA_SERVICE_ERRORS), retried.toString());
            assertTrue(retried.contains("Sandbox.Timedout"), "a batch that timed out is tried again");
            assertFalse(retried.contains("States.ALL") || retried.contains("States.TaskFailed"),
                    "bad input (the function's own error) is not retried: " + retried);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "minimal"})
    void everyLambdaItNamesIsAFunctionOfTheModule_andItsRoleMayInvokeExactlyThose(String inputs) throws Exception {
        TerraformModule m = module(inputs);
        Set<String> functions = new TreeSet<>();
        m.instances("aws_lambda_function").forEach(f -> functions.add(f.key()));
        Set<String> named = new TreeSet<>();
        for (JsonNode t : tasks(definition(m))) {
            assertEquals("arn:aws:states:::lambda:invoke", t.path("Resource").asText());
            Matcher a = ALIAS.matcher(t.path("Parameters").path("FunctionName").asText());
            assertTrue(a.find(), "a function's live alias (SnapStart): " + t.path("Parameters"));
            named.add(a.group(1));
        }
        assertEquals(Set.of("backfill", "backfill-summary"), named);
        assertTrue(functions.containsAll(named), named + " not in " + functions);

        Set<String> invokable = new TreeSet<>();
        for (Policies.Statement s : Policies.statements(m)) {
            if ("backfill_state_machine".equals(s.owner().name()) && s.list("Action").contains("lambda:InvokeFunction")) {
                for (String r : s.list("Resource")) {
                    Matcher a = ALIAS.matcher(r);
                    assertTrue(a.find(), r);
                    invokable.add(a.group(1));
                }
            }
        }
        assertEquals(named, invokable);
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "minimal"})
    void executionDataAndResultsAreEncryptedWithTheStatetrailKey(String inputs) {
        TerraformModule m = module(inputs);
        TerraformModule.Instance sm = m.instance("aws_sfn_state_machine", "backfill");
        assertEquals("CUSTOMER_MANAGED_KMS_KEY", sm.text("encryption_configuration.type"));
        assertTrue(sm.text("encryption_configuration.kms_key_id").contains("aws_kms_key.this.arn"));
        assertTrue(EncryptionAtRestTest.bucketHasDefaultEncryption(m, m.instance("aws_s3_bucket", "backfill")));
        Map<String, Object> expiry = TerraformModule.asMap(m.instance("aws_s3_bucket_lifecycle_configuration", "backfill").get("rule.expiration"));
        assertFalse(expiry.isEmpty(), "results expire");
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Every Task state, inside the map's processor too; fails on a Next that leads nowhere. */
    private static List<JsonNode> tasks(JsonNode machine) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode states = machine.path("States");
        assertTrue(states.has(machine.path("StartAt").asText()), "StartAt names no state");
        states.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (s.has("Next")) {
                assertTrue(states.has(s.path("Next").asText()), e.getKey() + " leads to no state");
            } else {
                assertTrue(s.path("End").asBoolean(), e.getKey() + " neither ends nor leads anywhere");
            }
            if ("Task".equals(s.path("Type").asText())) {
                out.add(s);
            }
            if (s.has("ItemProcessor")) {
                out.addAll(tasks(s.path("ItemProcessor")));
            }
        });
        return out;
    }
}
