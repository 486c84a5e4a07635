package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingIds;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.subject.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Assembles a {@link Finding} from its evidence and the chain of the run that caused it. */
final class FindingDraft {
    private final FindingType type;
    private final Evaluation evaluation;
    /** Whose {@code suppressions:} judge the finding. */
    private final io.statetrail.core.policy.Policy policy;
    private Instant time;
    private Instant lastSeen;
    /** False once a chain was set that is not traced to its origin, or rests on a guessed link. */
    private boolean traced = true;
    private String account;
    private Subject subject;
    private String roleArn;
    private String stateKey;
    private String accessKeyId;
    private String runKey;
    private List<String> roleChain = List.of();
    private final Set<String> evidenceIds = new TreeSet<>();
    private final Set<String> chainIds = new LinkedHashSet<>();
    private final Map<String, String> details = new TreeMap<>();
    private String summary;
    private int count = 1;
    private String[] idParts;
    /** Null: the type's. */
    private io.statetrail.core.finding.Severity severity;
    /** Null: as the type settles. */
    private Boolean provisional;

    FindingDraft(FindingType type, Evaluation evaluation) {
        this.type = type;
        this.evaluation = evaluation;
        this.policy = evaluation.policy();
    }

    /** A finding judged on something other than CloudTrail records (posture): its time is when it was seen. */
    FindingDraft(FindingType type, Instant seenAt, io.statetrail.core.policy.Policy policy) {
        this.type = type;
        this.evaluation = null;
        this.policy = policy;
        this.time = seenAt;
        this.lastSeen = seenAt;
    }

    /** The first (earliest) evidence: sets time, account and acting key, and adds its eventIDs. */
    FindingDraft evidence(TrailEvent e) {
        time = e.meta().time();
        seen(e);
        account = e.meta().account();
        accessKeyId = e.meta().actor().accessKeyId();
        evidenceIds.addAll(evaluation.eventIdsOf(e));
        return this;
    }

    /** More evidence of the same finding. */
    FindingDraft also(TrailEvent e) {
        evidenceIds.addAll(evaluation.eventIdsOf(e));
        seen(e);
        return this;
    }

    private void seen(TrailEvent e) {
        Instant t = e.meta().time();
        if (lastSeen == null || t.isAfter(lastSeen)) {
            lastSeen = t;
        }
    }

    FindingDraft chain(Chain chain) {
        if (chain.origin().webIdentity() != null) {
            subject = chain.origin().webIdentity().subject();
        }
        roleChain = chain.roleChain();
        roleArn = chain.roleArn();
        runKey = chain.runKey();
        chainIds.addAll(chain.eventIds());
        if (chain.origin().principalArn() != null) {
            details.put("principal", chain.origin().principalArn());
        }
        details.put("origin", chain.origin().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        details.putAll(chain.claimDetails());
        traced = traced && chain.origin().kind() != io.statetrail.core.lineage.Origin.Kind.UNKNOWN
                && chain.sessions().stream().noneMatch(io.statetrail.core.lineage.Session::linkedByGuess);
        return this;
    }

    FindingDraft subject(Subject s) {
        subject = s;
        return this;
    }

    FindingDraft roleArn(String arn) {
        roleArn = arn;
        return this;
    }

    FindingDraft account(String a) {
        account = a;
        return this;
    }

    FindingDraft stateKey(String key) {
        stateKey = key;
        return this;
    }

    FindingDraft accessKeyId(String key) {
        accessKeyId = key;
        return this;
    }

    /** A severity other than the type's (a store weakened by one of its admins is one step lower). */
    FindingDraft severity(io.statetrail.core.finding.Severity s) {
        severity = s;
        return this;
    }

    /** Whether late records could still undo it, when that differs from how its type settles. */
    FindingDraft provisional(boolean p) {
        provisional = p;
        return this;
    }

    FindingDraft count(int n) {
        count = n;
        return this;
    }

    FindingDraft detail(String key, String value) {
        if (value != null) {
            details.put(key, value);
        }
        return this;
    }

    /** Several details at once; null values are left out. */
    FindingDraft details(java.util.Map<String, String> more) {
        more.forEach(this::detail);
        return this;
    }

    FindingDraft summary(String text) {
        summary = text;
        return this;
    }

    /** What makes this finding itself: the same parts always give the same id. */
    FindingDraft identity(String... parts) {
        idParts = parts;
        return this;
    }

    /** Whether late records could still undo or re-attribute it ({@link FindingType.Settling}). */
    private boolean provisional() {
        if (provisional != null) {
            return provisional || !traced;
        }
        return switch (type.settling()) {
            case FINAL -> false;
            case FINAL_WHEN_TRACED -> !traced;
            case WAITS -> true;
        };
    }

    Finding build() {
        if (idParts == null || summary == null) {
            throw new IllegalStateException("finding without identity or summary: " + type);
        }
        List<String> ids = new ArrayList<>(evidenceIds);
        for (String id : chainIds) {
            if (!evidenceIds.contains(id)) {
                ids.add(id);
            }
        }
        Finding f = new Finding(FindingIds.of(type, idParts), type.id(), severity != null ? severity : type.severity(), time, account,
                subject == null ? null : subject.raw(), subject == null ? null : subject.repository(),
                subject == null ? null : subject.context(), roleArn, stateKey, accessKeyId, runKey, roleChain, ids,
                summary, count, details, lastSeen, provisional());
        return suppressed(f);
    }

    /**
     * Every finding is drafted here, so this is the one place suppressions apply: replay, ingest and sweep mark the same
     * findings, judged on the finding itself (its fields and the day it happened).
     */
    private Finding suppressed(Finding f) {
        return policy == null ? f : policy.suppressionOf(f).map(s -> {
            Map<String, String> marked = new TreeMap<>(f.details());
            marked.put(Finding.SUPPRESSED_BY, s.describe());
            return f.with(f.summary(), marked);
        }).orElse(f);
    }
}
