package io.statetrail.infracheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Least privilege: no wildcard actions, "*" resources only where AWS offers nothing narrower, one role per function. */
class IamLeastPrivilegeTest {

    /** Actions allowed on Resource "*", with the reason. Anything else on "*" fails. */
    static final Map<String, String> STAR_RESOURCE_ALLOW_LIST = Map.of(
            "cloudtrail:LookupEvents", "no resource-level permissions (sweeper back-fills STS events from LookupEvents)",
            "dynamodb:ListStreams", "no resource-level permissions (Lambda's stream poller lists the lock tables' streams)",
            "iam:ListRoles", "no resource-level permissions (posture lists the roles whose trust it judges)",
            "iam:ListOpenIDConnectProviders", "no resource-level permissions (posture names the providers the roles trust)");

    /** Resource policies where "*" means "the resource this policy is attached to". */
    static final Map<String, String> STAR_RESOURCE_POLICY_TYPES = Map.of(
            "aws_kms_key", "a key policy's Resource must be \"*\": it always means this key");

    static Stream<Arguments> modules() {
        return Stream.of(
                Arguments.of("statetrail", "full"),
                Arguments.of("statetrail", "minimal"),
                Arguments.of("statetrail-member", "full"));
    }

    static TerraformModule full() {
        return TestInputs.module("statetrail", "full");
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("modules")
    void noAllowStatementGrantsWildcardActions(String module, String inputs) {
        List<Policies.Statement> statements = Policies.statements(TestInputs.module(module, inputs));
        assertFalse(statements.isEmpty());
        for (Policies.Statement s : statements) {
            if (!s.allows()) {
                continue; // Deny statements (e.g. "s3:*" without TLS) may and should be broad.
            }
            assertFalse(s.json().has("NotAction"), s.where() + " uses NotAction");
            assertFalse(s.json().has("NotResource"), s.where() + " uses NotResource");
            for (String action : s.list("Action")) {
                assertFalse(action.contains("*"), s.where() + " grants wildcard action " + action);
                assertTrue(action.matches("[a-z0-9-]+:[A-Za-z0-9]+"), s.where() + " has an odd action " + action);
            }
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("modules")
    void starResourcesOnlyForApisWithoutResourceLevelPermissions(String module, String inputs) {
        for (Policies.Statement s : Policies.statements(TestInputs.module(module, inputs))) {
            if (!s.allows() || "assume_role_policy".equals(s.attribute())) {
                continue;
            }
            List<String> resources = s.list("Resource");
            assertFalse(resources.isEmpty(), s.where() + " has no Resource");
            for (String r : resources) {
                assertFalse(r.isBlank() || r.contains("${unevaluated") || r.equals("null"), s.where() + " has an unrendered resource: " + r);
            }
            if (!resources.contains("*")) {
                continue;
            }
            if (STAR_RESOURCE_POLICY_TYPES.containsKey(s.owner().type())) {
                continue;
            }
            for (String action : s.list("Action")) {
                assertTrue(STAR_RESOURCE_ALLOW_LIST.containsKey(action),
                        s.where() + " grants " + action + " on \"*\"; allowed only for " + STAR_RESOURCE_ALLOW_LIST.keySet());
            }
        }
    }

    @Test
    void everyStarResourceAllowListEntryIsStillNeeded() {
        Set<String> used = new TreeSet<>();
        for (Policies.Statement s : Policies.statements(full())) {
            if (s.allows() && s.list("Resource").contains("*") && !STAR_RESOURCE_POLICY_TYPES.containsKey(s.owner().type())) {
                used.addAll(s.list("Action"));
            }
        }
        assertEquals(STAR_RESOURCE_ALLOW_LIST.keySet(), used);
    }

    @Test
    void eachFunctionHasItsOwnRoleTrustedOnlyByLambda() {
        TerraformModule m = full();
        List<TerraformModule.Instance> lambdas = m.instances("aws_lambda_function");
        assertEquals(6, lambdas.size());
        Set<String> roles = new TreeSet<>();
        for (TerraformModule.Instance f : lambdas) {
            roles.add(f.text("role"));
        }
        assertEquals(6, m.instances("aws_iam_role").stream().filter(r -> "function".equals(r.name())).count());
        for (Policies.Statement s : Policies.statements(m)) {
            if ("assume_role_policy".equals(s.attribute()) && "function".equals(s.owner().name())) {
                assertEquals("{\"Service\":\"lambda.amazonaws.com\"}", s.json().path("Principal").toString(), s.where());
                assertEquals(List.of("sts:AssumeRole"), s.list("Action"), s.where());
            }
        }
        assertEquals(1, roles.size(), "all functions use aws_iam_role.function[each.key]: " + roles);
        assertTrue(roles.iterator().next().contains("aws_iam_role.function"), String.valueOf(roles));
    }

    /** Actions each function's policy grants, by role policy resource name. */
    static Map<String, Set<String>> actionsByFunction(TerraformModule m) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Policies.Statement s : Policies.statements(m)) {
            if ("aws_iam_role_policy".equals(s.owner().type()) && s.allows()) {
                out.computeIfAbsent(s.owner().name(), k -> new TreeSet<>()).addAll(s.list("Action"));
            }
        }
        return out;
    }

    @Test
    void queryFunctionOnlyReadsTheAuditTableAndWritesFindingStatuses() {
        assertEquals(Set.of("logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query",
                "dynamodb:PutItem", "kms:Decrypt"), actionsByFunction(full()).get("query"));
        for (Policies.Statement s : Policies.statements(full())) {
            boolean queryOrAnalyst = ("aws_iam_role_policy".equals(s.owner().type()) && "query".equals(s.owner().name()))
                    || ("aws_iam_policy".equals(s.owner().type()) && "analyst".equals(s.owner().name()));
            if (queryOrAnalyst && s.list("Action").contains("dynamodb:PutItem")) {
                assertEquals(List.of("dynamodb:PutItem"), s.list("Action"), s.where());
                assertEquals(1, s.list("Resource").size(), s.where() + ": the table, no index");
                assertEquals("STATUS#*", s.json().path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys").path(0).asText(),
                        s.where() + ": status items only");
                assertEquals(1, s.json().path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys").size(), s.where());
            }
        }
    }

    /**
     * Every DynamoDB request each function's handler made in functions/lambda's tests (recorded there by
     * {@code DynamoDbOperations} into {@code target/iam/}) is allowed to that function's role. A request the code makes
     * and the role does not allow would otherwise first fail in a deployment, as the query function's
     * {@code BatchGetItem} did.
     */
    @Test
    void everyDynamoDbRequestAFunctionMakesInItsTestsIsAllowedToItsRole() throws IOException {
        Path dir = Repo.root().resolve("functions/lambda/target/iam");
        Map<String, Set<String>> granted = actionsByFunction(full());
        for (String fn : List.of("ingest", "lock_stream", "sweeper", "query")) {
            Path recorded = dir.resolve(fn + ".dynamodb-actions");
            assertTrue(Files.exists(recorded), "run functions/lambda's tests first (mvn verify does): no " + recorded);
            Set<String> used = new TreeSet<>(Files.readAllLines(recorded));
            used.removeIf(String::isBlank);
            assertFalse(used.isEmpty(), "no DynamoDB request recorded for " + fn);
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(granted.get(fn));
            assertEquals(Set.of(), missing, fn + " makes these DynamoDB requests in its tests, and its role does not allow them");
        }
    }

    /**
     * Likewise for EventBridge: the findings a function publishes in functions/lambda's tests (recorded into
     * {@code <function>.events-actions}) are allowed to its role, on the configured bus only; a function that
     * publishes nothing is granted nothing there.
     */
    @Test
    void everyEventBridgeRequestAFunctionMakesInItsTestsIsAllowedToItsRoleOnTheBus() throws IOException {
        Path dir = Repo.root().resolve("functions/lambda/target/iam");
        Map<String, Set<String>> granted = actionsByFunction(full());
        Path ingest = dir.resolve("ingest.events-actions");
        assertTrue(Files.exists(ingest), "run functions/lambda's tests first (mvn verify does): no " + ingest);
        for (String fn : List.of("ingest", "lock_stream", "sweeper", "query")) {
            Path recorded = dir.resolve(fn + ".events-actions");
            Set<String> used = Files.exists(recorded) ? new TreeSet<>(Files.readAllLines(recorded)) : Set.of();
            Set<String> missing = new TreeSet<>(used);
            missing.removeIf(String::isBlank);
            missing.removeAll(granted.get(fn));
            assertEquals(Set.of(), missing, fn + " makes these EventBridge requests in its tests, and its role does not allow them");
        }
        assertTrue(granted.get("sweeper").contains("events:PutEvents"), "the sweeper's reminders and findings go out too");
        assertFalse(granted.get("query").contains("events:PutEvents"));
        assertFalse(granted.get("lock_stream").contains("events:PutEvents"));
        for (Policies.Statement s : Policies.statements(full())) {
            if (s.allows() && s.list("Action").contains("events:PutEvents")) {
                assertEquals(List.of("events:PutEvents"), s.list("Action"), s.where());
                assertEquals(1, s.list("Resource").size(), s.where());
                assertTrue(s.list("Resource").get(0).matches("arn:.*:events:.*:event-bus/[A-Za-z0-9._/-]+"), s.where() + " " + s.list("Resource"));
            }
        }
    }

    /**
     * The analyst policy (output analyst_policy_arn) grants the reads {@code ./statetrail serve|query|findings --aws}
     * made in functions/cli's tests (recorded there by {@code AnalystOperations}), the query function's reads and
     * nothing more; the key only through DynamoDB.
     */
    @Test
    void analystPolicyGrantsTheReadsTheCliMakesWithAwsAndNothingMore() throws IOException {
        List<Policies.Statement> analyst = Policies.statements(full()).stream()
                .filter(s -> "aws_iam_policy".equals(s.owner().type()) && "analyst".equals(s.owner().name())).toList();
        Set<String> granted = new TreeSet<>();
        analyst.forEach(s -> granted.addAll(s.list("Action")));
        assertEquals(Set.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "kms:Decrypt"), granted);
        Set<String> queryReads = new TreeSet<>(actionsByFunction(full()).get("query"));
        queryReads.removeIf(a -> a.startsWith("logs:"));
        assertEquals(queryReads, granted, "the same reads (and status writes) as the query function");
        for (Policies.Statement s : analyst) {
            assertTrue(s.allows(), s.where());
            if (s.list("Action").contains("kms:Decrypt")) {
                assertTrue(s.json().path("Condition").path("StringEquals").path("kms:ViaService").asText().startsWith("dynamodb."), s.where());
            } else if (s.list("Action").contains("dynamodb:PutItem")) {
                assertEquals(1, s.list("Resource").size(), s.where() + ": status items of the table (checked above)");
            } else {
                assertEquals(2, s.list("Resource").size(), s.where() + ": the audit table and its indexes");
            }
        }
        Path recorded = Repo.root().resolve("functions/cli/target/iam/analyst.dynamodb-actions");
        assertTrue(Files.exists(recorded), "run functions/cli's tests first (mvn verify does): no " + recorded);
        Set<String> used = new TreeSet<>(Files.readAllLines(recorded));
        used.removeIf(String::isBlank);
        assertFalse(used.isEmpty(), "no DynamoDB request recorded for --aws");
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(granted);
        assertEquals(Set.of(), missing, "./statetrail --aws makes these DynamoDB requests in its tests, and the analyst policy does not allow them");
    }

    @Test
    void functionsGetTheActionsTheirContractNames() {
        Map<String, Set<String>> actions = actionsByFunction(full());
        Set<String> common = Set.of("logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt", "kms:GenerateDataKey");
        assertTrue(actions.get("ingest").containsAll(common));
        assertTrue(actions.get("ingest").containsAll(Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes", "sns:Publish", "secretsmanager:GetSecretValue", "ssm:GetParameter", "dynamodb:GetItem",
                "dynamodb:PutItem", "dynamodb:Query", "s3:GetObject", "sts:AssumeRole")));
        assertTrue(actions.get("sweeper").containsAll(common));
        assertTrue(actions.get("sweeper").containsAll(Set.of("cloudtrail:LookupEvents", "dynamodb:GetItem", "dynamodb:Scan", "s3:GetObject",
                "sns:Publish", "secretsmanager:GetSecretValue", "sts:AssumeRole", "ssm:GetParameter")));
        assertTrue(actions.get("lock_stream").containsAll(Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                "dynamodb:GetShardIterator", "dynamodb:ListStreams", "dynamodb:PutItem")));
        // Nobody but the sweeper looks up CloudTrail; nobody but ingest consumes the queue.
        actions.forEach((fn, a) -> {
            if (!fn.equals("sweeper")) {
                assertFalse(a.contains("cloudtrail:LookupEvents"), fn);
            }
            if (!fn.equals("ingest")) {
                assertFalse(a.contains("sqs:ReceiveMessage"), fn);
            }
            if (fn.equals("query") || fn.equals("lock_stream")) {
                assertFalse(a.contains("sns:Publish"), fn);
                assertFalse(a.contains("secretsmanager:GetSecretValue"), fn);
            }
        });
    }

    @Test
    void functionsWriteLogsOnlyToTheirOwnLogGroup() {
        Map<String, String> logGroupOf = Map.of("ingest", "-ingest:*", "sweeper", "-sweeper:*", "lock_stream", "-lock-stream:*", "query", "-query:*",
                "backfill", "-backfill:*", "backfill_summary", "-backfill-summary:*");
        int checked = 0;
        for (Policies.Statement s : Policies.statements(full())) {
            if ("aws_iam_role_policy".equals(s.owner().type()) && s.list("Action").contains("logs:PutLogEvents")) {
                String suffix = logGroupOf.get(s.owner().name());
                if (suffix == null) {
                    fail("unexpected role policy writing logs: " + s.where());
                }
                assertEquals(1, s.list("Resource").size(), s.where());
                String r = s.list("Resource").get(0);
                assertTrue(r.contains(":log-group:/aws/lambda/") && r.endsWith(suffix), s.where() + " -> " + r);
                assertFalse(s.list("Action").contains("logs:CreateLogGroup"), s.where());
                checked++;
            }
        }
        assertEquals(6, checked);
    }

    /** Object reads that are no lock reads: the policy, the backfill's log files and results (checked below). */
    static final Set<String> OTHER_OBJECT_READS = Set.of("ReadPolicy", "ReadTrailLogFiles", "ReadBackfillResults", "WriteBackfillResults");

    @Test
    void postureOnlyReadsIamAndOnlyInTheSweeper() {
        Set<String> posture = Set.of("iam:ListRoles", "iam:GetRole", "iam:ListOpenIDConnectProviders");
        Map<String, Set<String>> actions = actionsByFunction(full());
        assertTrue(actions.get("sweeper").containsAll(posture), String.valueOf(actions.get("sweeper")));
        for (Map.Entry<String, Set<String>> fn : actions.entrySet()) {
            for (String a : fn.getValue()) {
                assertTrue(!a.startsWith("iam:") || (fn.getKey().equals("sweeper") && posture.contains(a)), fn.getKey() + " may " + a);
            }
        }
        TerraformModule member = TestInputs.module("statetrail-member", "full");
        Set<String> memberIam = new TreeSet<>();
        for (Policies.Statement s : Policies.statements(member)) {
            if (s.allows() && !"assume_role_policy".equals(s.attribute())) {
                s.list("Action").stream().filter(a -> a.startsWith("iam:")).forEach(memberIam::add);
                if (s.list("Action").contains("iam:GetRole")) {
                    assertTrue(s.list("Resource").stream().allMatch(r -> r.matches("arn:[^:]+:iam::[^:]+:role/\\*")), s.where() + " " + s.list("Resource"));
                }
            }
        }
        assertEquals(new TreeSet<>(posture), memberIam);
    }

    @Test
    void lockReadsAreLimitedToLockTablesAndTflockObjects() {
        for (Policies.Statement s : Policies.statements(full())) {
            if (!s.allows()) {
                continue;
            }
            if (s.list("Action").contains("s3:GetObject") && !OTHER_OBJECT_READS.contains(s.json().path("Sid").asText())) {
                for (String r : s.list("Resource")) {
                    assertTrue(r.endsWith("/*.tflock"), s.where() + " reads more than .tflock objects: " + r);
                }
            }
        }
        TerraformModule member = TestInputs.module("statetrail-member", "full");
        for (Policies.Statement s : Policies.statements(member)) {
            if (s.owner().type().equals("aws_iam_role_policy") && s.owner().name().equals("lock_reader")) {
                // Lock bodies, and the settings of weakened stores the sweeper looks at (issue 19): never data.
                assertTrue(Set.of("dynamodb:GetItem", "s3:GetObject", "kms:Decrypt", "s3:GetBucketVersioning", "dynamodb:DescribeTable",
                        "dynamodb:DescribeTimeToLive", "dynamodb:DescribeContinuousBackups", "kms:DescribeKey").containsAll(s.list("Action")), s.where());
            }
            if (s.owner().name().equals("lock_reader") && "assume_role_policy".equals(s.attribute()) && "LockReading".equals(s.json().path("Sid").asText())) {
                assertEquals(2, s.json().path("Principal").path("AWS").size(), "trusted roles: " + s.json());
            }
        }
    }

    /**
     * In a member account only the sweeper's posture may read IAM: the lock reader trusts the ingest and sweeper roles
     * under the lock-reading session name only, the posture roles alone under the posture session name, and only that
     * session may list and read roles. The names are those the functions assume the role with.
     */
    @Test
    void inAMemberAccountOnlyThePostureSessionOfTheSweeperReadsIam() {
        TerraformModule member = TestInputs.module("statetrail-member", "full");
        Map<String, String> sessionBySid = new TreeMap<>();
        Map<String, List<String>> principalsBySid = new TreeMap<>();
        for (Policies.Statement s : Policies.statements(member)) {
            if (!"lock_reader".equals(s.owner().name()) || !"assume_role_policy".equals(s.attribute())) {
                continue;
            }
            String sid = s.json().path("Sid").asText();
            sessionBySid.put(sid, s.json().path("Condition").path("StringEquals").path("sts:RoleSessionName").asText(null));
            List<String> principals = new java.util.ArrayList<>();
            s.json().path("Principal").path("AWS").forEach(p -> principals.add(p.asText()));
            principalsBySid.put(sid, principals);
        }
        assertEquals(Map.of("LockReading", io.statetrail.lambda.AwsClients.LOCK_READER_SESSION, "Posture", io.statetrail.lambda.AwsClients.POSTURE_SESSION),
                sessionBySid, "every trust names the session it allows");
        assertEquals(List.of("arn:aws:iam::444444444444:role/statetrail-ingest", "arn:aws:iam::444444444444:role/statetrail-sweeper"),
                principalsBySid.get("LockReading"));
        assertEquals(List.of("arn:aws:iam::444444444444:role/statetrail-sweeper"), principalsBySid.get("Posture"), "the sweeper only");
        int iamStatements = 0;
        for (Policies.Statement s : Policies.statements(member)) {
            if (s.allows() && s.list("Action").stream().anyMatch(a -> a.startsWith("iam:"))) {
                iamStatements++;
                assertEquals("*:" + io.statetrail.lambda.AwsClients.POSTURE_SESSION,
                        s.json().path("Condition").path("StringLike").path("aws:userid").asText(), s.where() + " is for the posture session only");
            }
        }
        assertEquals(2, iamStatements, "ListRoles and ListOpenIDConnectProviders, and GetRole");

        Map<String, Object> noPosture = new java.util.LinkedHashMap<>(TestInputs.get("statetrail-member", "full"));
        noPosture.put("enable_posture", false);
        for (Policies.Statement s : Policies.statements(TerraformModule.load(Repo.module("statetrail-member"), noPosture))) {
            assertFalse("Posture".equals(s.json().path("Sid").asText()), "without posture nobody takes its session: " + s.where());
            assertFalse(s.list("Action").stream().anyMatch(a -> a.startsWith("iam:")), s.where());
        }
    }

    /** The statements statetrail-store-access declares: lock reads and store checks. */
    static final List<String> STORE_ACCESS_SIDS = List.of("ReadLockItems", "ReadLockObjects", "HeadStateObjects", "DecryptLockObjects",
            "CheckStateBuckets", "CheckLockTables", "CheckStateKeys");

    /**
     * The central functions' roles and the member accounts' lock reader read the stores with the statements of one
     * module, statetrail-store-access: the same inputs give the same statements, and no other file declares them.
     */
    @Test
    void bothModulesTakeTheLockReadsAndStoreChecksFromStatetrailStoreAccess() throws IOException {
        TerraformModule member = TestInputs.module("statetrail-member", "full");
        for (TerraformModule m : List.of(full(), member)) {
            assertEquals(Repo.module("statetrail-store-access"), m.module("store_access").dir, m.dir + " calls statetrail-store-access");
        }
        Map<String, Object> reads = member.module("store_access").outputs();
        List<Object> expected = new java.util.ArrayList<>(TerraformModule.asList(reads.get("lock_read_statements")));
        expected.addAll(TerraformModule.asList(reads.get("store_check_statements")));
        List<com.fasterxml.jackson.databind.JsonNode> lockReader = Policies.statements(member).stream()
                .filter(s -> "lock_reader".equals(s.owner().name()) && "policy".equals(s.attribute())).map(Policies.Statement::json).toList();
        assertEquals(HclFunctions.JSON.valueToTree(expected), HclFunctions.JSON.valueToTree(lockReader));

        Map<String, Object> central = full().module("store_access").outputs();
        Set<String> sweeper = new TreeSet<>();
        Policies.statements(full()).stream().filter(s -> "sweeper".equals(s.owner().name())).forEach(s -> sweeper.add(s.json().toString()));
        for (String output : List.of("lock_read_statements", "store_check_statements")) {
            for (Object statement : TerraformModule.asList(central.get(output))) {
                assertTrue(sweeper.contains(HclFunctions.JSON.valueToTree(statement).toString()), "the sweeper's policy has " + statement);
            }
        }
        for (Path f : Repo.terraformFiles()) {
            if (f.startsWith(Repo.module("statetrail-store-access"))) {
                continue;
            }
            String text = Files.readString(f);
            for (String sid : STORE_ACCESS_SIDS) {
                assertFalse(text.matches("(?s).*Sid\\s*=\\s*\"" + sid + "\".*"), f + " declares " + sid + ", which statetrail-store-access declares");
            }
        }
    }

    /** What the member's lock reader may do, statement by statement, with every option on: reads of lock bodies and settings. */
    @Test
    void theLockReaderGrantsExactlyTheseStatements() {
        Map<String, Object> inputs = new java.util.LinkedHashMap<>(TestInputs.get("statetrail-member", "full"));
        inputs.put("verify_bulk_deletes", true);
        Map<String, List<String>> actions = new java.util.LinkedHashMap<>();
        for (Policies.Statement s : Policies.statements(TerraformModule.load(Repo.module("statetrail-member"), inputs))) {
            if ("lock_reader".equals(s.owner().name()) && "policy".equals(s.attribute())) {
                assertTrue(s.allows(), s.where());
                actions.put(s.json().path("Sid").asText(), s.list("Action"));
            }
        }
        Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        expected.put("ReadLockItems", List.of("dynamodb:GetItem"));
        expected.put("ReadLockObjects", List.of("s3:GetObject"));
        expected.put("HeadStateObjects", List.of("s3:GetObject"));
        expected.put("DecryptLockObjects", List.of("kms:Decrypt"));
        expected.put("CheckStateBuckets", List.of("s3:GetBucketVersioning"));
        expected.put("CheckLockTables", List.of("dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:DescribeContinuousBackups"));
        expected.put("CheckStateKeys", List.of("kms:DescribeKey"));
        assertEquals(expected, actions);
    }

    @Test
    void theBackfillReadsOnlyLogFilesAndOnlySendsToTheIngestQueue() {
        int checked = 0;
        for (Policies.Statement s : Policies.statements(full())) {
            if (!"aws_iam_role_policy".equals(s.owner().type()) || !"backfill".equals(s.owner().name())) {
                continue;
            }
            checked++;
            String sid = s.json().path("Sid").asText();
            switch (sid) {
                case "ReadTrailLogFiles" -> {
                    assertEquals(List.of("s3:GetObject"), s.list("Action"));
                    s.list("Resource").forEach(r -> assertTrue(r.endsWith("/AWSLogs/*"), s.where() + " -> " + r));
                }
                case "SendToIngestQueue" -> {
                    assertEquals(List.of("sqs:SendMessage"), s.list("Action"));
                    assertEquals(1, s.list("Resource").size());
                    assertTrue(s.list("Resource").get(0).contains("aws_sqs_queue.events.arn"), s.where());
                }
                case "Logs", "StatetrailKey", "ReadPolicy", "DecryptPolicyAndSecret", "DecryptTrailLogFiles" -> {
                    for (String a : s.list("Action")) {
                        assertTrue(Set.of("logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt", "kms:GenerateDataKey", "ssm:GetParameter",
                                "s3:GetObject").contains(a), s.where() + " " + a);
                    }
                }
                default -> fail("unexpected statement in the backfill worker's policy: " + s.where());
            }
        }
        assertTrue(checked >= 4, "the backfill worker's policy was not found");
        for (Policies.Statement s : Policies.statements(full())) {
            if ("backfill_state_machine".equals(s.owner().name()) && "ListTrailBuckets".equals(s.json().path("Sid").asText())) {
                assertEquals(List.of("s3:ListBucket"), s.list("Action"), "the state machine only lists the trail buckets");
            }
        }
    }
}
