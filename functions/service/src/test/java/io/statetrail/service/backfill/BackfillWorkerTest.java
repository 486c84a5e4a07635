package io.statetrail.service.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.fixture.Acme;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.memory.TestClock;
import io.statetrail.service.port.IngestQueue;
import io.statetrail.service.port.TrailArchive;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** What a backfill batch decides, on an in-memory trail bucket and queue. */
class BackfillWorkerTest {

    static final String BUCKET = "acme-org-trail";
    static final String DAY = "AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/2026/11/04/";
    static final LocalDate NOV_4 = LocalDate.parse("2026-11-04");

    /** The trail bucket: objects, and objects that fail every time. */
    static final class Archive implements TrailArchive {
        final Map<String, byte[]> objects = new HashMap<>();
        final Map<String, Unreadable> failures = new HashMap<>();
        final Map<String, Integer> reads = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public byte[] read(String bucket, String key) {
            reads.merge(key, 1, Integer::sum);
            if (failures.containsKey(key)) {
                throw failures.get(key);
            }
            byte[] b = objects.get(key);
            if (b == null) {
                throw new Unreadable("NoSuchKey (HTTP 404)", false);
            }
            return b;
        }
    }

    /** The queue: every send, and rejections to answer per send. */
    static final class Queue implements IngestQueue {
        final List<List<String>> sends = new ArrayList<>();
        final LinkedList<List<Rejected>> answers = new LinkedList<>();

        @Override
        public List<Rejected> send(List<String> bodies) {
            sends.add(List.copyOf(bodies));
            return answers.isEmpty() ? List.of() : answers.poll();
        }
    }

    final Archive archive = new Archive();
    final Queue queue = new Queue();
    final TestClock clock = new TestClock(Instant.parse("2026-12-07T22:00:00Z"));
    final List<Long> pauses = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Malformed> malformed = new ArrayList<>();

    BackfillWorker worker(double rate) {
        RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(Acme.POLICY)));
        Pacer pacer = new Pacer(rate, clock, millis -> {
            pauses.add(millis);
            clock.advance(Duration.ofMillis(millis));
        });
        return new BackfillWorker(archive, queue, new RelevantRecords(reader), pacer);
    }

    BackfillWorker.BatchResult run(List<String> keys) {
        return worker(0).run(BUCKET, keys, NOV_4, NOV_4, malformed::add);
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** An apply on main: login, lock, state write, unlock; and a call no one cares about. */
    static List<Rec> apply(Scenario s) {
        Credentials job = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        job.lock(Acme.BUCKET, Acme.STATE);
        job.write(Acme.BUCKET, Acme.STATE);
        job.delete(Acme.BUCKET, Acme.STATE + ".tflock");
        s.add(Rec.s3("GetObject", job.caller(), "acme-website-assets", "index.html"));
        return s.records();
    }

    @Test
    void onlyRelevantRecordsAreSent_andFilesOutsideTheRangeAreNotRead() throws Exception {
        List<Rec> records = apply(new Scenario());
        archive.objects.put(DAY + "a.json.gz", gzip(Rec.logFile(records)));
        String before = "AWSLogs/o-aa111bb222/222222222222/CloudTrail/eu-west-1/2026/11/03/b.json.gz";
        archive.objects.put(before, gzip(Rec.logFile(records)));

        BackfillWorker.BatchResult r = run(List.of(DAY + "a.json.gz", before));

        assertEquals(new BackfillWorker.BatchResult(1, 1, 5, 4, 4, 1, 0, 0, List.of()), r);
        assertEquals(1, queue.sends.size());
        String body = queue.sends.get(0).get(0);
        assertTrue(body.startsWith("{\"Records\":[{") && body.endsWith("}]}"), body);
        assertTrue(!body.contains("acme-website-assets"), "the irrelevant call stays behind");
        assertEquals(null, archive.reads.get(before));
    }

    @Test
    void aMalformedRecordIsCountedAndReported_andTheRestOfTheFileGoesOn() throws Exception {
        List<Rec> records = apply(new Scenario());
        String lines = Rec.jsonLines(records) + "{\"eventVersion\":\"1.08\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\",\"eventTime\":\"not a time\"}\n";
        archive.objects.put(DAY + "export.jsonl", lines.getBytes(StandardCharsets.UTF_8));

        BackfillWorker.BatchResult r = run(List.of(DAY + "export.jsonl"));

        assertEquals(4, r.sent());
        assertEquals(1, r.malformed());
        assertEquals(1, malformed.size());
        assertEquals(6, malformed.get(0).line());
        assertEquals("s3://" + BUCKET + "/" + DAY + "export.jsonl", malformed.get(0).source());
    }

    @Test
    void aFileThatCannotBeRead_isTriedThreeTimes_thenListed_andTheBatchGoesOn() throws Exception {
        archive.objects.put(DAY + "ok.json.gz", gzip(Rec.logFile(apply(new Scenario()))));
        archive.failures.put(DAY + "slow.json.gz", new TrailArchive.Unreadable("SlowDown (HTTP 503)", true));
        archive.failures.put(DAY + "denied.json.gz", new TrailArchive.Unreadable("AccessDenied (HTTP 403)", false));

        BackfillWorker.BatchResult r = run(List.of(DAY + "slow.json.gz", DAY + "denied.json.gz", DAY + "ok.json.gz"));

        assertEquals(List.of(new BackfillWorker.FailedFile(DAY + "slow.json.gz", "cannot read: SlowDown (HTTP 503)"),
                new BackfillWorker.FailedFile(DAY + "denied.json.gz", "cannot read: AccessDenied (HTTP 403)")), r.failedFiles());
        assertEquals(BackfillWorker.TRIES, archive.reads.get(DAY + "slow.json.gz"));
        assertEquals(1, archive.reads.get(DAY + "denied.json.gz"));
        assertEquals(List.of(200L, 400L), pauses, "a doubling pause between tries");
        assertEquals(4, r.sent(), "the readable file of the batch is sent all the same");
    }

    @Test
    void messagesTheQueueRefuses_areSentAgain_unlessTheFaultIsTheSenders() throws Exception {
        archive.objects.put(DAY + "a.json.gz", gzip(Rec.logFile(apply(new Scenario()))));
        queue.answers.add(List.of(new IngestQueue.Rejected(0, "ServiceUnavailable: try again", false)));
        BackfillWorker.BatchResult r = run(List.of(DAY + "a.json.gz"));
        assertEquals(2, queue.sends.size());
        assertEquals(queue.sends.get(0), queue.sends.get(1));
        assertEquals(4, r.sent());
        assertEquals(List.of(), r.failedFiles());

        queue.sends.clear();
        queue.answers.add(List.of(new IngestQueue.Rejected(0, "InvalidMessageContents: bad character", true)));
        r = run(List.of(DAY + "a.json.gz"));
        assertEquals(1, queue.sends.size(), "a sender's fault does not go away by itself");
        assertEquals(0, r.sent());
        assertEquals(List.of(new BackfillWorker.FailedFile(DAY + "a.json.gz", "1 message(s) not sent: InvalidMessageContents: bad character")),
                r.failedFiles());
    }

    @Test
    void aRecordTooBigForTheQueue_isSetAside_andItsFileListed() throws Exception {
        Scenario s = new Scenario();
        Credentials job = s.login(Acme.MAIN, Acme.APPLY_ROLE);
        job.write(Acme.BUCKET, Acme.STATE);
        String big = Rec.logFile(s.records()).replace("\"eventVersion\"", "\"padding\":\"" + "x".repeat(300_000) + "\",\"eventVersion\"");
        archive.objects.put(DAY + "big.json", big.getBytes(StandardCharsets.UTF_8));

        BackfillWorker.BatchResult r = run(List.of(DAY + "big.json"));

        assertEquals(2, r.relevant());
        assertEquals(0, r.sent());
        assertEquals(List.of(new BackfillWorker.FailedFile(DAY + "big.json", "2 relevant record(s) over the queue's 256 KiB limit")), r.failedFiles());
    }

    @Test
    void theWorkerKeepsToItsShareOfTheRate() throws Exception {
        Scenario s = new Scenario();
        for (int i = 0; i < 30; i++) {
            s.login(Acme.MAIN, Acme.APPLY_ROLE);
        }
        archive.objects.put(DAY + "logins.json.gz", gzip(Rec.logFile(s.records())));
        for (int copy = 0; copy < 3; copy++) {
            archive.objects.put(DAY + "logins-" + copy + ".json.gz", archive.objects.get(DAY + "logins.json.gz"));
        }
        Instant start = clock.instant();

        BackfillWorker.BatchResult r = worker(30).run(BUCKET, List.of(DAY + "logins-0.json.gz", DAY + "logins-1.json.gz", DAY + "logins-2.json.gz"),
                NOV_4, NOV_4, malformed::add);

        assertEquals(90, r.sent());
        // 90 records at 30 a second: the last 30 may go once two seconds have passed.
        assertEquals(Duration.ofSeconds(2), Duration.between(start, clock.instant()));
    }
}
