package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import java.util.List;

/**
 * A state object written or deleted by a run whose OIDC subject is not one of its writers, however many role hops
 * lie between the login and the write: a pull request or a feature branch changed what production runs on.
 */
public final class StateWriteUnexpectedSubject implements Detection {

    @Override
    public FindingType type() {
        return FindingType.STATE_WRITE_UNEXPECTED_SUBJECT;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        return RunGroups.of(e, (s, chain) -> s.operation().changesState()
                        && chain.origin().isWebIdentity()
                        && !e.policy().isWriter(s.stateKey(), chain.origin().webIdentity().subject()))
                .stream()
                .map(g -> RunGroups.draft(e, e.draft(type(), g.first()), g)
                        .summary(RunGroups.who(g.chain()) + " " + verb(g.first().operation())
                                + " state " + g.stateKey() + RunGroups.via(g.chain()) + " but is not one of its writers")
                        .identity(g.chain().runKey(), g.stateKey())
                        .build())
                .toList();
    }

    private static String verb(io.statetrail.core.event.StateAccess.Operation op) {
        return switch (op) {
            case DELETE -> "deleted";
            case DELETE_VERSION -> "deleted a version of";
            case DELETE_MARKER_REMOVED -> "removed a delete marker of";
            default -> "wrote";
        };
    }
}
