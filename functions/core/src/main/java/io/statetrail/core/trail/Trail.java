package io.statetrail.core.trail;

import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.TrailEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The set of relevant events seen so far, one entry per API call however often and in however many accounts it
 * was delivered. Everything statetrail concludes is a function of this set, never of arrival order.
 */
public final class Trail {

    /** What adding a record did. */
    public enum Added { NEW, DUPLICATE, OTHER_COPY }

    /** One API call: the events of its preferred copy, and the eventIDs of every copy seen. */
    public record Call(List<TrailEvent> events, TreeSet<String> eventIds) {
        public EventMeta meta() {
            return events.get(0).meta();
        }
    }

    public static final Comparator<TrailEvent> CHRONOLOGICAL = Comparator
            .comparing((TrailEvent e) -> e.meta().time())
            .thenComparing(e -> e.meta().eventId())
            .thenComparing(e -> e.meta().recipientAccountId() == null ? "" : e.meta().recipientAccountId())
            .thenComparing(TrailEvent::kind);

    private final Map<String, Call> calls = new HashMap<>();

    /** Adds the events of one record (all share one {@link EventMeta}). */
    public Added add(List<TrailEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events");
        }
        EventMeta meta = events.get(0).meta();
        Call existing = calls.get(meta.callKey());
        if (existing == null) {
            TreeSet<String> ids = new TreeSet<>();
            ids.add(meta.eventId());
            calls.put(meta.callKey(), new Call(List.copyOf(events), ids));
            return Added.NEW;
        }
        boolean sameCopy = existing.eventIds().contains(meta.eventId());
        existing.eventIds().add(meta.eventId());
        boolean replace;
        if (existing.meta().eventId().equals(meta.eventId())) {
            // The same record delivered again, possibly corrected (a CloudTrail addendum): keep one version,
            // chosen by content so that it does not depend on which arrived first.
            replace = !events.equals(existing.events()) && events.toString().compareTo(existing.events().toString()) > 0;
        } else {
            replace = prefer(meta, existing.meta());
        }
        if (replace) {
            calls.put(meta.callKey(), new Call(List.copyOf(events), existing.eventIds()));
        }
        return sameCopy ? Added.DUPLICATE : Added.OTHER_COPY;
    }

    /**
     * Of two copies of one call, keep the one that says more about the caller (the caller account's copy carries
     * the access key; the other account's copy only an {@code AWSAccount} identity). Ties go to the smaller eventID,
     * so the choice never depends on which copy came first.
     */
    public static boolean prefer(EventMeta candidate, EventMeta current) {
        int a = richness(candidate), b = richness(current);
        if (a != b) {
            return a > b;
        }
        return candidate.eventId().compareTo(current.eventId()) < 0;
    }

    private static int richness(EventMeta m) {
        return (m.actor().accessKeyId() != null ? 2 : 0) + (m.actor().arn() != null ? 1 : 0);
    }

    public int size() {
        return calls.size();
    }

    /** All events, oldest first (ties broken by eventID, so the order is the same for any arrival order). */
    public List<TrailEvent> events() {
        List<TrailEvent> out = new ArrayList<>(calls.size());
        for (Call c : calls.values()) {
            out.addAll(c.events());
        }
        out.sort(CHRONOLOGICAL);
        return out;
    }

    /** The eventIDs of every copy of the call this event belongs to. */
    public List<String> eventIdsOf(TrailEvent event) {
        Call c = calls.get(event.meta().callKey());
        return c == null ? List.of(event.meta().eventId()) : List.copyOf(c.eventIds());
    }

    public Iterable<Call> calls() {
        return calls.values();
    }
}
