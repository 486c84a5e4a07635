package io.statetrail.cli;

import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The audit table in DynamoDB Local, persisted in a data folder shared by ingest, query and serve. */
final class LocalTrail implements OpenTable {

    /** Where {@code --data-dir} points when not given, for every command, the demo included. */
    static final String DEFAULT_DATA_DIR = ".statetrail/data";

    /** The file DynamoDB Local keeps its tables in ({@code -sharedDb}); a folder without it holds no audit table. */
    static final String TABLE_FILE = "shared-local-instance.db";

    /** A command that reads the audit table was pointed at a folder that holds none. */
    static final class Missing extends RuntimeException {
        Missing(Path dataDir) {
            super("no audit table in " + dataDir + " (./statetrail ingest or ./statetrail demo makes one; --data-dir names another folder)");
        }
    }

    private final LocalDynamo dynamo;
    private final DynamoAuditStore store;
    private final Path dataDir;

    private LocalTrail(LocalDynamo dynamo, DynamoAuditStore store, Path dataDir) {
        this.dynamo = dynamo;
        this.store = store;
        this.dataDir = dataDir;
    }

    /** The audit table in {@code dataDir}, which must exist: a mistyped folder fails instead of reading as empty. */
    static LocalTrail openExisting(Path dataDir) {
        if (!Files.isRegularFile(dataDir.resolve(TABLE_FILE))) {
            throw new Missing(dataDir);
        }
        return open(dataDir);
    }

    /** The audit table in {@code dataDir}, made (folder and table) when missing. */
    static LocalTrail open(Path dataDir) {
        // DynamoDB Local prints a 9-line banner (its port, version, folder) on stdout, which carries query results
        // (JSON Lines, CSV), at every start: drop it. A failure to start is still told, by the exception.
        PrintStream stdout = System.out;
        LocalDynamo dynamo;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            dynamo = LocalDynamo.persistent(dataDir);
        } finally {
            System.setOut(stdout);
        }
        try {
            DynamoDbClient client = dynamo.client();
            AuditTable.create(client, DynamoAuditStore.DEFAULT_TABLE);
            return new LocalTrail(dynamo, new DynamoAuditStore(client, DynamoAuditStore.DEFAULT_TABLE), dataDir);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    @Override
    public DynamoAuditStore store() {
        return store;
    }

    @Override
    public String where() {
        return "data in " + dataDir;
    }

    /** Where DynamoDB Local listens (loopback), for clients built elsewhere such as the local Lambda function. */
    java.net.URI endpoint() {
        return dynamo.endpoint();
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
