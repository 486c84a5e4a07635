package io.statetrail.service.ingest;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.record.Malformed;
import java.util.List;

/** What one message did: how many records, how many mattered, duplicates, what could not be read, new findings. */
public record IngestResult(int records, int relevant, int duplicates, List<Malformed> malformed, List<Finding> newFindings) {
    public IngestResult {
        malformed = List.copyOf(malformed);
        newFindings = List.copyOf(newFindings);
    }

    public boolean poisoned() {
        return !malformed.isEmpty() && relevant == 0 && records <= malformed.size();
    }
}
