package io.statetrail.service.query;

import io.statetrail.core.finding.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The questions asked during incident review, answered with queries (never scans) on the audit table. Shared by the
 * HTTP API (local server and Lambda), the CLI and the dashboard.
 */
public interface AuditQueries {

    /** The run containing this session, root first, with each hop's activity; empty when the key is unknown. */
    Optional<RunDetail> lineage(String accessKeyId);

    Page<RunSummary> runs(RunQuery query);

    Optional<RunDetail> run(String runKey);

    /** Reads, writes, deletes, locks of one state, newest first. */
    Page<Activity> stateTimeline(String stateKey, Instant from, Instant to, int limit, String cursor);

    /** Activity of a repository ({@code owner/repo}) or subject glob, newest first. */
    Page<Activity> activity(String repositoryOrSubjectPattern, Instant from, Instant to, int limit, String cursor);

    List<OpenLock> openLocks();

    /** Findings newest first, each with its latest status change ({@link Finding#statusChange()}). */
    Page<Finding> findings(FindingQuery query);

    /** One finding with its latest status change. */
    Optional<Finding> finding(String id);

    /** Every status change of a finding, oldest first; empty when it was never changed (open). */
    default List<io.statetrail.core.finding.StatusChange> statusHistory(String findingId) {
        return List.of();
    }

    /**
     * The stored call whose kept copy has this eventID, with its CloudTrail record minus secrets: a finding's evidence.
     * Same answer as {@code Calls.call}.
     */
    Optional<CallRecord> call(String eventId);
}
