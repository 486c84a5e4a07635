package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.event.StateAccess;
import java.util.List;

/** A state object read by a run whose subject is neither reader nor writer: state files hold secrets in plain text. */
public final class StateReadUnexpectedSubject implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STATE_READ_UNEXPECTED_SUBJECT;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        return RunGroups.of(e, (s, chain) -> s.operation() == StateAccess.Operation.READ
                        && chain.origin().isWebIdentity()
                        && !e.policy().isReader(s.stateKey(), chain.origin().webIdentity().subject()))
                .stream()
                .map(g -> RunGroups.draft(e, e.draft(type(), g.first()), g)
                        .summary(RunGroups.who(g.chain()) + " read state " + g.stateKey() + RunGroups.via(g.chain())
                                + " but is neither a reader nor a writer of it")
                        .identity(g.chain().runKey(), g.stateKey())
                        .build())
                .toList();
    }
}
