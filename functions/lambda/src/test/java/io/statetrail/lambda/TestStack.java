package io.statetrail.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB Local with a fresh audit table per test, and a Micronaut context configured like a deployed function. */
final class TestStack {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();
    static final String LOCK_TABLE = "acme-tf-locks";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalDynamo dynamo;
    private static DynamoDbClient client;

    private TestStack() {
    }

    static synchronized LocalDynamo dynamo() {
        if (dynamo == null) {
            dynamo = LocalDynamo.inMemory();
            DynamoDbClient c = client();
            c.createTable(b -> b.tableName(LOCK_TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("LockID").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("LockID").keyType(KeyType.HASH).build()));
        }
        return dynamo;
    }

    /**
     * A client as the functions see DynamoDB Local: region eu-west-1, key "local". DynamoDB Local without -sharedDb
     * keeps one database per region and access key, so tables must be created with the same ones.
     */
    static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(dynamo().endpoint()).region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(UrlConnectionHttpClient.create()).build();
        }
        return client;
    }

    /** A new, empty audit table. */
    static String table() {
        String name = "statetrail-" + TABLES.incrementAndGet();
        AuditTable.create(client(), name);
        return name;
    }

    static ApplicationContext context(String table, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("statetrail.table", table);
        props.put("statetrail.policy", EVENTS.resolve("policy.yaml").toString());
        props.put("statetrail.dynamodb-endpoint", dynamo().endpoint().toString());
        props.put("statetrail.account", "111111111111");
        props.put("statetrail.dashboard-url", "https://statetrail.example/dashboard");
        props.put("aws.region", "eu-west-1");
        props.putAll(extra);
        return ApplicationContext.builder().properties(props).environments("test").deduceEnvironment(false).banner(false).start();
    }

    static String read(String relative) {
        try {
            return Files.readString(EVENTS.resolve(relative));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Lambda SQS event as AWS delivers it: one record per (messageId, body). */
    /** A sample scenario's EventBridge events, one SQS message each ({@code m0}, {@code m1}, ...). */
    static List<String[]> scenarioMessages(String scenario) {
        List<String[]> messages = new ArrayList<>();
        for (String line : read("scenarios/" + scenario + "/eventbridge.jsonl").split("\n")) {
            if (!line.isBlank()) {
                messages.add(new String[] {"m" + messages.size(), line});
            }
        }
        return messages;
    }

    static String sqsEvent(List<String[]> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (String[] m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m[0]);
            r.put("receiptHandle", "AQEB" + m[0]);
            r.put("body", m[1]);
            ObjectNode attrs = r.putObject("attributes");
            attrs.put("ApproximateReceiveCount", "1");
            attrs.put("SentTimestamp", "1763200000000");
            attrs.put("SenderId", "AIDAEXAMPLE");
            attrs.put("ApproximateFirstReceiveTimestamp", "1763200000001");
            r.putObject("messageAttributes");
            r.put("md5OfBody", "");
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:eu-west-1:111111111111:statetrail-events");
            r.put("awsRegion", "eu-west-1");
        }
        return event.toString();
    }
}
