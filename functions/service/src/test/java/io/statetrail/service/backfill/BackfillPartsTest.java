package io.statetrail.service.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.service.port.IngestQueue;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** The pieces of a backfill batch: days of log files, message packing, the totals of an execution. */
class BackfillPartsTest {

    @Test
    void theDayOfALogFileComesFromItsFolder_orElseFromItsNameStamp() {
        assertEquals(Optional.of(LocalDate.parse("2026-11-04")),
                LogFileDates.dayOf("AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/2026/11/04/222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz"));
        assertEquals(Optional.of(LocalDate.parse("2026-11-18")), LogFileDates.dayOf("exports/222222222222_CloudTrail_eu-west-1_20261118T0605Z_eXo2qcZuB9lpwrCo.json"));
        assertEquals(Optional.empty(), LogFileDates.dayOf("firehose/statetrail-trail-firehose-1-2026-11-18-10-05-12-3f1c"));
        assertEquals(Optional.empty(), LogFileDates.dayOf("AWSLogs/111111111111/CloudTrail/eu-west-1/2026/13/40/x.json.gz"), "no such day");
        assertTrue(LogFileDates.inRange("firehose/object-without-a-day", LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-01")),
                "a file whose day is unknown is read rather than skipped");
        String key = "AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11/30/x.json.gz";
        assertTrue(LogFileDates.inRange(key, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30")));
        assertFalse(LogFileDates.inRange(key, LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-31")));
    }

    static Gen<List<String>> records() {
        // Record sizes from tiny to over a send's limit, in bytes of ASCII and two-byte text.
        return lists().of(integers().between(1, 300_000).map(n -> "{\"r\":\"" + (n % 3 == 0 ? "é".repeat(n / 2) : "x".repeat(n)) + "\"}"))
                .ofSizeBetween(0, 40);
    }

    @Test
    void packing_keepsEveryRecordOnceInOrder_withinSQSLimits() {
        qt().withExamples(200).forAll(records()).checkAssert(records -> {
            QueueMessages.Packed p = QueueMessages.pack(records);
            List<String> back = new ArrayList<>();
            for (QueueMessages.Message m : p.messages()) {
                assertTrue(m.body().startsWith("{\"Records\":[") && m.body().endsWith("]}"));
                int size = QueueMessages.utf8(m.body());
                assertTrue(size <= QueueMessages.MESSAGE_BYTES || m.records() == 1, "only a lone record goes over 64 KiB");
                assertTrue(size <= IngestQueue.MAX_BATCH_BYTES);
                List<String> inside = split(m.body());
                assertEquals(m.records(), inside.size());
                back.addAll(inside);
            }
            List<String> expected = new ArrayList<>(records);
            expected.removeAll(p.tooLarge());
            assertEquals(expected, back);
            p.tooLarge().forEach(t -> assertTrue(QueueMessages.utf8(t) + 14 > IngestQueue.MAX_BATCH_BYTES));
            List<QueueMessages.Message> flat = new ArrayList<>();
            for (List<QueueMessages.Message> send : QueueMessages.sends(p.messages())) {
                assertTrue(send.size() <= IngestQueue.MAX_BATCH_MESSAGES);
                assertTrue(send.stream().mapToInt(m -> QueueMessages.utf8(m.body())).sum() <= IngestQueue.MAX_BATCH_BYTES);
                flat.addAll(send);
            }
            assertEquals(p.messages(), flat);
        });
    }

    /** The records of a packed body (the test records hold no brackets or commas of their own). */
    private static List<String> split(String body) {
        String inner = body.substring("{\"Records\":[".length(), body.length() - 2);
        List<String> out = new ArrayList<>();
        for (String part : inner.split("(?<=\\}),(?=\\{)")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    @Test
    void theTotals_addUpEveryBatch_andNameEveryFileOfAFailedBatch() {
        ObjectMapper json = new ObjectMapper();
        String ok = "{\"files\":50,\"outsideRange\":2,\"records\":1000,\"relevant\":7,\"sent\":7,\"messages\":1,\"malformed\":1,\"skipped\":3,"
                + "\"failedFiles\":[{\"key\":\"AWSLogs/a.json.gz\",\"reason\":\"cannot read: AccessDenied (HTTP 403)\"}]}";
        String ok2 = "{\"files\":10,\"outsideRange\":0,\"records\":200,\"relevant\":1,\"sent\":1,\"messages\":1,\"malformed\":0,\"skipped\":0,\"failedFiles\":[]}";
        Map<String, String> objects = Map.of(
                "results/5f2c/manifest.json", "{\"DestinationBucket\":\"statetrail-backfill-111111111111\",\"MapRunArn\":\"arn:aws:states:eu-west-1:111111111111:mapRun:statetrail-backfill/x:5f2c\","
                        + "\"ResultFiles\":{\"FAILED\":[{\"Key\":\"results/5f2c/FAILED_0.json\",\"Size\":1}],\"PENDING\":[],"
                        + "\"SUCCEEDED\":[{\"Key\":\"results/5f2c/SUCCEEDED_0.json\",\"Size\":1}]}}",
                "results/5f2c/SUCCEEDED_0.json", "[" + child(json, ok) + "," + child(json, ok2) + "]",
                "results/5f2c/FAILED_0.json", "[{\"Cause\":\"Task timed out after 240.00 seconds\",\"Error\":\"Sandbox.Timedout\",\"ExecutionArn\":\"e\","
                        + "\"Input\":" + json.valueToTree("{\"BatchInput\":{},\"Items\":[{\"Key\":\"AWSLogs/b.json.gz\"},{\"Key\":\"AWSLogs/c.json.gz\"}]}") + ",\"Status\":\"FAILED\"}]");

        ObjectNode total = BackfillSummary.of(objects::get, "results/5f2c/manifest.json");

        assertEquals(60, total.path("files").asLong());
        assertEquals(1200, total.path("records").asLong());
        assertEquals(8, total.path("sent").asLong());
        assertEquals(1, total.path("malformed").asLong());
        assertEquals(1, total.path("failedBatches").asLong());
        assertEquals(List.of("AWSLogs/a.json.gz", "AWSLogs/b.json.gz", "AWSLogs/c.json.gz"),
                total.path("failedFiles").findValuesAsText("key"));
        assertEquals("batch failed: Sandbox.Timedout Task timed out after 240.00 seconds", total.path("failedFiles").get(1).path("reason").asText());
    }

    private static String child(ObjectMapper json, String output) {
        return "{\"ExecutionArn\":\"e\",\"Input\":\"{}\",\"Name\":\"n\",\"Output\":" + json.valueToTree(output) + ",\"Status\":\"SUCCEEDED\"}";
    }
}
