package io.statetrail.service.alert;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import java.util.List;

/**
 * What a destination receives: one finding, or several of the same type and key within the grouping window
 * (no alert storms), with how many there are.
 *
 * A follow-up ({@code withdrawn-N}, {@code resolved-N}, {@code updated-N} in the finding's {@code details.notice}) is always one finding,
 * with what was last sent about it and where.
 *
 * @param groupKey     type plus what the findings share (state key, role, subject)
 * @param dashboardUrl link to the finding, run or state page; may be null
 * @param previous     for a follow-up: the finding as last sent to this destination; else null
 * @param threadRef    for a follow-up: the destination's name for the page it follows (reply in its thread); else null
 */
public record Alert(String groupKey, String type, Severity severity, List<Finding> findings, String dashboardUrl,
                    Finding previous, String threadRef) {

    public Alert {
        findings = List.copyOf(findings);
    }

    public Alert(String groupKey, String type, Severity severity, List<Finding> findings, String dashboardUrl) {
        this(groupKey, type, severity, findings, dashboardUrl, null, null);
    }

    /** {@code raised} for a page; else the notice kind without its number: {@code withdrawn}, {@code updated}, {@code reminder}, {@code resolved}. */
    public String notice() {
        String n = Delivery.noticeOf(first());
        int dash = n.lastIndexOf('-');
        return dash > 0 && n.substring(dash + 1).chars().allMatch(Character::isDigit) ? n.substring(0, dash) : n;
    }

    /** A follow-up about a page that went out: withdrawn, resolved (posture: the role was fixed) or updated. */
    public boolean isFollowUp() {
        return "withdrawn".equals(notice()) || "updated".equals(notice()) || isResolution();
    }

    /** An analyst's (or the service's) change of the finding's status ({@code status-N}): said in the page's thread, never paged. */
    public boolean isStatusChange() {
        return "status".equals(notice());
    }

    /**
     * A finding that was true and was fixed ({@code resolved-N}, posture); not the sweeper's {@code resolved} notice of a
     * released lock, which is no follow-up.
     */
    public boolean isResolution() {
        return Delivery.noticeOf(first()).startsWith("resolved-");
    }

    /**
     * For an {@code updated} follow-up: what changed since the last message, in {@link Finding#material()} order (a
     * finding that was withdrawn and holds again says so first, as field {@code withdrawn}); empty for anything else.
     */
    public List<Change> changes() {
        if (previous == null || !"updated".equals(notice())) {
            return List.of();
        }
        List<String> names = List.of("severity", "subject", "runKey", "roleArn", "stateKey", "accessKeyId");
        List<String> before = previous.material();
        List<String> after = first().material();
        List<Change> out = new java.util.ArrayList<>();
        for (String closed : List.of("withdrawn", "resolved")) {
            if (previous.details().containsKey(closed) && !first().details().containsKey(closed)) {
                out.add(new Change(closed, closed, "holds again"));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (!java.util.Objects.equals(before.get(i), after.get(i))) {
                out.add(new Change(names.get(i), before.get(i), after.get(i)));
            }
        }
        return out;
    }

    /** One field of a finding that changed since the last message; null values were unknown. */
    public record Change(String field, String before, String after) {
    }

    public Finding first() {
        return findings.get(0);
    }

    public int count() {
        return findings.stream().mapToInt(Finding::count).sum();
    }
}
