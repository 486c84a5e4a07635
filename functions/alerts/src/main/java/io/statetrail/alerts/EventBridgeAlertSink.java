package io.statetrail.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.port.AlertSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes each finding of an alert (a new finding, a follow-up, a reminder) to an EventBridge bus as its own event:
 * {@code source} {@code statetrail}, {@code detail-type} {@code statetrail finding}, the finding's JSON as
 * {@code detail}, so teams route findings with their own rules (PagerDuty, Jira, Security Hub, a SIEM). Entries that
 * EventBridge refuses are reported as not delivered, so only they are retried.
 */
public final class EventBridgeAlertSink implements AlertSink {

    public static final String NAME = "eventbridge";
    public static final String SOURCE = "statetrail";
    public static final String DETAIL_TYPE = "statetrail finding";
    /** PutEvents takes at most 10 entries per request. */
    static final int MAX_ENTRIES = 10;
    /** An entry (detail, detail-type, source, resources) may be 256 KiB: stay well under it. */
    static final int MAX_DETAIL_BYTES = 240 * 1024;

    private final Supplier<EventBridgeClient> events;
    private final String busName;

    /** @param busName the bus's name or ARN ({@code default} is the account's default bus) */
    public EventBridgeAlertSink(Supplier<EventBridgeClient> events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String send(Alert alert) throws AlertException {
        BatchedSend.send("EventBridge", "PutEvents", "events", alert.findings(), MAX_ENTRIES, batch -> {
            List<PutEventsResultEntry> results = events.get().putEvents(request(batch)).entries();
            // Entries answer in request order; a failed one has an error code and no event id.
            List<BatchedSend.Refusal> refused = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                PutEventsResultEntry r = i < results.size() ? results.get(i) : null;
                if (r == null) {
                    refused.add(new BatchedSend.Refusal(i, "no result", true));
                } else if (r.errorCode() != null || r.eventId() == null) {
                    refused.add(new BatchedSend.Refusal(i, r.errorCode() + ": " + r.errorMessage(), retryable(r.errorCode())));
                }
            }
            return refused;
        });
        return null;
    }

    /** The exact request for up to ten findings: what the tests pin. */
    public PutEventsRequest request(List<Finding> findings) {
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (Finding f : findings) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(SOURCE)
                    .detailType(DETAIL_TYPE)
                    .detail(detail(f))
                    .build());
        }
        return PutEventsRequest.builder().entries(entries).build();
    }

    /** The finding's JSON; strings cut (and {@code "truncated": true}) when it would not fit in an event. */
    static String detail(Finding f) {
        ObjectNode o = FindingJson.toJson(f);
        String text = AlertJson.write(o);
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_DETAIL_BYTES) {
            return text;
        }
        AlertJson.cut(o);
        o.put("truncated", true);
        return AlertJson.write(o);
    }

    /** Throttling and EventBridge's own faults pass; a refused entry (access, bad argument) needs an operator. */
    static boolean retryable(String errorCode) {
        return errorCode == null || errorCode.contains("Throttl") || errorCode.equals("InternalFailure") || errorCode.equals("InternalException");
    }
}
