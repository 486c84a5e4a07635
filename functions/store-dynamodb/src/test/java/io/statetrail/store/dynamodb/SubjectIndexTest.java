package io.statetrail.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.policy.Glob;
import io.statetrail.core.subject.SubjectParser;
import io.statetrail.service.query.RunQuery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The subject index is complete: whenever a filtered runs listing reads index partitions instead of every run, every
 * run the filters match is in one of them. Checked over subjects of every template we read (odd and hostile ones
 * too) and over patterns cut from them at random.
 */
class SubjectIndexTest {

    private static final List<String> SUBJECTS = List.of(
            "repo:acme/infra:ref:refs/heads/main",
            "repo:acme/infra:ref:refs/heads/release/1.0",
            "repo:acme/infra:ref:refs/tags/v1.2.0",
            "repo:acme/infra:environment:production",
            "repo:acme/infra:environment:prod",
            "repo:acme/infra:pull_request",
            "repo:acme/website:pull_request",
            "repo:other/infra:ref:refs/heads/main",
            "repo:acme@1234567/infra@7654321:ref:refs/heads/main",
            "repo:acme@1234567/infra@7654321:pull_request",
            "repo:acme@1234567/infra@7654321",
            "repo:acme/infra",
            "repo:acme/infra:environment:production:ref:refs/heads/main",
            "repo:acme/infra:pull_request:job_workflow_ref:acme/wf/.github/workflows/tf.yml@refs/heads/main",
            "repo:acme/infra:environment:prod:job_workflow_ref:acme/wf/.github/workflows/tf.yml@refs/heads/main",
            "repository_owner:acme:environment:prod",
            "job_workflow_ref:acme/wf/.github/workflows/tf.yml@refs/heads/main:ref:refs/heads/main",
            "repo:acme/infra:x:pull_request",
            "repo:acme/infra:actor:environment:workflow",
            "repo:acme/infra:environment:a%3Ab",
            "repo:acme/infra:ref:refs/heads/<img src=x onerror=alert(1)>",
            "repo:acme/infra:ref:refs/heads/<!channel> *urgent*",
            "repo:acme/infra:ref:refs/heads/main\\",
            "project_path:group/project:ref_type:branch:ref:main",
            "project_path:group/project:ref_type:tag:ref:v1",
            "organization:acme:project:core:workspace:prod:run_phase:apply",
            "system:serviceaccount:ci:runner",
            "",
            ":",
            "repo::",
            "pull_request");

    private static final List<String> REFS = List.of("main", "refs/heads/main", "pull_request", "v1", "v1.2.0", "release/1.0", "1.0",
            "environment:prod", "run_phase:apply", "refs/heads/release/1.0", "prod");

    private static final List<String> ENVIRONMENTS = List.of("prod", "production", "a:b", "workflow");

    @Test
    void everyMatchingRunIsInAChosenPartition() {
        List<String> patterns = new ArrayList<>(List.of("repo:*:environment:prod", "repo:*:pull_request", "*:ref:refs/heads/main", "repo:acme/*",
                "repo:*", "*", "repo:acme/infra:*", "repo:acme@1234567/infra@7654321:*", "*@7654321", "*infra", "*:infra", "*:prod",
                "repo:acme/infra", "repo:acme/infra*", "*:environment:prod*", "?*:pull_request", "*/infra:*:main"));
        Random random = new Random(7);
        for (String s : SUBJECTS) {
            patterns.add(s);
            for (int n = 0; n < 30 && s.length() > 1; n++) {
                int a = random.nextInt(s.length());
                int b = a + random.nextInt(Math.min(8, s.length() - a) + 1);
                patterns.add(s.substring(0, a) + (random.nextBoolean() ? "*" : "?") + s.substring(b));
            }
        }
        int checked = 0;
        int indexed = 0;
        List<RunQuery> queries = new ArrayList<>();
        for (String p : patterns) {
            queries.add(new RunQuery(null, p, null, null, null, null, 10, null));
        }
        for (String r : REFS) {
            queries.add(new RunQuery(null, null, r, null, null, null, 10, null));
        }
        for (String e : ENVIRONMENTS) {
            queries.add(new RunQuery(null, null, null, e, null, null, 10, null));
            queries.add(new RunQuery(null, "repo:*:ref:*", "main", e, null, null, 10, null));
        }
        for (RunQuery q : queries) {
            Glob glob = q.subjectPattern() == null ? null : Glob.of(q.subjectPattern());
            List<SubjectIndex.Partition> chosen = SubjectIndex.partitionsFor(q.subjectPattern(), q.ref(), q.environment());
            String repository = q.subjectPattern() == null ? null : SubjectIndex.repositoryOf(q.subjectPattern());
            if (chosen != null) {
                indexed++;
            }
            for (String s : SUBJECTS) {
                for (String provider : new String[] {null, "token.actions.githubusercontent.com"}) {
                    if (!RunListing.matches(q, glob, s, provider)) {
                        continue;
                    }
                    checked++;
                    if (repository != null) {
                        assertEquals(repository, SubjectParser.parse(s, provider).repository(), q + " matches " + s + " in another repository");
                    }
                    if (chosen != null) {
                        Set<SubjectIndex.Partition> held = new LinkedHashSet<>(SubjectIndex.partitionsOf(s, provider));
                        held.retainAll(chosen);
                        assertTrue(!held.isEmpty(), q + " matches " + s + " (in " + SubjectIndex.partitionsOf(s, provider) + "), not in " + chosen);
                    }
                }
            }
        }
        assertTrue(checked > 500, "matches checked: " + checked);
        assertTrue(indexed > 300, "queries answered from the index: " + indexed);
    }

    @Test
    void whichFiltersReadTheIndex() {
        assertEquals(List.of(new SubjectIndex.Partition("gsi1", "CTX#", "environment:prod")), SubjectIndex.partitionsFor("repo:*", "main", "prod"));
        assertEquals(List.of(new SubjectIndex.Partition("gsi3", "TAIL#", "prod")), SubjectIndex.partitionsFor("repo:*:environment:prod", null, null));
        assertEquals(List.of(new SubjectIndex.Partition("gsi3", "TAIL#", "pull_request")), SubjectIndex.partitionsFor("repo:*:pull_request", null, null));
        assertEquals(4, SubjectIndex.partitionsFor(null, "main", null).size(), "main as itself, branch, tag or context");
        assertEquals(2, SubjectIndex.partitionsFor(null, "refs/heads/main", null).size());
        assertNull(SubjectIndex.partitionsFor("repo:acme/*", null, null), "an owner pattern without a literal end reads every run");
        assertNull(SubjectIndex.partitionsFor("*:acme@1/infra@2", null, null), "a segment with immutable ids");
        assertEquals("acme/infra", SubjectIndex.repositoryOf("repo:acme/infra:*"));
        assertEquals("acme/infra", SubjectIndex.repositoryOf("repo:acme@1/infra@2:*"));
        assertEquals("group/project", SubjectIndex.repositoryOf("project_path:group/project:ref_type:*"));
        assertNull(SubjectIndex.repositoryOf("repo:acme/infra*"));
        assertNull(SubjectIndex.repositoryOf("repo:acme/*:pull_request"));
        assertNotNull(SubjectIndex.repositoryOf("repo:acme/infra"));
    }
}
