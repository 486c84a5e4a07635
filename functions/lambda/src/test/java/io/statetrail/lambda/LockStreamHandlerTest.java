package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.service.query.OpenLock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockStreamHandlerTest {

    private static final String STATE = "acme-tfstate-tooling/bootstrap/org/terraform.tfstate";

    /** A DynamoDB stream batch (NEW_AND_OLD_IMAGES) of the lock table: the lock, its digest item, the release. */
    static final String STREAM = """
            {"Records":[
             {"eventID":"c4ca4238a0b923820dcc509a6f75849b","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb",
              "awsRegion":"eu-west-1","dynamodb":{"ApproximateCreationDateTime":1793696417,
              "Keys":{"LockID":{"S":"%1$s"}},
              "NewImage":{"LockID":{"S":"%1$s"},"Info":{"S":"{\\"ID\\":\\"0d3f5a8e-7b1c-4e2d-9f6a-1b2c3d4e5f60\\",\\"Operation\\":\\"OperationTypeApply\\",\\"Info\\":\\"\\",\\"Who\\":\\"<!here> *runner*@fv-az99\\",\\"Version\\":\\"1.11.4\\",\\"Created\\":\\"2026-11-03T09:00:16.2Z\\",\\"Path\\":\\"%1$s\\"}"}},
              "SequenceNumber":"100000000000000000001","SizeBytes":312,"StreamViewType":"NEW_AND_OLD_IMAGES"},
              "eventSourceARN":"arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks/stream/2026-11-01T00:00:00.000"},
             {"eventID":"c81e728d9d4c2f636f067f89cc14862c","eventName":"MODIFY","eventVersion":"1.1","eventSource":"aws:dynamodb",
              "awsRegion":"eu-west-1","dynamodb":{"ApproximateCreationDateTime":1793696421,
              "Keys":{"LockID":{"S":"%1$s-md5"}},
              "NewImage":{"LockID":{"S":"%1$s-md5"},"Digest":{"S":"0123456789abcdef0123456789abcdef"}},
              "SequenceNumber":"100000000000000000002","SizeBytes":90,"StreamViewType":"NEW_AND_OLD_IMAGES"},
              "eventSourceARN":"arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks/stream/2026-11-01T00:00:00.000"}
            ]}""".formatted(STATE);

    @Test
    void anInsertedLock_storesItsHolder_andDigestItemsAreSkipped() throws Exception {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of())) {
            // The acquisition as CloudTrail saw it, so the lock is open (holder details join it).
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(List.<String[]>of(
                    new String[] {"login", TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json")},
                    new String[] {"lock", TestStack.read("scenarios/bootstrap-dynamodb-lock/02-dynamodb-putitem-lock.json")})));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var recording = DynamoDbOperations.as("lock_stream")) {
                new LockStreamHandler(context).handleRequest(new ByteArrayInputStream(STREAM.getBytes(StandardCharsets.UTF_8)), out, null);
            }

            assertEquals("{\"stored\":1}", out.toString(StandardCharsets.UTF_8));
            List<OpenLock> open = context.getBean(AuditQueries.class).openLocks();
            assertEquals(1, open.size(), open.toString());
            assertEquals("<!here> *runner*@fv-az99", open.get(0).details().who());
            assertEquals("0d3f5a8e-7b1c-4e2d-9f6a-1b2c3d4e5f60", open.get(0).details().id());
        }
    }

    @Test
    void theTableNameComesFromTheStreamArn() {
        assertEquals("acme-tf-locks", LockStreamHandler.table("arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks/stream/2026-11-01T00:00:00.000"));
    }
}
