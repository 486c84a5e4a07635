package io.statetrail.core.finding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One change of a finding's status: to what, by whom (the IAM principal that signed the request in AWS, the
 * operating-system user locally, {@code statetrail} when the service itself decided), when, and the note that says
 * why (attacker-reachable text as far as any display is concerned: always escaped where shown).
 *
 * @param evidence the finding's eventIDs the person judging it had before them (sorted); not part of the JSON
 *                 contract, kept so a later record can be told apart from one already judged
 */
public record StatusChange(FindingStatus status, String by, Instant at, String note, List<String> evidence) {

    /** Who changes a status when no person did: a reopening on new evidence, a resolution the service saw. */
    public static final String SERVICE = "statetrail";
    /** Longer notes are refused rather than cut: a note is evidence of a judgement. */
    public static final int MAX_NOTE = 2000;

    public StatusChange {
        if (status == null || by == null || by.isBlank() || at == null) {
            throw new IllegalArgumentException("a status change needs a status, who and when");
        }
        note = note == null || note.isBlank() ? null : note.strip();
        if (note != null && note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("note longer than " + MAX_NOTE + " characters");
        }
        if (note == null && status.needsNote()) {
            throw new IllegalArgumentException("a note is required to mark a finding " + status.label() + ": say why");
        }
        evidence = evidence == null ? List.of() : List.copyOf(new TreeSet<>(evidence));
    }

    public StatusChange(FindingStatus status, String by, Instant at, String note) {
        this(status, by, at, note, List.of());
    }

    /**
     * The reopening that new evidence on a judged finding calls for, if any. New evidence is an eventID that was not
     * part of the finding when it was judged: a redelivered or re-judged record never reopens it. Every judgement
     * (acknowledged, resolved, false positive) covered only the evidence the analyst saw, so new evidence reopens all
     * three; a pattern the team accepts for good belongs in the policy's {@code suppressions:}.
     *
     * @param latest   the finding's status change, or null when it was never changed (open)
     * @param evidence the finding's eventIDs now, after the merge
     * @param at       when the service noticed it
     */
    public static Optional<StatusChange> reopening(StatusChange latest, Collection<String> evidence, Instant at) {
        if (latest == null || latest.status() == FindingStatus.OPEN) {
            return Optional.empty();
        }
        Set<String> seen = Set.copyOf(latest.evidence());
        List<String> fresh = new ArrayList<>();
        for (String id : new TreeSet<>(evidence)) {
            if (!seen.contains(id)) {
                fresh.add(id);
            }
        }
        if (fresh.isEmpty()) {
            return Optional.empty();
        }
        String ids = String.join(", ", fresh.subList(0, Math.min(3, fresh.size()))) + (fresh.size() > 3 ? " and " + (fresh.size() - 3) + " more" : "");
        return Optional.of(new StatusChange(FindingStatus.OPEN, SERVICE, at,
                "reopened: new evidence after it was marked " + latest.status().label() + " (" + ids + ")", List.copyOf(evidence)));
    }
}
