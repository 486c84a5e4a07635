package io.statetrail.service.port;

import io.statetrail.service.alert.Alert;

/** A destination for alerts: SNS, Slack, a local file. */
public interface AlertSink {

    /** Stable name, used as the delivery destination key: {@code sns}, {@code slack}, {@code file}. */
    String name();

    /** Sends one alert; throws on failure (the dispatcher retries later, never twice after a success). */
    void send(Alert alert) throws AlertException;

    /** A failed send; {@code retryable} false for permanent errors (bad webhook URL), which are still recorded. */
    final class AlertException extends Exception {
        private final boolean retryable;

        public AlertException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
