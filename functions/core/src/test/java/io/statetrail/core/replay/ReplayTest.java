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
        Credentials run = s.login(MAIN, APPLY_ROLE);
        run.lock(BUCKET, STATE);
        Rec write = run.write(BUCKET, STATE);
        run.unlock(BUCKET, STATE);
        Files.writeString(dir.resolve("a.jsonl"), Rec.jsonLines(s.records()));
        Files.writeString(dir.resolve("b.json"), write.eventBridge());
        Files.writeString(dir.resolve("c.jsonl"), "{\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\"}\n[1]\n");
        Files.writeString(dir.resolve("notes.txt"), "not events");
        Files.writeString(dir.resolve(".hidden.json"), write.json());

        Replay.Result result = new Replay(POLICY).run(List.of(dir), null);

        assertEquals(new Replay.Counts(3, 8, 5, 1, 1), result.counts());
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
}
