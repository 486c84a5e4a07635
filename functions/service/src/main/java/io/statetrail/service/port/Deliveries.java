package io.statetrail.service.port;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Delivery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What is sent about findings: one delivery per finding, destination and notice (the page itself, reminders,
 * resolutions, follow-ups), queued before anything is sent, claimed, and recorded once delivered, with the name the
 * destination gave the message (to reply in its thread). Every method is idempotent.
 */
public interface Deliveries {

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
