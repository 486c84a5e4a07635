package io.statetrail.service.query;

import io.statetrail.core.finding.Finding;
import java.util.List;

/** A run in full: its hops root first, each with what it did, and its findings. */
public record RunDetail(RunSummary summary, List<Hop> hops, List<Finding> findings) {
}
