package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.TrailEvent;
import java.util.List;

/** Counts every call it passes on (how many the log-file fast path made before it gave up). */
final class CountingSink implements RecordSink {
    private final RecordSink sink;
    long calls;

    CountingSink(RecordSink sink) {
        this.sink = sink;
    }

    @Override
    public void relevant(String source, long line, List<TrailEvent> events) {
        calls++;
        sink.relevant(source, line, events);
    }

    @Override
    public void irrelevant() {
        calls++;
        sink.irrelevant();
    }

    @Override
    public void malformed(Malformed malformed) {
        calls++;
        sink.malformed(malformed);
    }

    @Override
    public void eventTime(String raw) {
        calls++;
        sink.eventTime(raw);
    }

    @Override
    public void skipped(Skipped kind) {
        calls++;
        sink.skipped(kind);
    }
}
