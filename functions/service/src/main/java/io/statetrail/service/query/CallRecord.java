package io.statetrail.service.query;

import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.TrailEvent;
import java.util.List;

/**
 * One stored call as the evidence shows it: the copy the store keeps ({@code Trail.prefer}), the eventID of every copy
 * seen, and that copy's CloudTrail record with its secrets removed ({@code RecordRedaction}).
 *
 * @param callKey  {@link EventMeta#callKey()}
 * @param eventIds every copy's eventID, sorted
 * @param events   what statetrail read from the kept copy
 * @param record   the kept copy's record minus secrets, as compact JSON; null when it was not kept (stored before
 *                 records were kept, or too large to keep)
 */
public record CallRecord(String callKey, List<String> eventIds, List<TrailEvent> events, String record) {

    public CallRecord {
        eventIds = List.copyOf(eventIds);
        events = List.copyOf(events);
    }

    public EventMeta meta() {
        return events.get(0).meta();
    }
}
