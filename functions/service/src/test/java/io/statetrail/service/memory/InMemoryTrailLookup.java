package io.statetrail.service.memory;

import io.statetrail.service.port.TrailLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudTrail's {@code LookupEvents} in memory: the management events it holds, found by the access key they issued and
 * their time, as the sweeper asks for a session's missing issuing event. It counts the lookups.
 */
public final class InMemoryTrailLookup implements TrailLookup {

    private record Held(String issuedKey, Instant time, String json) {
    }

    private final List<Held> events = new ArrayList<>();
    private int lookups;

    /** CloudTrail holds this record, which issued {@code issuedKey} at {@code time}. */
    public synchronized void holds(String issuedKey, Instant time, String json) {
        events.add(new Held(issuedKey, time, json));
    }

    public synchronized int lookups() {
        return lookups;
    }

    @Override
    public synchronized List<String> issuingEvents(String accessKeyId, Instant from, Instant to) {
        lookups++;
        return events.stream().filter(e -> e.issuedKey().equals(accessKeyId) && !e.time().isBefore(from) && !e.time().isAfter(to))
                .map(Held::json).toList();
    }
}
