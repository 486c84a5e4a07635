package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.event.RoleAssumptionFailed;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refused {@code AssumeRoleWithWebIdentity} calls: someone is trying subjects (or tokens) against our roles.
 * configure-aws-credentials retries, so one failing job makes a burst: repeats of one subject and role on the
 * same UTC day are one finding with a count.
 */
public final class WebIdentityDenied implements Detection {

    @Override
    public FindingType type() {
        return FindingType.WEB_IDENTITY_DENIED;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        Map<List<String>, List<RoleAssumptionFailed>> groups = new LinkedHashMap<>();
        for (RoleAssumptionFailed f : e.failedAssumptions()) {
            if (!"AssumeRoleWithWebIdentity".equals(f.method())) {
                continue;
            }
            String subject = f.webIdentity() == null ? "" : f.webIdentity().subject().raw();
            String day = f.meta().time().atZone(ZoneOffset.UTC).toLocalDate().toString();
            groups.computeIfAbsent(List.of(subject, String.valueOf(f.roleArn()), day), k -> new ArrayList<>()).add(f);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<RoleAssumptionFailed>> g : groups.entrySet()) {
            List<RoleAssumptionFailed> attempts = g.getValue();
            RoleAssumptionFailed first = attempts.get(0);
            FindingDraft d = e.draft(type(), first).roleArn(first.roleArn()).accessKeyId(null).count(attempts.size());
            if (first.webIdentity() != null) {
                d.subject(first.webIdentity().subject()).detail("provider", first.webIdentity().provider());
            }
            attempts.forEach(d::also);
            String who = first.webIdentity() == null ? "an unknown subject" : first.webIdentity().subject().raw();
            out.add(d.detail("errorCode", first.meta().errorCode())
                    .detail("day", g.getKey().get(2))
                    .summary(attempts.size() + " refused web-identity login" + (attempts.size() == 1 ? "" : "s") + " by " + who
                            + " into " + (first.roleArn() == null ? "an unknown role" : first.roleArn()) + " (" + first.meta().errorCode() + ")")
                    .identity(g.getKey().toArray(String[]::new))
                    .build());
        }
        return out;
    }
}
