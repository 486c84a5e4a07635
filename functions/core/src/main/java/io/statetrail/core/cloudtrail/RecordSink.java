package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.TrailEvent;

import java.util.List;

/** Where the reader sends what it found, record by record. */
public interface RecordSink {

    /** A record that matters, reduced to its events (one record may hold several, e.g. a CopyObject). */
    void relevant(String source, long line, List<TrailEvent> events);

    /** A well-formed record that does not matter to statetrail. */
    void irrelevant();

    void malformed(Malformed malformed);

    /** A digest, an Insights record or a network activity event: recognised, never evaluated (irrelevant unless counted). */
    default void skipped(Skipped kind) {
        irrelevant();
    }

    /** The raw {@code eventTime} of every record read, relevant or not. */
    default void eventTime(String raw) {
    }
}
