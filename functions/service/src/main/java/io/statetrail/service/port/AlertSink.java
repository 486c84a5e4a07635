package io.statetrail.service.port;

import io.statetrail.service.alert.Alert;

/** A destination for alerts: SNS, Slack, a local file. */
public interface AlertSink {

    /** Stable name, used as the delivery destination key: {@code sns}, {@code slack}, {@code file}. */
    String name();

    /**
     * Sends one alert; throws on failure (the dispatcher retries later, never twice after a success).
     *
     * @return what the destination calls the message it accepted (a Slack message's channel and timestamp), so that
     *         follow-ups can reply in its thread; null when it has no such name
     */
    String send(Alert alert) throws AlertException;

    /**
     * A failed send; {@code retryable} false for permanent errors (bad webhook URL), which are still recorded.
     * A sink that sends one message per finding (SNS) names the findings it did send before failing in
     * {@code delivered}, so the dispatcher records them as delivered and retries only the others.
     */
    final class AlertException extends Exception {
        private final boolean retryable;
        private final java.util.Set<String> delivered;

        public AlertException(String message, boolean retryable, Throwable cause) {
            this(message, retryable, cause, java.util.Set.of());
        }

        public AlertException(String message, boolean retryable, Throwable cause, java.util.Set<String> delivered) {
            super(message, cause);
            this.retryable = retryable;
            this.delivered = java.util.Set.copyOf(delivered);
        }

        public boolean retryable() {
            return retryable;
        }

        /** Ids of the alert's findings that did reach the destination before the failure. */
        public java.util.Set<String> delivered() {
            return delivered;
        }
    }
}
