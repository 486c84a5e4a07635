package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.TrailEvent;
import java.util.List;

/** Drops the first {@code skip} calls (already made by the fast path), then passes everything on. */
final class SkippingSink implements RecordSink {
    private final RecordSink sink;
    private long skip;

    SkippingSink(RecordSink sink, long skip) {
        this.sink = sink;
        this.skip = skip;
    }

    private boolean pass() {
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    @Override
    public void relevant(String source, long line, List<TrailEvent> events) {
        if (pass()) {
            sink.relevant(source, line, events);
        }
    }

    @Override
    public void irrelevant() {
        if (pass()) {
            sink.irrelevant();
        }
    }

    @Override
    public void malformed(Malformed malformed) {
        if (pass()) {
            sink.malformed(malformed);
        }
    }

    @Override
    public void eventTime(String raw) {
        if (pass()) {
            sink.eventTime(raw);
        }
    }

    @Override
    public void skipped(Skipped kind) {
        if (pass()) {
            sink.skipped(kind);
        }
    }
}
