package io.statetrail.store.dynamodb;

import static io.statetrail.store.dynamodb.TableAccess.*;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Hop;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import io.statetrail.store.dynamodb.Items.CallItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import io.statetrail.store.dynamodb.Items.LockItem;
import io.statetrail.store.dynamodb.Items.RunSummaryItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;

import static io.statetrail.store.dynamodb.Paging.*;

/**
 * The runs listing ({@code AuditQueries.runs}): the run summaries, newest first, found through the subject index, the
 * subject catalogue or the run index, whichever reads least for the filter.
 */
final class RunListing {

    private final TableAccess table;
    private final RunSummaries runSummaries;
    private final SubjectCatalogue subjects;

    RunListing(TableAccess table, RunSummaries runSummaries, SubjectCatalogue subjects) {
        this.table = table;
        this.runSummaries = runSummaries;
        this.subjects = subjects;
    }

    /** Run listings without a start look back this many months (the retention, 400 days, rounded up). */
    static final int MAX_MONTHS = 14;

    /** Runs one activity query follows at most. */
    static final int MAX_RUNS = 500;

    /** Root sessions read per request while listing runs: enough for a page of runs after filtering, usually. */
    static final int RUNS_PAGE = 100;

    /** @param run a run computed in full from its calls, for one whose summary is not written yet */
    Page<RunSummary> runs(RunQuery q, java.util.function.Function<String, Optional<RunDetail>> run) {
        Glob pattern = q.subjectPattern() == null ? null : Glob.of(q.subjectPattern());
        String repository = q.repository() != null ? q.repository() : pattern == null ? null : SubjectIndex.repositoryOf(pattern.pattern());
        // Only once every summary is indexed: a table an older version wrote is listed from the run index meanwhile.
        if (repository == null && (q.subjectPattern() != null || q.ref() != null || q.environment() != null) && subjects.complete()) {
            List<SubjectIndex.Partition> partitions = SubjectIndex.partitionsFor(q.subjectPattern(), q.ref(), q.environment());
            if (partitions == null && pattern != null) {
                partitions = subjects.partitionsFor(pattern);
            }
            if (partitions != null) {
                return indexedRuns(q, pattern, partitions);
            }
        }
        int limit = limit(q.limit());
        String after = decode(q.cursor());
        List<CallItem> roots = new ArrayList<>();
        String lo = q.from() == null ? null : Keys.timeSk(q.from(), "");
        for (Iterator<CallItem> it = rootSessions(repository, q.from(), q.to(), after, LISTED); it.hasNext() && roots.size() <= limit; ) {
            CallItem s = it.next();
            if (lo != null && s.gsi3sk != null && s.gsi3sk.compareTo(lo) < 0) {
                break;
            }
            if (matches(q, pattern, s.rootSubject, s.rootProvider)) {
                roots.add(s);
            }
        }
        boolean more = roots.size() > limit;
        List<CallItem> listed = roots.subList(0, Math.min(limit, roots.size()));
        Map<String, RunSummaryItem> summaries = runSummaries.get(listed.stream().map(s -> s.issuedKey).toList());
        List<RunSummary> out = new ArrayList<>();
        for (CallItem s : listed) {
            RunSummaryItem summary = summaries.get(s.issuedKey);
            if (summary != null) {
                out.add(listed(s.issuedKey, s.rootSubject, s.rootProvider, s.time, summary));
            } else {
                run.apply(s.issuedKey).ifPresent(d -> out.add(d.summary())); // summarised on its next call; computed meanwhile
            }
        }
        String next = more ? encode(runSortKey(roots.get(limit - 1))) : null;
        return new Page<>(out, next);
    }

    /** The subject filters of a runs listing (the repository is the index read). */
    static boolean matches(RunQuery q, Glob pattern, String rootSubject, String rootProvider) {
        if (pattern == null && q.ref() == null && q.environment() == null) {
            return true;
        }
        Subject subject = rootSubject == null ? null : SubjectParser.parse(rootSubject, rootProvider);
        return subject != null
                && (pattern == null || Policy.subjectMatches(pattern, subject))
                && (q.ref() == null || refMatches(q.ref(), subject))
                && (q.environment() == null || q.environment().equals(subject.environment()));
    }

    /**
     * Runs listed from the subject index ({@link SubjectIndex}): the summaries of the chosen partitions merged newest
     * first; a run in several of them is read once. A run not summarised yet is not listed until it is.
     */
    private Page<RunSummary> indexedRuns(RunQuery q, Glob pattern, List<SubjectIndex.Partition> partitions) {
        int limit = limit(q.limit());
        String lo = q.from() == null ? null : Keys.timeSk(q.from(), "");
        String hi = min(q.to() == null ? null : Keys.timeSk(q.to(), ""), decode(q.cursor()));
        List<Iterator<RunSummaryItem>> sources = new ArrayList<>();
        for (SubjectIndex.Partition p : partitions) {
            sources.add(runSummaries.listed(p, hi));
        }
        List<RunSummaryItem> found = new ArrayList<>();
        String previous = null;
        for (Iterator<RunSummaryItem> it = newestFirst(sources, RunListing::summarySortKey); it.hasNext() && found.size() <= limit; ) {
            RunSummaryItem s = it.next();
            String sk = summarySortKey(s);
            if (lo != null && sk.compareTo(lo) < 0) {
                break;
            }
            if (!sk.equals(previous) && matches(q, pattern, s.rootSubject, s.rootProvider)) {
                found.add(s);
            }
            previous = sk;
        }
        boolean more = found.size() > limit;
        List<RunSummary> out = new ArrayList<>();
        for (RunSummaryItem s : found.subList(0, Math.min(limit, found.size()))) {
            out.add(listed(s.runKey, s.rootSubject, s.rootProvider, s.rootAt, s));
        }
        String next = more ? encode(summarySortKey(found.get(limit - 1))) : null;
        return new Page<>(out, next);
    }

    /** A listed run from its root session's subject and time and its summary item; equal to {@code run(key).summary()} (tested). */
    private static RunSummary listed(String runKey, String rootSubject, String rootProvider, String rootTime, RunSummaryItem summary) {
        Subject parsed = rootSubject == null ? null : SubjectParser.parse(rootSubject, rootProvider);
        Instant started = summary.firstAt != null ? Keys.instant(summary.firstAt) : Keys.instant(rootTime);
        Instant last = summary.lastAt != null ? Keys.instant(summary.lastAt) : started;
        return new RunSummary(runKey, rootSubject, parsed == null ? null : parsed.repository(),
                parsed == null ? null : parsed.ref(), parsed == null ? null : parsed.environment(), started, last,
                sorted(summary.roles), sorted(summary.accounts), sorted(summary.states),
                summary.findingIds == null ? 0 : summary.findingIds.size(),
                StoredClaims.read(summary.claims, rootProvider, parsed == null ? null : parsed.repository()));
    }

    private static List<String> sorted(Set<String> values) {
        return values == null ? List.of() : List.copyOf(new TreeSet<>(values));
    }

    private static String summarySortKey(RunSummaryItem summary) {
        return Keys.timeSk(Keys.instant(summary.rootAt), summary.runKey);
    }

    static String runSortKey(CallItem session) {
        return Keys.timeSk(Keys.instant(session.time), session.issuedKey);
    }

    /** The ref itself ({@code refs/heads/main}), a branch or tag by name ({@code main}), or the context ({@code pull_request}). */
    private static boolean refMatches(String ref, Subject s) {
        return ref.equals(s.ref()) || ref.equals(s.context())
                || s.ref() != null && !ref.startsWith("refs/") && (s.ref().equals("refs/heads/" + ref) || s.ref().equals("refs/tags/" + ref));
    }

    /** What listing a root session needs: not its copies (most of its size). */
    private static final List<String> LISTED = List.of(AuditTable.PK, AuditTable.SK, "issuedKey", "time", "runKey", "rootSubject",
            "rootProvider", "gsi3sk");

    /**
     * Root sessions newest first: of one repository (its logins), or of every run month by month.
     *
     * @param attributes the attributes to read (all when empty)
     */
    Iterator<CallItem> rootSessions(String repository, Instant from, Instant to, String before, List<String> attributes) {
        if (repository != null) {
            // The index sorts logins by time and call key; runs page by time and session key, like the month index:
            // read newest first, and reorder the logins of each instant (the cursor's instant included).
            String hi = to == null ? null : Keys.timeSk(to, "");
            if (before != null) {
                hi = min(hi, before.substring(0, before.indexOf('#') + 1) + "~");
            }
            Iterator<CallItem> logins = TableAccess.streamIndex(table.calls, "gsi1", Keys.BY_REPO + repository,
                    from == null ? null : Keys.timeSk(from, ""), hi, false, RUNS_PAGE, attributes);
            return new SameInstantSorted(logins, before);
        }
        Instant end = to != null ? to : table.clock.instant().plusSeconds(86400);
        YearMonth month = YearMonth.from(end.atZone(ZoneOffset.UTC));
        YearMonth first = from != null ? YearMonth.from(from.atZone(ZoneOffset.UTC)) : month.minusMonths(MAX_MONTHS);
        String hi = min(Keys.timeSk(end, ""), before);
        return new Iterator<>() {
            YearMonth current = month;
            Iterator<CallItem> page = List.<CallItem>of().iterator();

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !current.isBefore(first)) {
                    page = TableAccess.streamIndex(table.calls, "gsi3", Keys.RUNS + current, null, hi, false, RUNS_PAGE, attributes);
                    current = current.minusMonths(1);
                }
                return page.hasNext();
            }

            @Override
            public CallItem next() {
                hasNext();
                return page.next();
            }
        };
    }

    /** Newest first by run sort key, from an iterator newest first by time only; skips keys at or after {@code before}. */
    private static final class SameInstantSorted implements Iterator<CallItem> {
        private final Iterator<CallItem> source;
        private final String before;
        private final java.util.ArrayDeque<CallItem> ready = new java.util.ArrayDeque<>();
        private CallItem peeked;

        SameInstantSorted(Iterator<CallItem> source, String before) {
            this.source = source;
            this.before = before;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && (peeked != null || source.hasNext())) {
                List<CallItem> instant = new ArrayList<>();
                CallItem first = peeked != null ? peeked : source.next();
                peeked = null;
                instant.add(first);
                while (source.hasNext()) {
                    CallItem next = source.next();
                    if (!next.time.equals(first.time)) {
                        peeked = next;
                        break;
                    }
                    instant.add(next);
                }
                instant.sort(Comparator.comparing(RunListing::runSortKey).reversed());
                for (CallItem i : instant) {
                    if (before == null || runSortKey(i).compareTo(before) < 0) {
                        ready.add(i);
                    }
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public CallItem next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.poll();
        }
    }
}
