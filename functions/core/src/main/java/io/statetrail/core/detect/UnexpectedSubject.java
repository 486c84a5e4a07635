package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.WebIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * A role accepted an OIDC subject that the policy does not allow for it: the trust policy is wider than intended,
 * or the policy is out of date. Either way a workflow got credentials it should not have.
 */
public final class UnexpectedSubject implements Detection {

    @Override
    public FindingType type() {
        return FindingType.UNEXPECTED_SUBJECT;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (RoleAssumed login : e.assumptions()) {
            WebIdentity web = login.webIdentity();
            if (web == null || e.policy().roleAllows(login.roleArn(), web.subject(), web.provider())) {
                continue;
            }
            boolean covered = !e.policy().rolesFor(login.roleArn()).isEmpty();
            out.add(e.draft(type(), login)
                    .chain(e.lineage().chainOfKey(login.issuedKey(), login.meta().actor()))
                    .subject(web.subject())
                    .roleArn(login.roleArn())
                    .account(login.roleAccount() != null ? login.roleAccount() : login.meta().account())
                    .accessKeyId(login.issuedKey())
                    .detail("provider", web.provider())
                    .detail("audience", web.audience())
                    .detail("reason", covered ? "subject not in the role's allowed subjects" : "no policy entry covers this role")
                    .summary("Role " + login.roleArn() + " accepted subject " + web.subject().raw()
                            + (covered ? ", which the policy does not allow for it" : ", but no policy entry covers this role"))
                    .identity(login.issuedKey(), login.meta().callKey())
                    .build());
        }
        return out;
    }
}
