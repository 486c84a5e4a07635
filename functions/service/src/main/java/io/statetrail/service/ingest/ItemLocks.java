package io.statetrail.service.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks of one batch, by the item two steps of the batch could both write (issue 18): such writes read the item and
 * then write it (the earliest sighting of a session, a session's run), so two at once could lose one. Taken one at a
 * time and never nested, so steps cannot deadlock on them.
 */
final class ItemLocks {

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    void run(String item, Runnable write) {
        synchronized (locks.computeIfAbsent(item, k -> new Object())) {
            write.run();
        }
    }
}
