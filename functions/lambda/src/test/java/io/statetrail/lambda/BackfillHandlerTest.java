package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.TrailFiles;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.backfill.BackfillWorker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill worker against S3 and SQS on loopback (real HTTP, the services' wire formats, through the SDK clients
 * the function uses): every shape of log file in {@code events/}, a truncated gzip, an object throttled once
 * ({@code SlowDown}), one refused ({@code AccessDenied}) and one failing every time ({@code InternalError}).
 */
class BackfillHandlerTest {

    static final String BUCKET = "acme-org-trail";
    static final String DAY = "AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/2026/11/18/";
    static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/111111111111/statetrail-events";
    static final Policy POLICY = PolicyLoader.load(TestStack.EVENTS.resolve("policy.yaml"));

    @TempDir
    Path copies;

    private static RecordReader reader() {
        return new RecordReader(new RecordClassifier(new StateObjects(POLICY)));
    }

    private static BackfillHandler handler(LoopbackAws aws, ByteArrayOutputStream logs) {
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        return new BackfillHandler(BackfillHandlerTest::reader, new S3TrailArchive(aws.s3()), new SqsIngestQueue(aws.sqs(), QUEUE),
                Clock.systemUTC(), new Log(out, "backfill"), new Metrics(out, Clock.systemUTC()));
    }

    private static JsonNode batch(List<String> keys, String from, String to) {
        ObjectNode in = LoopbackAws.JSON.createObjectNode();
        in.putObject("BatchInput").put("bucket", BUCKET).put("from", from).put("to", to).put("rate", 0).put("concurrency", 10);
        ArrayNode items = in.putArray("Items");
        // Items as the Distributed Map's S3 listing gives them.
        keys.forEach(k -> items.addObject().put("Etag", "\"d41d8cd98f00b204e9800998ecf8427e\"").put("Key", k)
                .put("LastModified", 1795046400).put("Size", 1024).put("StorageClass", "STANDARD"));
        return in;
    }

    private static BackfillWorker.BatchResult invoke(BackfillHandler h, JsonNode in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(LoopbackAws.JSON.writeValueAsBytes(in)), out, null);
        return LoopbackAws.JSON.readValue(out.toByteArray(), BackfillWorker.BatchResult.class);
    }

    /** What the replay's reader finds in files: relevant events (as text, distinct) and malformed records. */
    record Read(Set<String> events, long relevantRecords, long malformed) {
    }

    private static Read replayRead(List<Path> files) {
        Set<String> events = new TreeSet<>();
        AtomicLong relevant = new AtomicLong();
        AtomicLong malformed = new AtomicLong();
        RecordReader r = reader();
        for (Path f : files) {
            r.readFile(f, sink(events, relevant, malformed));
        }
        return new Read(events, relevant.get(), malformed.get());
    }

    private static Read sentRead(List<String> bodies) {
        Set<String> events = new TreeSet<>();
        AtomicLong relevant = new AtomicLong();
        AtomicLong malformed = new AtomicLong();
        RecordReader r = reader();
        for (String b : bodies) {
            r.readString("sqs", b, sink(events, relevant, malformed));
        }
        return new Read(events, relevant.get(), malformed.get());
    }

    private static RecordSink sink(Set<String> events, AtomicLong relevant, AtomicLong malformed) {
        return new RecordSink() {
            @Override
            public void relevant(String source, long line, List<TrailEvent> es) {
                relevant.incrementAndGet();
                es.forEach(e -> events.add(e.toString()));
            }

            @Override
            public void irrelevant() {
            }

            @Override
            public void malformed(Malformed m) {
                malformed.incrementAndGet();
            }
        };
    }

    @Test
    void everyShapeOfLogFile_sendsExactlyTheRecordsReplayReads_andListsWhatItCouldNotRead() throws Exception {
        List<Path> samples = TrailFiles.list(List.of(TestStack.EVENTS)).files();
        assertTrue(samples.size() > 40, "the samples hold every shape: " + samples.size());
        try (LoopbackAws aws = new LoopbackAws()) {
            List<String> keys = new ArrayList<>();
            List<Path> replayed = new ArrayList<>();
            for (Path f : samples) {
                String name = TestStack.EVENTS.relativize(f).toString().replace('/', '_');
                keys.add(DAY + name);
                aws.objects.put(BUCKET + "/" + DAY + name, Files.readAllBytes(f));
                replayed.add(f);
            }
            // A gzipped log file cut in half: its readable records count, the rest is malformed.
            byte[] whole = Files.readAllBytes(TestStack.EVENTS.resolve("scenarios/apply-on-main").resolve(
                    "222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz"));
            byte[] cut = Arrays.copyOf(whole, whole.length / 2);
            String cutKey = DAY + "222222222222_CloudTrail_eu-west-1_20261118T1000Z_cutInHalf000001.json.gz";
            aws.objects.put(BUCKET + "/" + cutKey, cut);
            keys.add(cutKey);
            Path cutCopy = copies.resolve("cut.json.gz");
            Files.write(cutCopy, cut);
            replayed.add(cutCopy);
            // Throttled once: the SDK tries again and the file is read.
            String throttled = DAY + "222222222222_CloudTrail_eu-west-1_20261118T1005Z_throttledOnce001.json.gz";
            aws.objects.put(BUCKET + "/" + throttled, whole);
            aws.errorsFirst.put(BUCKET + "/" + throttled, new ArrayList<>(List.of(
                    new LoopbackAws.S3Error(503, "SlowDown", "Please reduce your request rate."))));
            keys.add(throttled);
            replayed.add(TestStack.EVENTS.resolve("scenarios/apply-on-main/222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz"));
            // Refused (not worth another try) and failing every time (tried, then listed).
            String denied = DAY + "222222222222_CloudTrail_eu-west-1_20261118T1010Z_accessDenied0001.json.gz";
            aws.alwaysError.put(BUCKET + "/" + denied, new LoopbackAws.S3Error(403, "AccessDenied", "Access Denied"));
            keys.add(denied);
            String broken = DAY + "222222222222_CloudTrail_eu-west-1_20261118T1015Z_internalError001.json.gz";
            aws.alwaysError.put(BUCKET + "/" + broken, new LoopbackAws.S3Error(500, "InternalError", "We encountered an internal error. Please try again."));
            keys.add(broken);
            // Delivered the day before the range: never fetched.
            String before = "AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/2026/11/17/222222222222_CloudTrail_eu-west-1_20261117T2355Z_dayBefore000001.json.gz";
            aws.objects.put(BUCKET + "/" + before, whole);
            keys.add(before);

            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            BackfillWorker.BatchResult r = invoke(handler(aws, logs), batch(keys, "2026-11-18", "2026-11-30"));

            List<String> bodies = aws.sends.stream().flatMap(s -> s.bodies().stream()).toList();
            Read replay = replayRead(replayed);
            Read sent = sentRead(bodies);
            assertEquals(replay.events(), sent.events(), "the records sent are those replay reads from the same files");
            assertEquals(0, sent.malformed());
            assertEquals(replay.relevantRecords(), r.relevant());
            assertEquals(replay.malformed(), r.malformed());
            assertTrue(r.malformed() > 0);
            assertEquals(sent.relevantRecords(), r.sent());
            assertEquals(bodies.size(), r.messages());
            assertTrue(aws.sends.stream().allMatch(s -> s.queueUrl().equals(QUEUE) && s.bodies().size() <= 10));

            assertEquals(keys.size() - 1, r.files());
            assertEquals(1, r.outsideRange());
            assertNull(aws.gets.get(BUCKET + "/" + before), "a file outside the range is not fetched");
            assertEquals(2, aws.gets.get(BUCKET + "/" + throttled).get());
            assertEquals(1, aws.gets.get(BUCKET + "/" + denied).get(), "a refusal is not worth another try");
            assertEquals(3 * BackfillWorker.TRIES, aws.gets.get(BUCKET + "/" + broken).get(), "three SDK attempts per try");
            assertEquals(List.of(
                    new BackfillWorker.FailedFile(denied, "cannot read: AccessDenied (HTTP 403)"),
                    new BackfillWorker.FailedFile(broken, "cannot read: InternalError (HTTP 500)")), r.failedFiles());
            String log = logs.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("\"BackfillFailedFiles\""), log);
            assertTrue(log.contains("log file not backfilled"), log);
        }
    }

    @Test
    void oneLogFile_becomesOneMessageOfItsRelevantRecords_inFileOrder_asTheyAreWritten() throws Exception {
        Path file = TestStack.EVENTS.resolve("scenarios/apply-on-main/222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz");
        String text;
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The file's records as written (compact JSON, one after another). HeadObject is no state access, and a
        // GetObject of the .tflock only reads who holds the lock.
        JsonNode records = LoopbackAws.JSON.readTree(text).path("Records");
        List<String> expected = new ArrayList<>();
        for (JsonNode rec : records) {
            String name = rec.path("eventName").asText();
            boolean lockRead = name.equals("GetObject") && rec.path("requestParameters").path("key").asText().endsWith(".tflock");
            if (!name.equals("HeadObject") && !lockRead) {
                String written = LoopbackAws.JSON.writeValueAsString(rec);
                assertTrue(text.contains(written), "the sample is compact JSON");
                expected.add(written);
            }
        }
        try (LoopbackAws aws = new LoopbackAws()) {
            String key = "AWSLogs/222222222222/CloudTrail/eu-west-1/2026/11/04/" + file.getFileName();
            aws.objects.put(BUCKET + "/" + key, Files.readAllBytes(file));

            BackfillWorker.BatchResult r = invoke(handler(aws, new ByteArrayOutputStream()), batch(List.of(key), "2026-11-04", "2026-11-04"));

            assertEquals(1, aws.sends.size());
            assertEquals(new LoopbackAws.SendBatch(QUEUE, List.of("0"), List.of("{\"Records\":[" + String.join(",", expected) + "]}")),
                    aws.sends.get(0));
            assertEquals(new BackfillWorker.BatchResult(1, 0, 7, 5, 5, 1, 0, 0, List.of()), r);
        }
    }

    @Test
    void aBatchWithoutItsRange_isRefusedClearly() {
        ObjectNode in = LoopbackAws.JSON.createObjectNode();
        in.putObject("BatchInput").put("bucket", BUCKET).put("from", "2026-11-31").put("to", "2026-11-30");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackfillHandler.Batch.of(in));
        assertEquals("BatchInput.from must be a day (YYYY-MM-DD), got \"2026-11-31\"", e.getMessage());
        in.with("BatchInput").put("from", "2026-12-01");
        e = assertThrows(IllegalArgumentException.class, () -> BackfillHandler.Batch.of(in));
        assertEquals("BatchInput.to (2026-11-30) is before from (2026-12-01)", e.getMessage());
        assertFalse(BackfillHandler.Batch.of(batch(List.of("a/", "b"), "2026-11-01", "2026-11-02")).keys().contains("a/"),
                "folder markers are no log files");
    }

    @Test
    void theSummary_readsTheMapRunsResultsFromTheBucketItNames_andAnswersTheTotals() throws Exception {
        String manifest = "{\"DestinationBucket\":\"statetrail-backfill-111111111111\",\"MapRunArn\":\"m\",\"ResultFiles\":{\"FAILED\":[],"
                + "\"PENDING\":[],\"SUCCEEDED\":[{\"Key\":\"results/r1/SUCCEEDED_0.json\",\"Size\":1}]}}";
        String output = "{\"files\":2,\"outsideRange\":0,\"records\":14,\"relevant\":10,\"sent\":10,\"messages\":2,\"malformed\":0,"
                + "\"skipped\":0,\"failedFiles\":[]}";
        String succeeded = "[{\"ExecutionArn\":\"e\",\"Input\":\"{}\",\"Output\":" + LoopbackAws.JSON.writeValueAsString(output) + ",\"Status\":\"SUCCEEDED\"}]";
        java.util.Map<String, String> objects = java.util.Map.of("statetrail-backfill-111111111111/results/r1/manifest.json", manifest,
                "statetrail-backfill-111111111111/results/r1/SUCCEEDED_0.json", succeeded);
        BackfillSummaryHandler h = new BackfillSummaryHandler((bucket, key) -> objects.get(bucket + "/" + key),
                new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "backfill-summary"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String in = "{\"MapRunArn\":\"m\",\"ResultWriterDetails\":{\"Bucket\":\"statetrail-backfill-111111111111\",\"Key\":\"results/r1/manifest.json\"}}";

        h.handleRequest(new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), out, null);

        assertEquals(LoopbackAws.JSON.readTree("{\"files\":2,\"outsideRange\":0,\"records\":14,\"relevant\":10,\"sent\":10,\"messages\":2,"
                + "\"malformed\":0,\"skipped\":0,\"failedFiles\":[],\"failedBatches\":0,\"mapRunArn\":\"m\"}"), LoopbackAws.JSON.readTree(out.toByteArray()));
        assertThrows(IllegalArgumentException.class, () -> h.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null));
    }
}
