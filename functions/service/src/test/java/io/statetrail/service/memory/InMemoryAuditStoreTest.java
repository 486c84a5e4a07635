package io.statetrail.service.memory;

import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.AuditStoreContract;

/** The in-memory store answers as the contract says (and so as the DynamoDB store does). */
class InMemoryAuditStoreTest extends AuditStoreContract {

    @Override
    protected AuditStore newStore() {
        return new InMemoryAuditStore();
    }
}
