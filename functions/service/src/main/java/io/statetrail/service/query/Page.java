package io.statetrail.service.query;

import java.util.List;

/** One page of results, newest first; {@code next} is an opaque cursor, null on the last page. */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}
