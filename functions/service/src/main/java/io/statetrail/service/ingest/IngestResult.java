package io.statetrail.service.ingest;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.event.TrailEvent;
import java.util.List;

/**
 * What one message did: how many records, how many mattered, duplicates, what could not be read, new findings, the
 * relevant calls read from it (each a record's events, for log lines and lock reads), and why it failed when it must
 * be delivered again ({@code null} when it is done).
 */
public record IngestResult(int records, int relevant, int duplicates, List<Malformed> malformed, List<Finding> newFindings,
        List<List<TrailEvent>> calls, RuntimeException failure) {
    public IngestResult {
        malformed = List.copyOf(malformed);
        newFindings = List.copyOf(newFindings);
        calls = List.copyOf(calls);
    }

    public boolean poisoned() {
        return !malformed.isEmpty() && relevant == 0 && records <= malformed.size();
    }
}
