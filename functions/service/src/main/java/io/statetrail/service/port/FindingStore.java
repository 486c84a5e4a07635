package io.statetrail.service.port;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Delivery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The findings the service raised and what was sent about them: each finding with the evaluation unit that owns it,
 * and one delivery per destination and notice (the page itself, reminders, resolutions, follow-ups). Every method is
 * idempotent. What to create, update, withdraw or follow up is decided by {@code service.finding.UnitFindings}; this
 * port only keeps it.
 */
public interface FindingStore {

    /**
     * A finding as stored.
     *
     * @param scope     the evaluation scope that produced it ({@code state:<key>}, {@code login:<key>}…)
     * @param owner     the unit within that scope ({@code scope|from}): a unit replaces only its own findings
     * @param withdrawn why it no longer holds, or null while it does
     */
    record StoredFinding(Finding finding, String scope, String owner, Withdrawal withdrawn) {

        public boolean isWithdrawn() {
            return withdrawn != null;
        }
    }

    /** A finding that later evidence no longer supports: when that was decided, and why. */
    record Withdrawal(Instant at, String reason) {
    }

    /**
     * Stored findings of one scope with time in [from, to) (null bounds: any time) and one of these types, withdrawn
     * ones included.
     */
    List<StoredFinding> findingsOf(String scope, Set<String> types, Instant from, Instant to);

    /** Times of the findings {@link #findingsOf} would return, withdrawn ones excluded (a cheap "is there any"). */
    List<Instant> findingTimes(String scope, Set<String> types, Instant from, Instant to);

    /** One finding by id, whatever its scope, withdrawn or not. */
    Optional<StoredFinding> storedFinding(String id);

    /** One finding by id, whatever its scope; a withdrawn one says why ({@link #shown}). */
    default Optional<Finding> finding(String id) {
        return storedFinding(id).map(FindingStore::shown);
    }

    /** A finding as people see it: a withdrawn one carries why and since when in {@code details.withdrawn(At)}. */
    static Finding shown(StoredFinding s) {
        if (!s.isWithdrawn()) {
            return s.finding();
        }
        java.util.Map<String, String> details = new java.util.TreeMap<>(s.finding().details());
        details.put("withdrawn", s.withdrawn().reason());
        if (s.withdrawn().at() != null) {
            details.put("withdrawnAt", s.withdrawn().at().toString());
        }
        return s.finding().with(s.finding().summary(), details);
    }

    /**
     * Creates a finding together with its deliveries, atomically: no failure can leave a finding that no destination
     * will hear of. False, and nothing written, when a finding with its id exists.
     */
    boolean create(StoredFinding finding, List<Delivery> deliveries);

    /** Replaces a stored finding: more evidence, another attribution, withdrawn or back. */
    void put(StoredFinding finding);

    /** Removes a finding that was never sent anywhere and no longer holds, with every delivery of it. */
    void delete(StoredFinding finding);

    /**
     * Their unit still yields these findings (called after every replacement): an implementation that keeps indexes of
     * findings beside them repairs what a crash between two writes left behind.
     */
    default void stillHeld(Collection<Finding> findings) {
    }

    /** Every delivery of one finding (each destination, the page and every notice), delivered ones included. */
    List<Delivery> deliveriesOf(String findingId);

    /** Queues deliveries; one that exists (same finding, destination and notice) is left as it is. */
    void enqueue(Collection<Delivery> deliveries);

    /** Removes a delivery that was not delivered (its finding was withdrawn, or the notice became moot). */
    void cancel(Delivery delivery);

    /**
     * Deliveries that are not delivered and due at {@code now} ({@link Delivery#nextAttempt()} not after it). A page
     * or follow-up carries the finding as it is now; a notice the sweeper wrote carries its own text. {@link
     * Delivery#previous()} and {@link Delivery#threadRef()} say what was last sent about the finding to that
     * destination and where.
     */
    List<Delivery> dueDeliveries(Instant now, int limit);

    /**
     * Records the outcome of one delivery attempt; {@code delivered} is conditional so no destination gets it twice.
     * The write is conditional on the stored delivery being undelivered and still having {@code delivery.attempts()}
     * attempts (it then stores one more); otherwise it changes nothing and returns false. The dispatcher relies on
     * this to claim a delivery before sending it, so two dispatchers running at once never both send it.
     *
     * @param ref what the destination calls the message it accepted (a Slack message's channel and timestamp), kept
     *            so follow-ups can reply in its thread; may be null
     */
    boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt, String ref);

    default boolean recordDelivery(Delivery delivery, boolean delivered, String error, Instant nextAttempt) {
        return recordDelivery(delivery, delivered, error, nextAttempt, null);
    }

    /**
     * Makes an undelivered delivery due again at {@code until} without counting an attempt (its finding's evidence has
     * not settled yet); conditional like {@link #recordDelivery}, false when it changed meanwhile.
     */
    boolean postpone(Delivery delivery, Instant until, String note);

    /**
     * When an alert of this group ({@link io.statetrail.service.alert.AlertDispatcher#groupKey}) last went to this
     * destination, so findings arriving in later dispatches within the window are grouped too. Empty when never, or
     * when the store does not keep it (findings are then grouped only within one dispatch).
     */
    default Optional<Instant> lastAlerted(String destination, String groupKey) {
        return Optional.empty();
    }

    /** Remembers that an alert of this group went to this destination at {@code at} (kept at least one window). */
    default void alerted(String destination, String groupKey, Instant at) {
    }
}
