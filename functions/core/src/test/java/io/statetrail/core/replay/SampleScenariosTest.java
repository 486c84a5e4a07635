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
            // Details an expected finding lists (a stale lock's verdict, where credentials were used) are exact too.
            for (Finding f : result.findings()) {
                Map<String, String> wanted = expected.details().getOrDefault(keys(List.of(f)).first(), Map.of());
                wanted.forEach((k, v) -> assertEquals(v, f.details().get(k), dir.getFileName() + ": " + f.type() + " details." + k));
            }
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
        assertEquals(io.statetrail.core.fixture.SampleFindings.COUNT, result.findings().size(),
                "what the other modules' tests count the samples' findings by (SampleFindings)");
    }

    /** run-claims-from-configure-aws-credentials: every claim of the run, each with where it came from, and its page. */
    @Test
    void theTaggedRunClaimsItsGithubRunWithTheSourceOfEachClaim() {
        Replay.Result result = new Replay(policy()).run(List.of(EVENTS.resolve("scenarios/run-claims-from-configure-aws-credentials")), null);
        var evaluation = io.statetrail.core.detect.Evaluation.of(result.trail(), policy(), Instant.parse("2026-11-20T02:00:00Z"));
        var chain = evaluation.lineage().chainOfKey("ASIAW6NHX2PAZHKMPY3C", io.statetrail.core.event.Actor.UNKNOWN);

        Map<String, String> claims = chain.claimDetails();

        assertEquals(Map.ofEntries(
                Map.entry("claims.runId", "19354027231"), Map.entry("claims.runId.source", "tag:RunId"),
                Map.entry("claims.runAttempt", "2"), Map.entry("claims.runAttempt.source", "userAgent"),
                Map.entry("claims.workflow", "Deploy platform _prod_"), Map.entry("claims.workflow.source", "tag:Workflow"),
                Map.entry("claims.actor", "octocat"), Map.entry("claims.actor.source", "tag:Actor"),
                Map.entry("claims.commit", "9fceb02d0ae598e95dc970b74767f19372d61af8"), Map.entry("claims.commit.source", "tag:Commit"),
                Map.entry("claims.branch", "refs/heads/main"), Map.entry("claims.branch.source", "tag:Branch"),
                Map.entry("claims.repository", "acme/platform"), Map.entry("claims.repository.source", "tag:Repository"),
                Map.entry("claims.url", "https://github.com/acme/platform/actions/runs/19354027231/attempts/2")), claims);
        assertEquals(List.of(), chain.claims().others("runId"), "the tag and the user agents agree");
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

    /** @param details per finding key, the details it must have (as listed under {@code details:}) */
    record Expected(Instant now, TreeSet<String> findings, Map<String, Map<String, String>> details) {
        @SuppressWarnings("unchecked")
        static Expected read(Path file) throws IOException {
            try (Reader r = Files.newBufferedReader(file)) {
                Map<String, Object> doc = new Yaml(new LoaderOptions()).load(r);
                Object now = doc.get("now");
                TreeSet<String> keys = new TreeSet<>();
                Map<String, Map<String, String>> details = new java.util.HashMap<>();
                List<Map<String, Object>> findings = (List<Map<String, Object>>) doc.getOrDefault("findings", List.of());
                if (findings != null) {
                    findings.sort(Comparator.comparing(Object::toString));
                    for (Map<String, Object> f : findings) {
                        String key = key(f.get("type"), f.get("severity"), f.get("subject"), f.get("roleArn"), f.get("stateKey"), f.get("accessKeyId"));
                        keys.add(key);
                        if (f.get("details") instanceof Map<?, ?> d) {
                            Map<String, String> wanted = new java.util.TreeMap<>();
                            d.forEach((k, v) -> wanted.put(String.valueOf(k), String.valueOf(v)));
                            details.put(key, wanted);
                        }
                    }
                }
                return new Expected(now == null ? null : Instant.parse(now.toString()), keys, details);
            }
        }
    }
}
