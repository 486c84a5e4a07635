package io.statetrail.store.dynamodb;

import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.AuditStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB adapters answer as the contract says, on DynamoDB Local (the in-memory store passes the same tests). */
class DynamoAuditStoreContractTest extends AuditStoreContract {

    static LocalDynamo local;
    static DynamoDbClient client;

    @BeforeAll
    static void start() {
        local = LocalDynamo.inMemory();
        client = local.client();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Override
    protected AuditStore newStore() {
        return Samples.store(client);
    }
}
