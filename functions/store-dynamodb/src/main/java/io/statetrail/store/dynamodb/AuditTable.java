package io.statetrail.store.dynamodb;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The table contract shared with the Terraform in {@code infra/}: hash {@code pk} (S), range {@code sk} (S); GSIs
 * {@code gsi1}, {@code gsi2}, {@code gsi3} on ({@code gsiNpk}, {@code gsiNsk}), projection ALL; {@code gsi4} on
 * {@code gsi4pk} alone, keys only (a call by eventID: one key, then a read of the item); TTL on {@code expiresAt}
 * (epoch seconds). In AWS the table comes from Terraform; {@link #create} is for DynamoDB Local.
 */
public final class AuditTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final List<String> INDEXES = List.of("gsi1", "gsi2", "gsi3");
    /** The keys-only index from a call's eventID to its item. */
    public static final String EVENT_INDEX = "gsi4";
    public static final String TTL_ATTRIBUTE = "expiresAt";

    private AuditTable() {
    }

    /** Creates the table (on-demand) with its indexes and TTL, unless it exists. */
    public static void create(DynamoDbClient client, String tableName) {
        try {
            client.describeTable(b -> b.tableName(tableName));
            return;
        } catch (ResourceNotFoundException absent) {
            // create it below
        }
        CreateTableRequest.Builder req = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE));
        List<AttributeDefinition> attributes = new java.util.ArrayList<>(List.of(string(PK), string(SK)));
        List<GlobalSecondaryIndex> gsis = new java.util.ArrayList<>();
        for (String index : INDEXES) {
            attributes.add(string(index + "pk"));
            attributes.add(string(index + "sk"));
            gsis.add(GlobalSecondaryIndex.builder()
                    .indexName(index)
                    .keySchema(key(index + "pk", KeyType.HASH), key(index + "sk", KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        attributes.add(string(EVENT_INDEX + "pk"));
        gsis.add(GlobalSecondaryIndex.builder()
                .indexName(EVENT_INDEX)
                .keySchema(key(EVENT_INDEX + "pk", KeyType.HASH))
                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                .build());
        try {
            client.createTable(req.attributeDefinitions(attributes).globalSecondaryIndexes(gsis).build());
        } catch (ResourceInUseException raced) {
            return;
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        // A new table has no summaries yet, so its subject catalogue is complete from the start.
        client.putItem(b -> b.tableName(tableName).item(SubjectCatalogue.key(SubjectCatalogue.COMPLETE_SK)));
        client.updateTimeToLive(UpdateTimeToLiveRequest.builder()
                .tableName(tableName)
                .timeToLiveSpecification(TimeToLiveSpecification.builder().enabled(true).attributeName(TTL_ATTRIBUTE).build())
                .build());
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
