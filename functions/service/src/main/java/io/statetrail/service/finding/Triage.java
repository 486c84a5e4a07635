package io.statetrail.service.finding;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingStatus;
import io.statetrail.core.finding.StatusChange;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.Deliveries;
import io.statetrail.service.port.FindingStatuses;
import io.statetrail.service.port.Findings;
import io.statetrail.service.port.Findings.StoredFinding;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A finding's status: an analyst's judgement (acknowledged, resolved, false positive, open again), or the service's own
 * (reopened on new evidence, resolved when what it was about was restored or fixed). Each change is kept in the
 * finding's history and announced, never as a page: a {@code status-N} notice goes to each destination the page went
 * to except the pager ({@code sns}), so Slack hears it in the page's thread and EventBridge gets the finding JSON with
 * its new status. A finding whose page has not gone out is not announced: nobody has heard of it yet.
 */
public final class Triage {

    /** The notice of the N-th status change: {@code status-N}. */
    public static final String NOTICE = "status";
    /** Destinations that page people: a status change is not a page. */
    static final Set<String> PAGERS = Set.of("sns");

    private final Findings findings;
    private final FindingStatuses statuses;
    private final Deliveries queue;
    private final Clock clock;

    public Triage(Findings findings, FindingStatuses statuses, Deliveries queue, Clock clock) {
        this.findings = findings;
        this.statuses = statuses;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Records a person's judgement of a finding and announces it.
     *
     * @param by   who: the IAM principal that signed the request, or the operating-system user
     * @return the finding as it is now, with its latest status; empty when there is no such finding
     * @throws IllegalArgumentException when the change is not valid (no note where one is needed, note too long)
     */
    public Optional<Finding> change(String findingId, FindingStatus status, String by, String note) {
        Optional<StoredFinding> stored = findings.storedFinding(findingId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Finding shown = Findings.shown(stored.get());
        StatusChange c = new StatusChange(status, by, clock.instant(), note, shown.eventIds());
        return Optional.of(record(shown, c));
    }

    /** Every status change of a finding, oldest first. */
    public List<StatusChange> history(String findingId) {
        return statuses.statusHistory(findingId);
    }

    /** The finding with its latest status change, as people see it. */
    public Finding withStatus(Finding f) {
        List<StatusChange> h = statuses.statusHistory(f.id());
        return h.isEmpty() ? f : f.withStatus(h.get(h.size() - 1));
    }

    /**
     * Called where new evidence is merged into a finding: reopens it when it was judged and the evidence now holds an
     * eventID the judgement did not cover ({@link StatusChange#reopening}); a redelivered record changes nothing, and
     * neither does late evidence of a finding that says it was restored.
     */
    void evidenceMerged(Finding merged) {
        if (merged.details().containsKey(UnitFindings.RESOLVED_AT)) {
            // What it was about was restored (issue 19): evidence arriving late is from before the fix and reopens
            // nothing, so the status is the same whichever came first, the restoring change or the late record.
            return;
        }
        StatusChange latest = latest(merged.id());
        StatusChange.reopening(latest, merged.eventIds(), clock.instant()).ifPresent(c -> record(merged, c));
    }

    /**
     * What the finding was about was restored or fixed (issue 19's restored store, issue 16's posture closure): its
     * status says {@code resolved} by {@code statetrail} with how, unless a person closed it already. The caller sends
     * the {@code resolved} follow-up; this change is not announced again as a status change.
     */
    void resolvedByService(Finding f, String how, Instant at, List<String> evidence) {
        StatusChange latest = latest(f.id());
        if (latest != null && (latest.status() == FindingStatus.RESOLVED || latest.status() == FindingStatus.FALSE_POSITIVE)) {
            return;
        }
        // Not announced: every service resolution goes with a resolved follow-up to each destination that got the page,
        // which says it already; a status-N notice besides would tell Slack twice.
        StatusChange c = new StatusChange(FindingStatus.RESOLVED, StatusChange.SERVICE, at, how == null || how.isBlank() ? "resolved" : how,
                evidence);
        statuses.recordStatus(f.id(), c);
    }

    /**
     * A restored finding (issue 19) is resolved by {@code statetrail} once. Asked on every pass over it, not only when it
     * is created or turns restored: its status is written after the finding, so a status write that failed (throttling)
     * is made when the record is redelivered, and the history is the same whichever way it went.
     *
     * @param how the note, starting with {@code restoredPrefix}, that marks the service's restored resolution
     */
    void restored(Finding f, String restoredPrefix, String how, Instant at) {
        for (StatusChange c : statuses.statusHistory(f.id())) {
            if (c.status() == FindingStatus.RESOLVED && StatusChange.SERVICE.equals(c.by()) && c.note().startsWith(restoredPrefix)) {
                return;
            }
        }
        resolvedByService(f, how, at, List.of());
    }

    private StatusChange latest(String findingId) {
        List<StatusChange> h = statuses.statusHistory(findingId);
        return h.isEmpty() ? null : h.get(h.size() - 1);
    }

    private Finding record(Finding f, StatusChange c) {
        statuses.recordStatus(f.id(), c);
        Finding now = f.withStatus(c);
        int n = statuses.statusHistory(f.id()).size();
        if (n > 0) { // 0: a store that keeps no status, so nothing to announce
            announce(now, n);
        }
        return now;
    }

    /** One {@code status-N} notice per destination that got the page, the pager excepted; due at once. */
    private void announce(Finding f, int n) {
        Set<String> paged = new TreeSet<>();
        for (Delivery d : queue.deliveriesOf(f.id())) {
            if (d.isPage() && d.delivered() && !PAGERS.contains(d.destination())) {
                paged.add(d.destination());
            }
        }
        if (paged.isEmpty()) {
            return;
        }
        Map<String, String> details = new TreeMap<>(f.details());
        details.put("notice", NOTICE + "-" + n);
        Finding notice = f.with(f.summary(), details);
        List<Delivery> out = new ArrayList<>();
        for (String destination : paged) {
            out.add(Delivery.queued(notice, destination, Instant.EPOCH));
        }
        queue.enqueue(out);
    }
}
