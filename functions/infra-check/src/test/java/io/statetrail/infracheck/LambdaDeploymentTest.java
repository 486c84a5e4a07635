package io.statetrail.infracheck;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The functions run as agreed: java21 on arm64, SnapStart behind an alias, and the triggers the contract names. */
class LambdaDeploymentTest {
    final TerraformModule m = TestInputs.module("statetrail", "full");

    static final Set<String> ENVIRONMENT = Set.of("STATETRAIL_TABLE", "STATETRAIL_TOPIC_ARN", "STATETRAIL_SLACK_SECRET_ARN", "STATETRAIL_EVENT_BUS",
            "STATETRAIL_POLICY", "STATETRAIL_DASHBOARD_URL", "STATETRAIL_RETENTION_DAYS", "STATETRAIL_LOCK_READER_ROLE",
            "STATETRAIL_ALERT_WINDOW", "STATETRAIL_SETTLE_WINDOW", "STATETRAIL_INGEST_CONCURRENCY", "JAVA_TOOL_OPTIONS");

    /**
     * The jar (its local) each function deploys: the query API's HTTP stack only in the query function's, so that the
     * other three start without it.
     */
    static final Map<String, String> JARS = Map.of("ingest", "lambda_jar_path", "lock-stream", "lambda_jar_path",
            "sweeper", "lambda_jar_path", "query", "query_jar_path", "backfill", "lambda_jar_path", "backfill-summary", "lambda_jar_path");
    static final Map<String, String> JAR_FILES = Map.of("lambda_jar_path", "statetrail-lambda.jar",
            "query_jar_path", "statetrail-lambda-query.jar");

    @Test
    void functionsRunJava21OnArm64WithSnapStartOnPublishedVersions() {
        List<TerraformModule.Instance> functions = m.instances("aws_lambda_function");
        assertEquals(Set.of("ingest", "lock-stream", "sweeper", "query", "backfill", "backfill-summary"),
                Set.copyOf(functions.stream().map(TerraformModule.Instance::key).toList()));
        for (TerraformModule.Instance f : functions) {
            assertEquals("java21", f.text("runtime"), f.address());
            assertEquals(List.of("arm64"), f.get("architectures"), f.address());
            assertEquals("PublishedVersions", f.text("snap_start.apply_on"), f.address());
            assertEquals(Boolean.TRUE, f.get("publish"), f.address());
            String jar = JARS.get(f.key());
            assertTrue(f.text("filename").contains("local." + jar) || f.text("filename").endsWith("/" + JAR_FILES.get(jar)),
                    f.address() + " deploys " + f.text("filename"));
        }
        assertEquals(6, m.instances("aws_lambda_alias").size());
    }

    @Test
    void jarPathsDefaultToTheShadedJarsOfFunctionsLambda() {
        for (Map.Entry<String, String> jar : JAR_FILES.entrySet()) {
            String local = String.valueOf(m.locals.get(jar.getKey()));
            assertTrue(local.endsWith("/../../../functions/lambda/target/" + jar.getValue()), jar.getKey() + " = " + local);
        }
    }

    /**
     * Without a release bucket (the test inputs set none) the code is the local jar and nothing is read from S3; the
     * other way round is planned by {@code terraform test} (run "release_jars_from_s3", in TerraformCliTest).
     */
    @Test
    void withoutAReleaseBucketTheCodeIsTheLocalJar() {
        assertEquals(Boolean.FALSE, m.locals.get("code_in_s3"));
        for (TerraformModule.Instance f : m.instances("aws_lambda_function")) {
            assertTrue(f.get("s3_bucket") == null && f.get("s3_key") == null && f.get("s3_object_version") == null, f.address());
            assertTrue(f.text("filename").endsWith(".jar"), f.address() + ": " + f.text("filename"));
        }
    }

    @Test
    void functionsGetTheContractedEnvironment() {
        for (TerraformModule.Instance f : m.instances("aws_lambda_function")) {
            Map<String, Object> env = TerraformModule.asMap(f.get("environment.variables"));
            assertTrue(env.keySet().containsAll(ENVIRONMENT), f.address() + " lacks " + ENVIRONMENT + ": " + env.keySet());
            assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", env.get("JAVA_TOOL_OPTIONS"));
            assertEquals("400", HclFunctions.text(m.variables.get("retention_days")));
            assertEquals("PT15M", env.get("STATETRAIL_ALERT_WINDOW"));
            assertEquals("PT15M", env.get("STATETRAIL_SETTLE_WINDOW"));
            assertEquals("8", HclFunctions.text(m.variables.get("ingest_concurrency")));
            assertEquals("statetrail-lock-reader", env.get("STATETRAIL_LOCK_READER_ROLE"));
            assertEquals("ssm:/statetrail/policy", env.get("STATETRAIL_POLICY"));
        }
    }

    @Test
    void ingestConsumesTheQueueWithPartialBatchFailuresThroughTheAlias() {
        TerraformModule.Instance esm = m.instance("aws_lambda_event_source_mapping", "ingest");
        assertEquals(List.of("ReportBatchItemFailures"), esm.get("function_response_types"));
        assertTrue(esm.text("event_source_arn").contains("aws_sqs_queue.events"), esm.text("event_source_arn"));
        assertTrue(esm.text("function_name").contains("aws_lambda_alias.live"), "SnapStart needs the alias: " + esm.text("function_name"));
        TerraformModule.Instance queue = m.instance("aws_sqs_queue", "events");
        assertTrue(String.valueOf(queue.get("redrive_policy")).contains("aws_sqs_queue.dlq"), "events queue needs the dead-letter queue");
    }

    @Test
    void lockStreamsAreReadPerLockTableWithAStream() {
        List<TerraformModule.Instance> streams = m.instances("aws_lambda_event_source_mapping").stream()
                .filter(i -> i.name().equals("lock_stream")).toList();
        assertEquals(1, streams.size(), "one lock table of the test inputs has a stream");
        assertTrue(streams.get(0).text("function_name").contains("aws_lambda_alias.live"));
    }

    @Test
    void sweeperRunsEveryFiveMinutesThroughTheAlias() {
        TerraformModule.Instance schedule = m.instance("aws_scheduler_schedule", "sweeper");
        assertEquals("rate(5 minutes)", schedule.text("schedule_expression"));
        assertTrue(schedule.text("target.arn").contains("aws_lambda_alias.live"), schedule.text("target.arn"));
    }

    @Test
    void queryFunctionUrlUsesIamAuthAndNoWildcardCors() {
        TerraformModule.Instance url = m.instance("aws_lambda_function_url", "query");
        assertEquals("AWS_IAM", url.text("authorization_type"));
        assertTrue(url.text("qualifier").contains("aws_lambda_alias.live"));
        Object origins = url.get("dynamic.cors.content.allow_origins");
        assertFalse(String.valueOf(origins).contains("*"), "CORS origins " + origins);
        for (TerraformModule.Instance p : m.instances("aws_lambda_permission")) {
            assertEquals("AWS_IAM", p.text("function_url_auth_type"), p.address());
            assertFalse("*".equals(p.text("principal")), p.address() + " lets anyone invoke the URL");
        }
    }

    @Test
    void eventTargetsDeliverToTheQueueWithADeadLetterQueue() {
        List<TerraformModule.Instance> targets = m.instances("aws_cloudwatch_event_target");
        assertEquals(m.instances("aws_cloudwatch_event_rule").size(), targets.size(), "one target per rule");
        for (TerraformModule.Instance t : targets) {
            assertTrue(t.text("arn").contains("aws_sqs_queue.events"), t.address());
            assertTrue(t.text("dead_letter_config.arn").contains("aws_sqs_queue.dlq"), t.address());
        }
    }

    @Test
    void alarmsCoverDeadLettersErrorsThrottlesAndAlertDelivery() {
        Set<String> metrics = new java.util.TreeSet<>();
        for (TerraformModule.Instance a : m.instances("aws_cloudwatch_metric_alarm")) {
            metrics.add(a.text("namespace") + "/" + a.text("metric_name"));
            assertFalse(String.valueOf(a.get("alarm_actions")).isBlank(), a.address() + " notifies nobody");
        }
        assertTrue(metrics.containsAll(Set.of("AWS/SQS/ApproximateNumberOfMessagesVisible", "AWS/Lambda/Errors", "AWS/Lambda/Throttles",
                "statetrail/AlertFailures", "AWS/SNS/NumberOfNotificationsFailed")), metrics.toString());
        assertEquals(6, m.instances("aws_cloudwatch_metric_alarm").stream().filter(a -> a.name().equals("function_errors")).count());
        String dashboard = String.valueOf(m.instance("aws_cloudwatch_dashboard", "this").get("dashboard_body"));
        for (String metric : List.of("EventsIn", "Findings", "Duplicates", "Malformed", "AlertFailures")) {
            assertTrue(dashboard.contains(metric), "dashboard lacks " + metric);
        }
    }
}
