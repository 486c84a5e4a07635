package io.statetrail.core.terraform;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.LOCK_TABLE;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.PRODUCTION;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Caller;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Locks changed through DynamoDB's other write calls (issue 13, point 6): a logged request that names a {@code LockID}
 * acquires or releases like PutItem/DeleteItem; one on a listed lock table that names none is an unexplained change.
 * Request shapes after the DynamoDB Developer Guide's CloudTrail examples (UpdateItem, TransactWriteItems,
 * ExecuteStatement with redacted values).
 */
class LockTableCallsTest {

    private static final Caller SESSION = Caller.session("ASIAW6NHX2PAD7N4MQ2K", "arn:aws:sts::222222222222:assumed-role/gha-prod-apply/GitHubActions",
            Rec.githubProvider("222222222222"), "2026-11-04T10:00:00Z");
    private static final String OTHER_STATE_KEY = BUCKET + "/infra/dns/terraform.tfstate";

    private static List<String> events(Rec r) {
        Scenario s = new Scenario();
        s.add(r);
        return s.replay(POLICY).trail().events().stream().map(LockTableCallsTest::describe).toList();
    }

    private static String describe(TrailEvent e) {
        StateAccess s = (StateAccess) e;
        return s.kind() + " " + s.stateKey() + " " + s.lockStore();
    }

    private static ObjectNode request() {
        return Json.object().put("tableName", LOCK_TABLE);
    }

    @Test
    void updateItemOfALockIdAcquiresIt() {
        ObjectNode req = request();
        req.putObject("key").put("LockID", STATE_KEY);
        req.put("updateExpression", "SET #I = :i").putObject("expressionAttributeNames").put("#I", "Info");

        assertEquals(List.of("lock " + STATE_KEY + " dynamodb:" + LOCK_TABLE), events(Rec.dynamodbCall("UpdateItem", SESSION, LOCK_TABLE, req)));
    }

    @Test
    void digestItemsAreNotLocksNorUnexplainedChanges() {
        ObjectNode req = request();
        req.putObject("key").put("LockID", STATE_KEY + "-md5");

        assertEquals(List.of(), events(Rec.dynamodbCall("UpdateItem", SESSION, LOCK_TABLE, req)));
    }

    @Test
    void transactionListsEachOperationWithItsKey() {
        ObjectNode req = Json.object();
        ArrayNode items = req.putArray("requestItems");
        items.addObject().put("operation", "Put").put("tableName", LOCK_TABLE).putObject("key").put("LockID", STATE_KEY);
        items.addObject().put("operation", "Delete").put("TableName", LOCK_TABLE).putObject("key").put("LockID", OTHER_STATE_KEY);
        items.addObject().put("operation", "ConditionCheck").put("TableName", LOCK_TABLE).putObject("Key").put("LockID", BUCKET + "/x/terraform.tfstate");
        items.addObject().put("operation", "Put").put("tableName", "orders").putObject("key").put("id", "7");

        assertEquals(List.of("lock " + STATE_KEY + " dynamodb:" + LOCK_TABLE, "unlock " + OTHER_STATE_KEY + " dynamodb:" + LOCK_TABLE),
                events(Rec.dynamodbCall("TransactWriteItems", SESSION, LOCK_TABLE, req)).stream().sorted().toList());
    }

    @Test
    void batchWriteInEitherShapeReleasesTheLocksItNames() {
        ObjectNode listed = Json.object();
        listed.putArray("requestItems").addObject().put("operation", "Delete").put("tableName", LOCK_TABLE).putObject("key").put("LockID", STATE_KEY);
        ObjectNode mapped = Json.object();
        mapped.putObject("requestItems").putArray(LOCK_TABLE).addObject().putObject("deleteRequest").putObject("key").put("LockID", STATE_KEY);

        assertEquals(List.of("unlock " + STATE_KEY + " dynamodb:" + LOCK_TABLE), events(Rec.dynamodbCall("BatchWriteItem", SESSION, LOCK_TABLE, listed)));
        assertEquals(List.of("unlock " + STATE_KEY + " dynamodb:" + LOCK_TABLE), events(Rec.dynamodbCall("BatchWriteItem", SESSION, LOCK_TABLE, mapped)));
    }

    @Test
    void partiQlStatementsNameTheirLockWhenTheKeyIsLogged() {
        String delete = "DELETE FROM \"" + LOCK_TABLE + "\" WHERE \"LockID\" = '" + STATE_KEY + "'";
        String insert = "INSERT INTO \"" + LOCK_TABLE + "\" VALUE {'LockID': '" + STATE_KEY + "', 'Info': ***(Redacted)}";
        String update = "update " + LOCK_TABLE + " SET Info = ***(Redacted) WHERE LockID = '" + OTHER_STATE_KEY + "'";
        String select = "SELECT * FROM \"" + LOCK_TABLE + "\" WHERE \"LockID\" = '" + STATE_KEY + "'";

        assertEquals(List.of("unlock " + STATE_KEY + " dynamodb:" + LOCK_TABLE), events(statement(delete)));
        assertEquals(List.of("lock " + STATE_KEY + " dynamodb:" + LOCK_TABLE), events(statement(insert)));
        assertEquals(List.of("lock " + OTHER_STATE_KEY + " dynamodb:" + LOCK_TABLE), events(statement(update)));
        assertEquals(List.of(), events(statement(select)));
    }

    @Test
    void aWriteOnALockTableThatNamesNoLockIdIsAnUnexplainedChange() {
        String parameterised = "DELETE FROM \"" + LOCK_TABLE + "\" WHERE \"LockID\" = ?";
        ObjectNode otherKey = request();
        otherKey.putObject("key").put("id", "42");
        ObjectNode batch = Json.object();
        batch.putArray("statements").addObject().put("statement", parameterised);
        String change = "lock-table-change dynamodb:" + LOCK_TABLE + "/* dynamodb:" + LOCK_TABLE;

        assertEquals(List.of(change), events(statement(parameterised)));
        assertEquals(List.of(change), events(Rec.dynamodbCall("UpdateItem", SESSION, LOCK_TABLE, otherKey)));
        assertEquals(List.of(change), events(Rec.dynamodbCall("BatchExecuteStatement", SESSION, LOCK_TABLE, batch)));
        assertEquals(List.of(change), events(Rec.dynamodbCall("TransactWriteItems", SESSION, LOCK_TABLE, Json.object())));
    }

    @Test
    void writesOnTablesThatAreNotLockTablesAreIgnored() {
        ObjectNode req = Json.object().put("tableName", "orders");
        req.putObject("key").put("id", "42");

        assertEquals(List.of(), events(Rec.dynamodbCall("UpdateItem", SESSION, "orders", req)));
        assertEquals(List.of(), events(Rec.dynamodbCall("ExecuteStatement", SESSION, "orders",
                Json.object().put("statement", "DELETE FROM orders WHERE id = '42'"))));
    }

    @Test
    void lockReleasedByAnotherRunThroughPartiQlIsAForceUnlock() {
        Scenario s = new Scenario();
        Credentials a = s.login(MAIN, APPLY_ROLE);
        a.lockItem(LOCK_TABLE, STATE_KEY);
        a.write(BUCKET, STATE);
        Credentials b = s.login(PRODUCTION, APPLY_ROLE);
        s.add(Rec.dynamodbCall("ExecuteStatement", b.caller(), LOCK_TABLE,
                Json.object().put("statement", "DELETE FROM \"" + LOCK_TABLE + "\" WHERE \"LockID\" = '" + STATE_KEY + "'")));

        Finding f = s.replay(POLICY).only(FindingType.FORCE_UNLOCK);

        assertEquals(b.key(), f.accessKeyId());
        assertEquals(STATE_KEY, f.stateKey());
    }

    @Test
    void anUnexplainedChangeRaisesNothingButStaysInTheTrailOfItsRun() {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        s.add(statementBy(run.caller(), "UPDATE \"" + LOCK_TABLE + "\" SET Info = ? WHERE LockID = ?"));

        Scenario.Outcome o = s.replay(POLICY);

        assertEquals(List.of(), o.findings());
        StateAccess change = o.evaluation().stateAccesses().get(0);
        assertEquals(StateAccess.Operation.LOCK_TABLE_CHANGE, change.operation());
        assertEquals(run.key(), o.evaluation().chainOf(change).runKey());
    }

    private static Rec statement(String statement) {
        return statementBy(SESSION, statement);
    }

    private static Rec statementBy(Caller caller, String statement) {
        return Rec.dynamodbCall("ExecuteStatement", caller, LOCK_TABLE, Json.object().put("statement", statement));
    }
}
