package io.statetrail.service.alert;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import java.util.List;

/**
 * What a destination receives: one finding, or several of the same type and key within the grouping window
 * (no alert storms), with how many there are.
 *
 * @param groupKey     type plus what the findings share (state key, role, subject)
 * @param dashboardUrl link to the finding, run or state page; may be null
 */
public record Alert(String groupKey, String type, Severity severity, List<Finding> findings, String dashboardUrl) {

    public Alert {
        findings = List.copyOf(findings);
    }

    public Finding first() {
        return findings.get(0);
    }

    public int count() {
        return findings.stream().mapToInt(Finding::count).sum();
    }
}
