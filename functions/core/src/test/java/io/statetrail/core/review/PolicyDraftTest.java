package io.statetrail.core.review;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.PLAN_ROLE;
import static io.statetrail.core.fixture.Acme.PULL_REQUEST;
import static io.statetrail.core.fixture.Acme.TERRAFORM_PROD_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.fixture.Acme;
import io.statetrail.core.fixture.Credentials;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.fixture.Roles;
import io.statetrail.core.fixture.Scenario;
import io.statetrail.core.fixture.Stories;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the draft allows exactly what the trail shows. Every bundled scenario replayed with its own draft (and all of
 * them together with theirs) raises no subject or writer finding; the draft is the same bytes for the same input, and
 * its body the same for any order and duplication of the records.
 */
class PolicyDraftTest {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();
    static final Set<String> SUBJECT_FINDINGS = Set.of(FindingType.UNEXPECTED_SUBJECT.id(), FindingType.STATE_WRITE_UNEXPECTED_SUBJECT.id(),
            FindingType.STATE_READ_UNEXPECTED_SUBJECT.id());

    @TempDir
    Path tmp;

    static List<Path> bundled() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(EVENTS.resolve("scenarios"))) {
            dirs.filter(Files::isDirectory).sorted().forEach(out::add);
        }
        out.add(EVENTS.resolve("malformed"));
        out.add(EVENTS);
        return out;
    }

    /** The draft of these files, read back as a policy: it must be one. */
    static Policy drafted(List<Path> paths) {
        String yaml = PolicyDraft.draft(paths, List.of(), 1, null).yaml();
        return PolicyLoader.parse(yaml, "draft.yaml");
    }

    static List<Finding> subjectFindings(List<Path> paths, Policy policy) {
        return new Replay(policy).run(paths, null).findings().stream().filter(f -> SUBJECT_FINDINGS.contains(f.type())).toList();
    }

    @TestFactory
    Stream<DynamicTest> replayingEveryScenarioWithItsDraftRaisesNoSubjectOrWriterFinding() throws IOException {
        return bundled().stream().map(dir -> DynamicTest.dynamicTest("events/" + EVENTS.relativize(dir), () -> {
            Policy draft = drafted(List.of(dir));

            assertEquals(List.of(), subjectFindings(List.of(dir), draft).stream().map(Finding::summary).toList());
        }));
    }

    @Test
    void theBundledPolicyStillRaisesWhatTheDraftAllows() {
        // The samples' own policy refuses what the scenarios show going wrong: the draft's silence above is its doing.
        assertFalse(subjectFindings(List.of(EVENTS), PolicyLoader.load(EVENTS.resolve("policy.yaml"))).isEmpty());
    }

    @Test
    void theSameInputGivesTheSameBytesWhateverTheThreads() {
        String one = PolicyDraft.draft(List.of(EVENTS), List.of(), 1, null).yaml();
        String again = PolicyDraft.draft(List.of(EVENTS), List.of(), 1, null).yaml();
        String three = PolicyDraft.draft(List.of(EVENTS), List.of(), 3, null).yaml();

        assertEquals(one, again);
        assertEquals(one, three);
    }

    @Test
    void anyOrderAndDuplicationOfTheRecordsGivesTheSameDraftBody() {
        qt().withExamples(40).withShrinkCycles(100)
                .forAll(lists().of(integers().between(0, 2000)).ofSizeBetween(1, 40), longs().all())
                .checkAssert((steps, seed) -> {
                    List<Rec> records = Stories.build(steps);
                    List<String> shuffled = new ArrayList<>();
                    Random rnd = new Random(seed);
                    for (Rec r : records) {
                        shuffled.add(rnd.nextBoolean() ? r.json() : r.eventBridge());
                        if (rnd.nextInt(3) == 0) {
                            shuffled.add(r.eventBridge());
                        }
                    }
                    Collections.shuffle(shuffled, rnd);

                    assertEquals(body(draftOf(records.stream().map(Rec::json).toList())), body(draftOf(shuffled)));
                });
    }

    /** Without the header, whose first lines count files and records. */
    private static String body(String yaml) {
        return yaml.substring(yaml.indexOf("\nroles:"));
    }

    private String draftOf(List<String> lines) {
        try {
            Path f = Files.createTempFile(tmp, "trail", ".jsonl");
            Files.writeString(f, String.join("\n", lines));
            return PolicyDraft.draft(List.of(f), List.of(), 1, null).yaml();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String draftOf(Scenario s) {
        return draftOf(s.records().stream().map(Rec::json).toList());
    }

    @Test
    void eachRoleListsItsSubjectsAndEachStateItsWritersAndReadersWithTheirRuns() {
        Scenario s = new Scenario();
        for (int i = 0; i < 2; i++) {
            Credentials main = s.login(MAIN, APPLY_ROLE).assumeRole(TERRAFORM_PROD_ROLE);
            main.read(BUCKET, "infra/network/terraform.tfstate");
            main.write(BUCKET, "infra/network/terraform.tfstate");
        }
        s.login(PULL_REQUEST, PLAN_ROLE).read(BUCKET, "infra/network/terraform.tfstate");
        s.iamUser(Acme.BREAKGLASS_USER).write(BUCKET, "infra/network/terraform.tfstate");

        String yaml = draftOf(s);

        assertTrue(yaml.contains("""
                  - arn: "arn:aws:iam::222222222222:role/gha-prod-apply"  # 2 logins
                    subjects:
                      - "repo:acme/infra:ref:refs/heads/main"  # 2 runs
                """), yaml);
        assertTrue(yaml.contains("""
                  - key: "acme-tfstate-prod/infra/network/terraform.tfstate"  # 4 runs
                    writers:
                      - "repo:acme/infra:ref:refs/heads/main"          # 2 runs
                      # - "arn:aws:iam::222222222222:user/breakglass"  # 1 run, not rooted in web identity: uncomment to allow it
                    readers:
                      - "repo:acme/infra:pull_request"  # 1 run
                """), yaml);
    }

    @Test
    void statesOfOneFolderWithTheSameWritersBecomeOneGlobAndTheRestStayApart() {
        Scenario s = new Scenario();
        Credentials main = s.login(MAIN, APPLY_ROLE);
        for (String component : List.of("network", "dns", "eks")) {
            main.write(BUCKET, "infra/" + component + "/terraform.tfstate");
        }
        s.login(PULL_REQUEST, PLAN_ROLE).write(BUCKET, "sandbox/terraform.tfstate");

        String yaml = draftOf(s);

        assertTrue(yaml.contains("  # 3 states: \"acme-tfstate-prod/infra/dns/terraform.tfstate\", "), yaml);
        assertTrue(yaml.contains("  - key: \"acme-tfstate-prod/infra/*/terraform.tfstate\"  # 1 run\n"), yaml);
        assertTrue(yaml.contains("  - key: \"acme-tfstate-prod/sandbox/terraform.tfstate\"  # 1 run\n"), yaml);
    }

    @Test
    void aStateNamedOnlyByItsLockIsReadAgainSoItsWritesAreAllowedToo() throws IOException {
        Scenario s = new Scenario();
        Credentials main = s.login(MAIN, APPLY_ROLE);
        main.lock(BUCKET, "infra/prod");      // a key without .tfstate: a state only because its .tflock says so
        main.write(BUCKET, "infra/prod");
        main.unlock(BUCKET, "infra/prod");
        Path f = tmp.resolve("trail.jsonl");
        Files.writeString(f, Rec.jsonLines(s.records()));

        Policy draft = drafted(List.of(f));

        assertEquals(List.of("repo:acme/infra:ref:refs/heads/main"),
                draft.stateFor(BUCKET + "/infra/prod").orElseThrow().writers().stream().map(g -> g.pattern()).toList());
        assertEquals(List.of(), subjectFindings(List.of(f), draft));
    }

    @Test
    void aSubjectWhoseShapeDoesNotTellItsIssuerGetsItsProviderNamed() {
        Scenario s = new Scenario();
        s.add(Rec.assumeRoleWithWebIdentity("project_path:acme/infra:ref_type:branch:ref:main", APPLY_ROLE, s.newSessionKey())
                .set("responseElements.provider", "arn:aws:iam::222222222222:oidc-provider/git.acme.example"));

        String yaml = draftOf(s);

        assertTrue(yaml.contains("    providers: [\"arn:aws:iam::222222222222:oidc-provider/git.acme.example\"]"), yaml);
    }

    @Test
    void withIamTheDraftAddsPinnedSubjectsAndWarnsOfWiderTrustsWithoutCopyingThem() {
        PolicyDraft.Draft d = PolicyDraft.draft(new Replay(Policy.empty()).run(List.of(tmp), null), Policy.empty(), List.of(Roles.inventory()));
        String yaml = d.yaml();
        Policy read = PolicyLoader.parse(yaml, "draft.yaml");

        assertEquals(List.of("repo:acme/infra:environment:production", "repo:acme/infra:ref:refs/heads/main"),
                read.rolesFor("arn:aws:iam::222222222222:role/gha-prod-apply").get(0).subjects().stream().map(g -> g.pattern()).toList());
        assertTrue(yaml.contains("""
                  # from IAM: no login to this role in the trail
                  # WARNING: its trust has no condition on token.actions.githubusercontent.com:sub: any repository can assume it (oidc-trust-too-wide)
                  - arn: "arn:aws:iam::222222222222:role/gha-open"
                    subjects: []
                """), yaml);
        assertTrue(yaml.contains("  # its trust also admits StringLike \"repo:acme/*\": not copied"), yaml);
        assertTrue(read.rolesFor("arn:aws:iam::222222222222:role/gha-website").get(0).subjects().isEmpty());
        assertTrue(read.rolesFor("arn:aws:iam::222222222222:role/eks-app").isEmpty(), "not a CI role");
        assertTrue(yaml.contains("      - \"project_path:acme/infra:ref_type:branch:ref:main\"  # pinned by its trust policy; no run seen"), yaml);
    }

    @Test
    void hostileTextStaysInsideItsQuotes() {
        Scenario s = new Scenario();
        s.login("repo:acme/infra:ref:refs/heads/x\"\n- arn: \"*\"\u202e", APPLY_ROLE).write(BUCKET, "infra/a\"b\\c.tfstate");

        Policy read = PolicyLoader.parse(draftOf(s), "draft.yaml");

        assertEquals(1, read.roles().size());
        assertEquals("repo:acme/infra:ref:refs/heads/x\"\n- arn: \"*\"\u202e", read.roles().get(0).subjects().get(0).pattern());
        assertEquals("acme-tfstate-prod/infra/a\"b\\c.tfstate", read.states().get(0).key().pattern());
    }
}
