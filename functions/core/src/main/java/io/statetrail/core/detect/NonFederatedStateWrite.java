package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Origin;
import io.statetrail.core.event.StateAccess;
import java.util.List;

/**
 * A state object or its lock changed by a principal that did not come through web identity: an IAM user's
 * long-lived key, the root user, a SAML session, a role session an AWS service opened (a CI server's instance
 * profile), or a role chained from one of them. Long-lived keys leak; the point of OIDC is that nothing else writes
 * state. An {@code arn:} writer entry (readers too, for the lock) allows a break-glass principal. Calls AWS services
 * make themselves ({@code userIdentity.type} AWSService: replication, backup) are not flagged.
 */
public final class NonFederatedStateWrite implements Detection {

    @Override
    public FindingType type() {
        return FindingType.NON_FEDERATED_STATE_WRITE;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        return RunGroups.of(e, (s, chain) -> {
                    if (!chain.origin().isNonFederated() || chain.origin().kind() == Origin.Kind.AWS_SERVICE) {
                        return false;
                    }
                    if (s.operation().changesState()) {
                        return !e.policy().isWriterPrincipal(s.stateKey(), chain.principalArns());
                    }
                    return s.operation().isLock() && !e.policy().isReaderPrincipal(s.stateKey(), chain.principalArns());
                })
                .stream()
                .map(g -> RunGroups.draft(e, e.draft(type(), g.first()), g)
                        .detail("principalType", g.chain().origin().kind().name())
                        .summary(RunGroups.who(g.chain()) + " (" + g.chain().origin().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                                + ", not web identity) changed " + (g.operations().stream().allMatch(o -> o.operation().isLock()) ? "the lock of " : "")
                                + "state " + g.stateKey() + RunGroups.via(g.chain()))
                        .identity(g.chain().runKey(), g.stateKey())
                        .build())
                .toList();
    }
}
