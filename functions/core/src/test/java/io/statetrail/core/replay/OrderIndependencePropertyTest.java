package io.statetrail.core.replay;

import static io.statetrail.core.fixture.Acme.POLICY_WITH_STORES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.Stories;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Everything statetrail concludes is a function of the set of API calls, never of arrival order, delivery count,
 * file layout or thread count. Stories are generated (see {@link Stories}); each is replayed as generated and
 * transformed, and the findings compared as their JSON lines. Set {@code -DQT_SEED=…} to replay a reported failure.
 */
class OrderIndependencePropertyTest {

    private static final Gen<List<Integer>> STORIES = lists().of(integers().between(0, 2000)).ofSizeBetween(1, 40);

    private static List<String> findings(List<Rec> records, boolean eventBridge) {
        String text = records.stream().map(r -> eventBridge ? r.eventBridge() : r.json()).collect(Collectors.joining("\n"));
        return Scenario.Outcome.of(text, POLICY_WITH_STORES, null).lines();
    }

    /** The records in another order, some delivered twice (possibly in another envelope). */
    private static List<String> shuffledWithDuplicates(List<Rec> records, long seed) {
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        for (Rec r : records) {
            out.add(rnd.nextBoolean() ? r.json() : r.eventBridge());
            if (rnd.nextInt(3) == 0) {
                out.add(rnd.nextBoolean() ? r.json() : r.eventBridge());
            }
        }
        Collections.shuffle(out, rnd);
        return out;
    }

    @Test
    void anyPermutationAndDuplicationGivesTheSameFindings() {
        qt().withExamples(80).withShrinkCycles(200)
                .forAll(STORIES, longs().all())
                .checkAssert((steps, seed) -> {
                    List<Rec> records = Stories.build(steps);
                    List<String> expected = findings(records, false);

                    List<String> actual = Scenario.Outcome.of(String.join("\n", shuffledWithDuplicates(records, seed)), POLICY_WITH_STORES, null).lines();

                    assertEquals(expected, actual);
                });
    }

    @Test
    void oneOrTwoThreadsOverDifferentlySplitFilesGiveTheSameFindings() {
        qt().withExamples(25).withShrinkCycles(50)
                .forAll(STORIES, longs().all())
                .checkAssert((steps, seed) -> {
                    List<Rec> records = Stories.build(steps);
                    List<String> expected = findings(records, true);
                    Random rnd = new Random(seed);
                    Path a = writeSplit(shuffledWithDuplicates(records, rnd.nextLong()), rnd);
                    Path b = writeSplit(shuffledWithDuplicates(records, rnd.nextLong()), rnd);
                    try {
                        List<String> oneThread = lines(new Replay(POLICY_WITH_STORES, 1, null).run(List.of(a), null).findings());
                        List<String> twoThreads = lines(new Replay(POLICY_WITH_STORES, 2, null).run(List.of(b), null).findings());

                        assertEquals(expected, oneThread);
                        assertEquals(expected, twoThreads);
                    } finally {
                        delete(a);
                        delete(b);
                    }
                });
    }

    /** The generator is worth something only if its stories reach every detection of the trail (posture judges IAM, not it). */
    @Test
    void generatedStoriesReachEveryFindingType() {
        Random rnd = new Random(20261104);
        Set<String> seen = new java.util.TreeSet<>();
        List<String> trailTypes = EnumSet.allOf(FindingType.class).stream().filter(t -> t.source() == FindingType.Source.TRAIL)
                .map(FindingType::id).sorted().toList();
        for (int i = 0; i < 400 && seen.size() < trailTypes.size(); i++) {
            List<Integer> steps = new ArrayList<>();
            for (int j = 0, n = 1 + rnd.nextInt(40); j < n; j++) {
                steps.add(rnd.nextInt(2001));
            }
            Scenario.Outcome.of(Rec.jsonLines(Stories.build(steps)), POLICY_WITH_STORES, null).findings().forEach(f -> seen.add(f.type()));
        }

        assertEquals(trailTypes, List.copyOf(seen));
    }

    @Test
    void duplicatesAreCountedButChangeNothing() {
        List<Rec> records = Stories.build(List.of(0, 2 * 17 + 2, 7, 3, 7 + 17, 11));
        List<String> twice = new ArrayList<>();
        records.forEach(r -> {
            twice.add(r.json());
            twice.add(r.eventBridge());
        });

        Scenario.Outcome once = Scenario.Outcome.of(Rec.jsonLines(records), POLICY_WITH_STORES, null);
        Scenario.Outcome doubled = Scenario.Outcome.of(String.join("\n", twice), POLICY_WITH_STORES, null);

        assertTrue(once.findings().size() > 0);
        assertEquals(once.lines(), doubled.lines());
        assertEquals(once.trail().size(), doubled.trail().size());
    }

    private static List<String> lines(List<Finding> findings) {
        return findings.stream().map(FindingJson::toLine).toList();
    }

    /** Writes the JSON texts into 1–4 files of random shapes: JSON Lines, log file, array, gzipped log file. */
    private static Path writeSplit(List<String> texts, Random rnd) {
        try {
            Path dir = Files.createTempDirectory("statetrail-split");
            int files = 1 + rnd.nextInt(4);
            List<List<String>> chunks = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                chunks.add(new ArrayList<>());
            }
            texts.forEach(t -> chunks.get(rnd.nextInt(files)).add(t));
            for (int i = 0; i < files; i++) {
                List<String> chunk = chunks.get(i);
                switch (rnd.nextInt(4)) {
                    case 0 -> Files.writeString(dir.resolve(i + ".jsonl"), String.join("\n", chunk) + "\n");
                    case 1 -> Files.writeString(dir.resolve(i + ".json"), array("Records", chunk));
                    case 2 -> Files.writeString(dir.resolve(i + ".json"), array(null, chunk));
                    default -> {
                        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(i + ".json.gz")))) {
                            out.write(array("Records", chunk).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String array(String field, List<String> texts) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        texts.forEach(t -> arr.add(Json.read(t)));
        return field == null ? Json.pretty(arr) : Json.pretty(Json.object().set(field, arr));
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
