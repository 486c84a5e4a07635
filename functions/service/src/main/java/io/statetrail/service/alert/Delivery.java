package io.statetrail.service.alert;

import io.statetrail.core.finding.Finding;
import java.time.Instant;

/**
 * One finding, or one notice about it, to one destination ({@code sns}, {@code slack}, {@code file}). Stored with the
 * finding before any send, so a crash between store and send loses nothing and a retry never sends twice.
 *
 * @param finding     what to send: the finding as it is now (a page, an {@code updated} follow-up) or the notice's own
 *                    text ({@code details.notice}: reminders, resolutions, {@code withdrawn})
 * @param nextAttempt when it is due: for a page of a provisional finding, when its evidence has settled
 * @param delivered   accepted by the destination
 * @param ref         what the destination calls the message it accepted (Slack: channel and timestamp), or null
 * @param previous    for a follow-up: the finding as last sent to this destination, or null
 * @param threadRef   for a follow-up: {@code ref} of the page it follows, to reply in its thread, or null
 */
public record Delivery(Finding finding, String destination, int attempts, Instant nextAttempt, String lastError,
                       boolean delivered, String ref, Finding previous, String threadRef) {

    /** The page itself; reminders, resolutions and follow-ups carry another notice in {@code details.notice}. */
    public static final String RAISED = "raised";

    /** A delivery not yet attempted, due at {@code due}. */
    public static Delivery queued(Finding finding, String destination, Instant due) {
        return new Delivery(finding, destination, 0, due, null, false, null, null, null);
    }

    public Delivery(Finding finding, String destination, int attempts, Instant nextAttempt, String lastError) {
        this(finding, destination, attempts, nextAttempt, lastError, false, null, null, null);
    }

    /** {@code raised} for the page, else the notice ({@code reminder-1}, {@code resolved}, {@code withdrawn-1}, {@code updated-1}…). */
    public String notice() {
        return noticeOf(finding);
    }

    public static String noticeOf(Finding f) {
        return f.details().getOrDefault("notice", RAISED);
    }

    public boolean isPage() {
        return RAISED.equals(notice());
    }

    /** The same delivery after one more attempt was recorded (a claim). */
    public Delivery attempted(Instant next, String error) {
        return new Delivery(finding, destination, attempts + 1, next, error, delivered, ref, previous, threadRef);
    }
}
