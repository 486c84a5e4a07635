package io.statetrail.core.review;

import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.lineage.Chain;
import io.statetrail.core.subject.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a trail shows the policy is about, in the detections' own terms: each web-identity login (role, subject, provider)
 * and each successful state and lock call with the root of its run (the subject of its login, or the principal of a run
 * not rooted in web identity). {@code policy draft} allows exactly these; {@code policy check} holds a policy to them.
 */
record TrailUse(List<Login> logins, List<StateUse> stateUses) {

    /** A successful {@code AssumeRoleWithWebIdentity}: the root of one run. */
    record Login(String roleArn, Subject subject, String provider, String runKey) {
    }

    enum Use {
        /** PutObject, CopyObject, CompleteMultipartUpload, DeleteObject of a state: what {@code writers} allows. */
        WRITE,
        /** GetObject of a state: what {@code readers} (or writers) allows. */
        READ,
        /** A lock taken or released: names the state, and the lock table. */
        LOCK
    }

    /**
     * @param subject       the run's root subject; null for a run not rooted in web identity
     * @param principal     for such a run, the principal it started from (an IAM user, a SAML role…); else null
     * @param principalArns every ARN of the run's chain, as {@code arn:} writers and readers are matched
     * @param lockTable     for a lock in DynamoDB, its table
     */
    record StateUse(String stateKey, Use use, Subject subject, String principal, List<String> principalArns, String runKey,
                    String lockTable) {
    }

    static TrailUse of(Evaluation e) {
        List<Login> logins = new ArrayList<>();
        for (RoleAssumed a : e.assumptions()) {
            if (a.webIdentity() != null && a.roleArn() != null) {
                logins.add(new Login(a.roleArn(), a.webIdentity().subject(), a.webIdentity().provider(), a.issuedKey()));
            }
        }
        List<StateUse> uses = new ArrayList<>();
        for (StateAccess s : e.successfulStateAccesses()) {
            if (!s.operation().namesState()) {
                continue;
            }
            Use use = s.operation().changesState() ? Use.WRITE : s.operation() == StateAccess.Operation.READ ? Use.READ : Use.LOCK;
            Chain chain = e.chainOf(s);
            Subject subject = chain.origin().isWebIdentity() ? chain.origin().webIdentity().subject() : null;
            String table = s.lockStore() != null && s.lockStore().startsWith("dynamodb:") ? s.lockStore().substring("dynamodb:".length()) : null;
            uses.add(new StateUse(s.stateKey(), use, subject, subject == null ? chain.origin().principalArn() : null, chain.principalArns(),
                    chain.runKey(), table));
        }
        return new TrailUse(List.copyOf(logins), List.copyOf(uses));
    }
}
