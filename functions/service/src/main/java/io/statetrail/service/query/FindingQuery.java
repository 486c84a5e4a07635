package io.statetrail.service.query;

import io.statetrail.core.finding.FindingStatus;
import io.statetrail.core.finding.Severity;
import java.time.Instant;
import java.util.Set;

/**
 * Filters for findings; null means any. {@code statuses} keeps findings whose triage status is one of them (empty: any). {@code minSeverity} keeps that severity and above. Withdrawn findings (paged,
 * then no longer supported once late records arrived) are left out unless asked for; they come with
 * {@code details.withdrawn} (why) and {@code details.withdrawnAt}.
 */
public record FindingQuery(Instant from, Instant to, String type, Severity minSeverity, String repository, String stateKey,
                           String runKey, int limit, String cursor, Withdrawn withdrawn, Set<FindingStatus> statuses) {

    /** Which findings to list: those that hold ({@code exclude}, the default), all ({@code include}), or only withdrawn ones. */
    public enum Withdrawn {
        EXCLUDE, INCLUDE, ONLY;

        public boolean keeps(boolean isWithdrawn) {
            return this == INCLUDE || (this == ONLY) == isWithdrawn;
        }
    }

    public FindingQuery {
        withdrawn = withdrawn == null ? Withdrawn.EXCLUDE : withdrawn;
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    public FindingQuery(Instant from, Instant to, String type, Severity minSeverity, String repository, String stateKey,
                        String runKey, int limit, String cursor, Withdrawn withdrawn) {
        this(from, to, type, minSeverity, repository, stateKey, runKey, limit, cursor, withdrawn, Set.of());
    }

    /** Whether a finding with this status is asked for. */
    public boolean keepsStatus(FindingStatus status) {
        return statuses.isEmpty() || statuses.contains(status);
    }

    public FindingQuery(Instant from, Instant to, String type, Severity minSeverity, String repository, String stateKey,
                        String runKey, int limit, String cursor) {
        this(from, to, type, minSeverity, repository, stateKey, runKey, limit, cursor, Withdrawn.EXCLUDE);
    }
}
