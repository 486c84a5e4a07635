package io.statetrail.service.finding;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Delivery;
import io.statetrail.service.port.Deliveries;
import io.statetrail.service.port.FindingStatuses;
import io.statetrail.service.port.Findings;
import io.statetrail.service.port.Findings.StoredFinding;
import io.statetrail.service.port.Findings.Withdrawal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Replaces the findings of one evaluation unit with what its latest judgement produced, and decides what the people
 * who were paged must hear about it:
 *
 * <ul>
 *   <li>a new finding is stored with one page per destination, due when its evidence has settled ({@link Settle}); a
 *       suppressed one ({@code details.suppressedBy}, from the policy's {@code suppressions:}) is stored without pages;</li>
 *   <li>a finding that became suppressed (the policy gained an entry) has its unsent pages cancelled; a page already sent
 *       stands and is not taken back (those paged still hear of its withdrawal or resolution); one that is no longer
 *       suppressed (the entry was removed) is paged where it was not;</li>
 *   <li>a finding that changed is updated; when it was paged and what the page relied on changed (subject, run, role,
 *       severity: {@link Finding#material()}), an {@code updated} follow-up is queued to every destination that got it;</li>
 *   <li>a finding the unit no longer yields is withdrawn: if no page of it went out, it is removed and nobody hears of
 *       it (a transient verdict on partial evidence, so the table stays the same whatever the arrival order); if one did,
 *       it is kept as withdrawn with why, its unsent messages are cancelled, and a {@code withdrawn} follow-up is queued to
 *       each destination that got the page;</li>
 *   <li>a withdrawn finding that is back is reinstated: paged again if it never was, else followed up;</li>
 *   <li>a finding that now says what it was about was restored ({@code resolvedAt}: a store weakened, then restored by a
 *       later change) is resolved: a {@code resolved} follow-up goes to each destination that got the page, once.</li>
 * </ul>
 *
 * A unit whose findings describe how things are, not what happened (posture: a role's trust as IAM lists it), resolves
 * instead of withdrawing ({@link #replaceResolving}): a finding that no longer holds was true and was fixed, so those who
 * were paged hear {@code resolved} with why, in the page's thread.
 *
 * A finding an analyst judged ({@link Triage}) is reopened where new evidence is merged into it (an eventID the judgement
 * did not cover; a redelivered record is none), and one that was restored or fixed is resolved by {@code statetrail}.
 *
 * Every step is idempotent, so a batch retried after a failure at any point ends in the same state, and nothing is
 * sent twice: a follow-up is queued only when none of its kind is pending for that destination.
 */
public final class UnitFindings {

    static final String WITHDRAWN = "withdrawn";
    static final String RESOLVED = "resolved";
    static final String UPDATED = "updated";
    private static final DateTimeFormatter OWNER_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Findings store;
    private final Deliveries queue;
    private final List<String> destinations;
    private final Settle settle;
    private final Clock clock;
    private final Triage triage;

    /**
     * @param destinations every destination a new finding is paged to
     * @param clock        when a withdrawal is recorded (bookkeeping only: no finding depends on it)
     */
    public <S extends Findings & Deliveries> UnitFindings(S store, Collection<String> destinations, Settle settle, Clock clock) {
        this(store, store, store instanceof FindingStatuses s ? s : FindingStatuses.NONE, destinations, settle, clock);
    }

    public UnitFindings(Findings findings, Deliveries deliveries, Collection<String> destinations, Settle settle, Clock clock) {
        this(findings, deliveries, findings instanceof FindingStatuses s ? s : FindingStatuses.NONE, destinations, settle, clock);
    }

    /** @param statuses the analysts' triage: new evidence reopens a judged finding, a restored or fixed one is resolved */
    public UnitFindings(Findings findings, Deliveries deliveries, FindingStatuses statuses, Collection<String> destinations,
                        Settle settle, Clock clock) {
        this.store = findings;
        this.queue = deliveries;
        this.destinations = List.copyOf(new TreeSet<>(destinations));
        this.settle = settle;
        this.clock = clock;
        this.triage = new Triage(findings, statuses, deliveries, clock);
    }

    public Settle settle() {
        return settle;
    }

    /** The unit of a scope that owns findings from {@code from} (null: the whole scope is one unit). */
    public static String owner(String scope, Instant from) {
        return scope + "|" + (from == null ? "*" : OWNER_TIME.format(from));
    }

    /**
     * Replaces the findings of one unit: the scope's findings of these types with time in [from, to) that this unit
     * owns.
     *
     * @param why says why a finding the unit no longer yields was withdrawn
     * @return the findings this call created
     */
    public List<Finding> replace(String scope, Set<String> types, Instant from, Instant to, List<Finding> produced,
                                 Function<Finding, String> why) {
        return replace(scope, types, from, to, produced, why, WITHDRAWN);
    }

    /**
     * Replaces the findings of a unit that describes how things are (the whole scope is one unit): one it no longer yields
     * was fixed, and is resolved with a {@code resolved} follow-up where it was paged.
     *
     * @param why says how it was fixed
     * @return the findings this call created
     */
    public List<Finding> replaceResolving(String scope, Set<String> types, List<Finding> produced, Function<Finding, String> why) {
        return replace(scope, types, null, null, produced, why, RESOLVED);
    }

    private List<Finding> replace(String scope, Set<String> types, Instant from, Instant to, List<Finding> produced,
                                  Function<Finding, String> why, String closing) {
        String owner = owner(scope, from);
        Map<String, StoredFinding> existing = new LinkedHashMap<>();
        for (StoredFinding s : store.findingsOf(scope, types, from, to)) {
            if (owner.equals(s.owner())) {
                existing.put(s.finding().id(), s);
            }
        }
        List<Finding> created = new ArrayList<>();
        Set<String> kept = new TreeSet<>();
        for (Finding f : produced) {
            kept.add(f.id());
            StoredFinding next = new StoredFinding(f, scope, owner, null);
            StoredFinding stored = existing.containsKey(f.id()) ? existing.get(f.id()) : store.storedFinding(f.id()).orElse(null);
            if (stored == null) {
                if (store.create(next, pages(f))) {
                    created.add(f);
                    if (f.details().containsKey(RESOLVED_AT)) {
                        // Seen restored from the start (the restoring change came first): resolved, as if seen later.
                        restoredStatus(f);
                    }
                    continue;
                }
                stored = store.storedFinding(f.id()).orElseThrow(() -> new IllegalStateException("finding " + f.id() + " vanished"));
            }
            if (stored.isWithdrawn()) {
                reinstate(stored, next);
                continue;
            }
            if (same(stored, next)) {
                if (f.details().containsKey(RESOLVED_AT)) {
                    restoredStatus(f); // its status write may have failed after the finding's (a redelivery repeats it)
                }
                continue;
            }
            // One finding id can come out of two units (a long-lived key writing one state on two days): the earliest
            // version wins, whatever the order; a unit always updates its own.
            boolean mine = owner.equals(stored.owner());
            boolean earlier = f.time() != null && stored.finding().time() != null && f.time().isBefore(stored.finding().time());
            if (mine || earlier) {
                if (!stored.finding().material().equals(f.material())) {
                    followUp(f, UPDATED, null, Delivery::isPage);
                }
                if (stored.finding().suppressed() != f.suppressed()) {
                    suppressionChanged(f);
                }
                if (!stored.finding().details().containsKey(RESOLVED_AT) && f.details().containsKey(RESOLVED_AT)) {
                    resolve(f, f.details().get("resolution"));
                } else if (f.details().containsKey(RESOLVED_AT)) {
                    restoredStatus(f);
                }
                retime(stored.finding(), f);
                store.put(next);
                if (!stored.finding().eventIds().containsAll(f.eventIds())) {
                    triage.evidenceMerged(f);
                }
            }
        }
        for (StoredFinding gone : existing.values()) {
            if (!kept.contains(gone.finding().id()) && !gone.isWithdrawn()) {
                close(gone, why.apply(gone.finding()), closing);
            }
        }
        store.stillHeld(produced);
        return created;
    }

    /**
     * Its pages not yet tried become due when the finding now says (a provisional finding that became certain is due at
     * once; more evidence moves it later), so that the stored due time follows from the findings, whatever the order.
     */
    private void retime(Finding before, Finding after) {
        Instant due = settle.dueAt(after);
        if (due.equals(settle.dueAt(before))) {
            return;
        }
        for (Delivery d : queue.deliveriesOf(after.id())) {
            if ((d.isPage() || d.notice().startsWith(UPDATED + "-")) && !d.delivered() && d.attempts() == 0 && !due.equals(d.nextAttempt())) {
                queue.postpone(d, due, null);
            }
        }
    }

    /** Withdraws a finding the evidence no longer supports (the sweeper's and the ingestor's); see the class comment. */
    public void withdraw(StoredFinding gone, String reason) {
        close(gone, reason, WITHDRAWN);
    }

    /**
     * Withdraws or resolves: never paged, it leaves no trace; paged, it is kept with why (a resolved one's reason says
     * {@code resolved: …}), its unsent messages are cancelled and a follow-up of this kind goes where the page went.
     */
    private void close(StoredFinding gone, String reason, String kind) {
        Finding f = gone.finding();
        List<Delivery> deliveries = queue.deliveriesOf(f.id());
        if (deliveries.stream().noneMatch(d -> d.isPage() && d.delivered())) {
            store.delete(gone); // never sent: it leaves no trace
            return;
        }
        for (Delivery d : deliveries) {
            if (!d.delivered() && !isClosing(d.notice())) {
                queue.cancel(d); // a page or follow-up not sent yet: it will never need saying
            }
        }
        Map<String, String> details = new TreeMap<>(f.details());
        details.put(kind, reason);
        String said = RESOLVED.equals(kind) ? "Resolved: " : "Withdrawn: ";
        followUp(f.with(said + reason + ". It was: " + f.summary(), details), kind, deliveries, Delivery::isPage);
        store.put(new StoredFinding(f, gone.scope(), gone.owner(),
                new Withdrawal(clock.instant(), RESOLVED.equals(kind) ? RESOLVED + ": " + reason : reason)));
        if (RESOLVED.equals(kind)) {
            triage.resolvedByService(f, reason, clock.instant(), f.eventIds());
        }
    }

    /** A follow-up that closes a finding: {@code withdrawn-N} or {@code resolved-N}. */
    static boolean isClosing(String notice) {
        return notice.startsWith(WITHDRAWN + "-") || notice.startsWith(RESOLVED + "-");
    }

    /** Detail of a finding whose subject was restored (issue 19: a later change, or the sweeper's look at the store). */
    public static final String RESOLVED_AT = "resolvedAt";

    /**
     * Tells each destination that got the page that the finding was resolved, once per destination whoever resolved it
     * (a restoring change in the trail, or the sweeper finding the store restored); due at once.
     *
     * @param f          the finding as resolved (its details say {@code resolvedAt} and {@code resolution})
     * @param resolution what restored it, in words
     */
    public void resolve(Finding f, String resolution) {
        List<Delivery> deliveries = queue.deliveriesOf(f.id());
        Set<String> told = new TreeSet<>();
        for (Delivery d : deliveries) {
            if (d.notice().startsWith(RESOLVED)) {
                told.add(d.destination());
            }
        }
        followUp(f.with("Resolved: " + resolution + ". " + f.summary(), f.details()), RESOLVED, deliveries,
                d -> d.isPage() && !told.contains(d.destination()));
        restoredStatus(f);
    }

    private void restoredStatus(Finding f) {
        triage.restored(f, RESTORED_NOTE, restoredNote(f), resolvedAt(f));
    }

    /** How the status note of a restored finding starts. */
    private static final String RESTORED_NOTE = "restored at ";

    /**
     * The status note of a restored finding: only what does not depend on arrival order (who restored it is attributed
     * as records arrive, so {@code details.resolution} may still change; the status history must not). No evidence is
     * kept with it: late evidence of a restored finding reopens nothing ({@link Triage#evidenceMerged}).
     */
    private String restoredNote(Finding f) {
        return RESTORED_NOTE + resolvedAt(f) + "; details.resolution says by what";
    }

    /** When the finding says it was restored, else now. */
    private Instant resolvedAt(Finding f) {
        try {
            return Instant.parse(f.details().get(RESOLVED_AT));
        } catch (RuntimeException e) {
            return clock.instant();
        }
    }

    /** A withdrawn finding the unit yields again. */
    private void reinstate(StoredFinding stored, StoredFinding next) {
        // Only a finding that was paged is kept withdrawn (see withdraw).
        List<Delivery> deliveries = queue.deliveriesOf(next.finding().id());
        for (Delivery d : deliveries) {
            if (!d.delivered() && isClosing(d.notice())) {
                queue.cancel(d); // the withdrawal was never sent: nothing to take back
            }
        }
        // Told it was withdrawn (or resolved): say it holds again. Not yet told: the page stands as sent, unless it changed.
        followUp(next.finding(), UPDATED, deliveries, d -> isClosing(d.notice()) && d.delivered());
        if (!stored.finding().material().equals(next.finding().material())) {
            followUp(next.finding(), UPDATED, null, Delivery::isPage);
        }
        store.put(next);
        if (!stored.finding().eventIds().containsAll(next.finding().eventIds())) {
            triage.evidenceMerged(next.finding());
        }
    }

    /**
     * Queues a follow-up of this kind to every destination where a delivery matching {@code about} was delivered,
     * unless one of this kind is pending there already (an {@code updated} follow-up reads the finding when it is
     * sent, so one pending is enough).
     */
    private void followUp(Finding f, String kind, List<Delivery> known, java.util.function.Predicate<Delivery> about) {
        List<Delivery> deliveries = known != null ? known : queue.deliveriesOf(f.id());
        Map<String, Integer> sentOfKind = new TreeMap<>();
        Set<String> told = new TreeSet<>();
        Set<String> pending = new TreeSet<>();
        for (Delivery d : deliveries) {
            if (about.test(d) && d.delivered()) {
                told.add(d.destination());
            }
            if (d.notice().startsWith(kind + "-")) {
                sentOfKind.merge(d.destination(), 1, Integer::sum);
                if (!d.delivered()) {
                    pending.add(d.destination());
                }
            }
        }
        List<Delivery> notices = new ArrayList<>();
        for (String destination : told) {
            if (pending.contains(destination)) {
                continue;
            }
            Map<String, String> details = new TreeMap<>(f.details());
            details.put("notice", kind + "-" + (sentOfKind.getOrDefault(destination, 0) + 1));
            Finding notice = f.with(f.summary(), details);
            // An update waits for its evidence to settle like a page; a withdrawal or a resolution is said at once.
            notices.add(Delivery.queued(notice, destination, UPDATED.equals(kind) ? settle.dueAt(f) : Instant.EPOCH));
        }
        if (!notices.isEmpty()) {
            queue.enqueue(notices);
        }
    }

    /**
     * Suppressed now: its pages not yet sent are cancelled (nobody heard of it; a sent page stands, see the class
     * comment). No longer suppressed: paged where it was not; {@code enqueue} leaves the pages that exist as they are.
     */
    private void suppressionChanged(Finding f) {
        if (!f.suppressed()) {
            queue.enqueue(pages(f));
            return;
        }
        for (Delivery d : queue.deliveriesOf(f.id())) {
            if (d.isPage() && !d.delivered()) {
                queue.cancel(d);
            }
        }
    }

    /** One page per destination, due when the finding's evidence has settled; none for a suppressed finding. */
    List<Delivery> pages(Finding f) {
        if (f.suppressed()) {
            return List.of();
        }
        List<Delivery> out = new ArrayList<>();
        for (String destination : destinations) {
            out.add(Delivery.queued(f, destination, settle.dueAt(f)));
        }
        return out;
    }

    private static boolean same(StoredFinding a, StoredFinding b) {
        return a.finding().equals(b.finding()) && Objects.equals(a.owner(), b.owner()) && Objects.equals(a.scope(), b.scope())
                && !a.isWithdrawn() && !b.isWithdrawn();
    }
}
