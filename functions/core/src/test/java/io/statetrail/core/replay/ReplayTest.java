package io.statetrail.core.replay;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    @Test
    void impossibleTimestampAfterAValidOneDoesNotDecideNow(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario().at("2026-11-18T06:00:03Z");
        Credentials run = s.login(MAIN, APPLY_ROLE);
        Rec write = run.write(BUCKET, STATE);
        Rec impossible = run.read(BUCKET, STATE).copy().eventId("impossible").set("eventTime", "2026-11-31T25:61:00Z");
        Files.writeString(dir.resolve("a.jsonl"), s.records().get(0).json() + "\n");
        Files.writeString(dir.resolve("b.jsonl"), Rec.jsonLines(List.of(write, impossible)));

        Replay.Result result = new Replay(POLICY).run(List.of(dir), null);

        assertEquals(write.time(), result.now());
        assertEquals(1, result.counts().malformed());
        assertEquals(List.of(FindingType.UNLOCKED_STATE_WRITE.id()), result.findings().stream().map(f -> f.type()).toList());
    }

    @Test
    void impossibleTimestampAloneInItsFileIsIgnoredForNow(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario().at("2026-11-18T06:00:03Z");
        s.login(MAIN, APPLY_ROLE);
        Rec login = s.records().get(0);
        Files.writeString(dir.resolve("a.jsonl"), Rec.jsonLines(List.of(login, login.copy().eventId("x").set("eventTime", "2026-11-31T25:61:00Z"))));

        Replay.Result result = new Replay(POLICY).run(List.of(dir), null);

        assertEquals(login.time(), result.now());
    }

    @Test
    void countsRecordsRelevantDuplicatesAndMalformed(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario();
        Rec write = lockedApply(s);
        Files.writeString(dir.resolve("a.jsonl"), Rec.jsonLines(s.records()));
        Files.writeString(dir.resolve("b.json"), write.eventBridge());
        Files.writeString(dir.resolve("c.jsonl"), "{\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\"}\n[1]\n");
        Files.writeString(dir.resolve("notes.txt"), "not events");
        Files.writeString(dir.resolve(".hidden.json"), write.json());

        Replay.Result result = new Replay(POLICY).run(List.of(dir), null);

        assertEquals(new Replay.Counts(3, 8, 5, 1, 1, 0, 0, 0, 1), result.counts());
        assertEquals(List.of(new TrailFiles.SkippedFile(dir.resolve("notes.txt"), "not JSON or gzip (starts with 'n')")), result.skippedFiles());
        assertEquals(List.of(), result.findings());
        assertEquals(4, result.trail().size(), "login, lock, write, release");
    }

    @Test
    void oneOrTwoThreadsGiveTheSameFindings(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario();
        Credentials a = s.login("repo:acme/infra:pull_request", "arn:aws:iam::111111111111:role/gha-tooling").assumeRole("arn:aws:iam::222222222222:role/terraform-prod");
        a.write(BUCKET, STATE);
        s.login("repo:acme/infra:ref:refs/heads/feature/x", APPLY_ROLE).lock(BUCKET, STATE);
        List<Rec> records = s.records();
        for (int i = 0; i < records.size(); i++) {
            Files.writeString(dir.resolve("r" + i + ".json"), records.get(i).eventBridge());
        }
        Instant now = Instant.parse("2026-11-05T00:00:00Z");

        List<String> one = new Replay(POLICY, 1, null).run(List.of(dir), now).findings().stream().map(FindingJson::toLine).toList();
        List<String> two = new Replay(POLICY, 2, null).run(List.of(dir), now).findings().stream().map(FindingJson::toLine).toList();

        assertEquals(4, one.size(), one::toString);
        assertEquals(one, two);
    }

    /**
     * The progress bar's count is every record read, as the final count is: on many small files it once showed only
     * the relevant ones, as irrelevant records were added only when one file passed a multiple of 1,024.
     */
    @Test
    void progressCountsEveryRecordReadWhateverTheFileSizes(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario();
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        run.write(BUCKET, STATE);
        String noise = "{\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\"}\n";
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("small-" + i + ".jsonl"), Rec.jsonLines(s.records()) + noise.repeat(137) + "[1]\n");
        }
        Files.writeString(dir.resolve("large.jsonl"), noise.repeat(2500));

        for (int threads : new int[] {1, 3}) {
            Replay.Progress progress = new Replay.Progress();
            Replay.Result result = new Replay(POLICY, threads, progress).run(List.of(dir), null);

            assertEquals(20 * (3 + 137 + 1) + 2500, result.counts().records());
            assertEquals(result.counts().records(), progress.records.get(), threads + " threads");
            assertEquals(21, progress.files.get());
            assertEquals(21, progress.totalFiles.get());
        }
    }

    // ---- files by content, and what is skipped (issue 13, points 3 and 4) ----

    @Test
    void aFolderOfFirehoseAndExportFilesIsReadByContent(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario();
        Rec write = lockedApply(s);
        List<Rec> r = s.records();
        // Firehose writes extensionless (or .gz) objects of concatenated JSON; other tools export .log files.
        Files.write(dir.resolve("statetrail-firehose-1-2026-11-04-10-00-00-0f3c"), gzip(r.get(0).eventBridge() + r.get(1).eventBridge()));
        Files.write(dir.resolve("part-0002.gz"), gzip(Rec.jsonLines(List.of(write))));
        Files.writeString(dir.resolve("export.log"), Rec.jsonLines(r.subList(3, r.size())));
        Files.writeString(dir.resolve("README.md"), "# exported trail\n");
        Files.write(dir.resolve("empty.json"), new byte[0]);
        Files.write(dir.resolve("photo.gz"), gzip("\u0089PNG"));

        Replay.Result result = new Replay(POLICY).run(List.of(dir), null);

        assertEquals(List.of(), result.findings());
        assertEquals(new Replay.Counts(3, 5, 4, 0, 0, 0, 0, 0, 3), result.counts());
        assertEquals(List.of(new TrailFiles.SkippedFile(dir.resolve("README.md"), "not JSON or gzip (starts with '#')"),
                new TrailFiles.SkippedFile(dir.resolve("empty.json"), "empty file"),
                new TrailFiles.SkippedFile(dir.resolve("photo.gz"), "gzip, but not JSON inside (starts with byte 0xc2)")),
                result.skippedFiles());
    }

    @Test
    void digestInsightsAndNetworkActivityAreCountedApartFromMalformed(@TempDir Path dir) throws IOException {
        Scenario s = new Scenario();
        Rec write = lockedApply(s);
        Files.writeString(dir.resolve("run.jsonl"), Rec.jsonLines(s.records()));
        Files.writeString(dir.resolve("vpce.json"), Rec.logFile(List.of(write.networkActivity("vpce-0a1b2c3d4e5f60718"))));
        Files.write(dir.resolve("222222222222_CloudTrail-Insight_eu-west-1_20261104T1010Z_a1B2c3D4e5F6g7H8.json.gz"), gzip(Rec.logFile(List.of(
                Rec.insight("s3.amazonaws.com", "DeleteObjects", "Start", "1"), Rec.insight("s3.amazonaws.com", "DeleteObjects", "End", "2")))));
        Files.write(dir.resolve("222222222222_CloudTrail-Digest_eu-west-1_org_eu-west-1_20261104T110512Z.json.gz"), gzip(
                "{\"awsAccountId\":\"222222222222\",\"digestStartTime\":\"2026-11-04T10:05:12Z\",\"digestEndTime\":\"2026-11-04T11:05:12Z\","
                        + "\"digestPublicKeyFingerprint\":\"4f8c3b1e0a9d27c6e5b4a3f2d1c0b9a8\",\"logFiles\":[]}"));

        Replay.Result result = new Replay(POLICY).run(List.of(dir), null);

        assertEquals(new Replay.Counts(4, 9, 4, 0, 0, 1, 2, 1, 0), result.counts());
        assertEquals(List.of(), result.findings(), "the network activity copy of the write is no unlocked write");
        assertEquals(List.of(), result.malformed());
    }

    private static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A login, then lock, write and release of the state: four relevant records (and the release's GetObject). */
    private static Rec lockedApply(Scenario s) {
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        Rec write = run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);
        return write;
    }
}
