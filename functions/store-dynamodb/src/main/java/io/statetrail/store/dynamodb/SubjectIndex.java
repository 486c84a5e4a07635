package io.statetrail.store.dynamodb;

import io.statetrail.core.policy.Glob;
import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a run summary is listed by its root subject, so that a runs listing filtered by environment, ref or a subject
 * pattern with a wildcard repository reads the runs that can match, not every run. A summary is in up to three index
 * partitions, each sorted by the run's sort key (root session time, run key):
 * <ul>
 *   <li>{@code gsi1} {@code CTX#<context>}: the parsed {@link Subject#context()} (an environment, the pull-request
 *       flag, else the ref or event kind);</li>
 *   <li>{@code gsi2} {@code REF#<ref>}: the parsed ref, also when an environment hides it from the context
 *       (customized subject templates carry both);</li>
 *   <li>{@code gsi3} {@code TAIL#<last segment>}: the text after the last colon of the subject (GitHub's immutable ids
 *       removed), which serves any pattern whose literal end holds a colon, whatever template made it.</li>
 * </ul>
 * The partitions are not split by month, unlike the run index: a listing with few or no matches is then one request
 * per partition, and a summary is written about once per run, far below a partition's write rate.
 * Every partition chosen for a query holds every run the query can match (a test checks it over many subjects and
 * patterns); the listing still applies every filter to what it reads.
 */
final class SubjectIndex {

    static final String CONTEXT = "CTX#";
    static final String REF = "REF#";
    static final String TAIL = "TAIL#";

    /** One index partition. */
    record Partition(String index, String prefix, String value) {
        String key() {
            return prefix + value;
        }
    }

    private SubjectIndex() {
    }

    /** The partitions a run with this root subject is listed under: index name to partition key. */
    static List<Partition> partitionsOf(String rawSubject, String provider) {
        List<Partition> out = new ArrayList<>();
        if (rawSubject == null || rawSubject.isEmpty()) {
            return out;
        }
        Subject s = SubjectParser.parse(rawSubject, provider);
        if (s.context() != null) {
            out.add(new Partition("gsi1", CONTEXT, s.context()));
        }
        if (s.ref() != null) {
            out.add(new Partition("gsi2", REF, s.ref()));
        }
        out.add(new Partition("gsi3", TAIL, lastSegment(s.withoutImmutableIds())));
        return out;
    }

    /**
     * The partitions whose union holds every run matching these filters, or null when no index is complete for them
     * (then the listing reads every run of the time range).
     */
    static List<Partition> partitionsFor(String subjectPattern, String ref, String environment) {
        if (environment != null) {
            return List.of(new Partition("gsi1", CONTEXT, "environment:" + environment));
        }
        if (subjectPattern != null) {
            String tail = tailOf(subjectPattern);
            if (tail != null) {
                return List.of(new Partition("gsi3", TAIL, tail));
            }
        }
        if (ref != null) {
            // the ref filter: the ref itself, a branch or tag of that name, or the context (e.g. pull_request)
            Set<Partition> out = new LinkedHashSet<>();
            out.add(new Partition("gsi2", REF, ref));
            if (!ref.startsWith("refs/")) {
                out.add(new Partition("gsi2", REF, "refs/heads/" + ref));
                out.add(new Partition("gsi2", REF, "refs/tags/" + ref));
            }
            out.add(new Partition("gsi1", CONTEXT, ref));
            return List.copyOf(out);
        }
        return null;
    }

    /**
     * The last segment every subject this pattern matches must end with, or null: the text after the last colon of the
     * pattern's literal end (after its last wildcard), when that end holds a colon. A segment with {@code @} is refused,
     * as it could be a repository with immutable ids, which the index keeps without them.
     */
    static String tailOf(String pattern) {
        int wildcard = Math.max(pattern.lastIndexOf('*'), pattern.lastIndexOf('?'));
        String literalEnd = pattern.substring(wildcard + 1);
        int colon = literalEnd.lastIndexOf(':');
        if (colon < 0 || pattern.startsWith("arn:")) {
            return null;
        }
        String segment = literalEnd.substring(colon + 1);
        return segment.indexOf('@') >= 0 ? null : segment;
    }

    /**
     * The one repository every subject this pattern matches names, or null: {@code repo:owner/name:…} (or a GitLab
     * {@code project_path:}) written out up to the colon after it, immutable ids removed.
     */
    static String repositoryOf(String pattern) {
        for (String claim : List.of("repo:", "project_path:")) {
            if (!pattern.startsWith(claim)) {
                continue;
            }
            int end = pattern.indexOf(':', claim.length());
            String value = end < 0 ? pattern.substring(claim.length()) : pattern.substring(claim.length(), end);
            if (value.isEmpty() || !Glob.of(value).isLiteral() || value.indexOf('/') < 0 || (end < 0 && !Glob.of(pattern).isLiteral())) {
                return null;
            }
            return SubjectParser.parse(claim + value).repository();
        }
        return null;
    }

    private static String lastSegment(String raw) {
        return raw.substring(raw.lastIndexOf(':') + 1);
    }
}
