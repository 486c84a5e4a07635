package io.statetrail.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every sample run under {@code events/} replays to exactly the findings its {@code expected-findings.yaml} lists:
 * the benign runs to none. Compared on type, severity, subject, role, state key and acting key.
 */
class SampleScenariosTest {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    static Policy policy() {
        return PolicyLoader.load(EVENTS.resolve("policy.yaml"));
    }

    @TestFactory
    Stream<DynamicTest> eachScenarioGivesExactlyItsExpectedFindings() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(EVENTS.resolve("scenarios"))) {
            s.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        dirs.add(EVENTS.resolve("malformed"));
        assertTrue(dirs.size() >= 19, "scenarios found: " + dirs);
        Policy policy = policy();
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            Expected expected = Expected.read(dir.resolve("expected-findings.yaml"));
            Replay.Result result = new Replay(policy).run(List.of(dir), expected.now());
            assertEquals(expected.findings(), keys(result.findings()), dir.getFileName() + ": findings");
        }));
    }

    @Test
    void allScenariosTogetherGiveTheUnionOfTheirFindings() throws IOException {
        Policy policy = policy();
        TreeSet<String> union = new TreeSet<>();
        try (Stream<Path> s = Files.list(EVENTS.resolve("scenarios"))) {
            for (Path dir : s.filter(Files::isDirectory).toList()) {
                union.addAll(Expected.read(dir.resolve("expected-findings.yaml")).findings());
            }
        }
        union.addAll(Expected.read(EVENTS.resolve("malformed/expected-findings.yaml")).findings());
        Replay.Result result = new Replay(policy, 2, null).run(List.of(EVENTS), null);
        assertEquals(union, keys(result.findings()));
    }

    static TreeSet<String> keys(List<Finding> findings) {
        TreeSet<String> out = new TreeSet<>();
        for (Finding f : findings) {
            out.add(key(f.type(), f.severity().label(), f.subject(), f.roleArn(), f.stateKey(), f.accessKeyId()));
        }
        return out;
    }

    static String key(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            b.append(p == null ? "-" : p).append(" | ");
        }
        return b.toString();
    }

    record Expected(Instant now, TreeSet<String> findings) {
        @SuppressWarnings("unchecked")
        static Expected read(Path file) throws IOException {
            try (Reader r = Files.newBufferedReader(file)) {
                Map<String, Object> doc = new Yaml(new LoaderOptions()).load(r);
                Object now = doc.get("now");
                TreeSet<String> keys = new TreeSet<>();
                List<Map<String, Object>> findings = (List<Map<String, Object>>) doc.getOrDefault("findings", List.of());
                if (findings != null) {
                    findings.sort(Comparator.comparing(Object::toString));
                    for (Map<String, Object> f : findings) {
                        keys.add(key(f.get("type"), f.get("severity"), f.get("subject"), f.get("roleArn"), f.get("stateKey"), f.get("accessKeyId")));
                    }
                }
                return new Expected(now == null ? null : Instant.parse(now.toString()), keys);
            }
        }
    }
}
