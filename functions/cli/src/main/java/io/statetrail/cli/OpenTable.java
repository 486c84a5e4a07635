package io.statetrail.cli;

import io.statetrail.store.dynamodb.DynamoAuditStore;

/** An audit table a reading command has open: the local one in {@code --data-dir}, or a deployed one with {@code --aws}. */
interface OpenTable extends AutoCloseable {

    DynamoAuditStore store();

    /** Where the table is, for messages ("data in .statetrail/data", "table statetrail-audit in eu-west-1"). */
    String where();

    @Override
    void close();
}
