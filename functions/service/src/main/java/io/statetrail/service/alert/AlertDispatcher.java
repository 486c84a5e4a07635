package io.statetrail.service.alert;

import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.AuditStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends due deliveries: groups findings of the same type and key within the window into one alert with a count,
 * sends to each sink, records the outcome; failed sends are retried later with backoff, and a delivered finding is
 * never sent to the same destination again.
 */
public final class AlertDispatcher {

    private final AuditStore store;
    private final List<AlertSink> sinks;
    private final Duration groupWindow;
    private final String dashboardUrl;

    public AlertDispatcher(AuditStore store, List<AlertSink> sinks, Duration groupWindow, String dashboardUrl) {
        this.store = store;
        this.sinks = List.copyOf(sinks);
        this.groupWindow = groupWindow;
        this.dashboardUrl = dashboardUrl;
    }

    public DispatchResult dispatchDue(Instant now) {
        throw new UnsupportedOperationException("being written");
    }

    /** What one dispatch did. */
    public record DispatchResult(int alertsSent, int findingsDelivered, int failures) {
    }
}
