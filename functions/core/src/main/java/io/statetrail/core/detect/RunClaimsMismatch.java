package io.statetrail.core.detect;

import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.lineage.Claim;
import io.statetrail.core.lineage.Claims;
import io.statetrail.core.subject.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run whose claims contradict its verified subject: a {@code Repository} (session tag, or any other source of a
 * repository claim) that is not the subject's repository, or a claimed branch that is not the subject's ref. The
 * subject is what STS checked against the role's trust; the claims are what the run's own client wrote into the
 * session tags that ABAC conditions ({@code aws:PrincipalTag/Branch}) and people read. A run that claims to be
 * {@code main} while its token says a feature branch is either broken tooling or someone forging its way past them.
 *
 * <p>Only what the subject names is compared: subjects without a ref (pull requests, environments) are not compared on
 * branch, custom templates without the repository not on repository. configure-aws-credentials sanitises tag values
 * (characters outside {@code [\p{L}\p{Z}\p{N}_.:/=+\-@]} become {@code _}, 256 characters at most), so the subject's
 * values are compared in that form too.
 */
public final class RunClaimsMismatch implements Detection {

    @Override
    public FindingType type() {
        return FindingType.RUN_CLAIMS_MISMATCH;
    }

    @Override
    public List<Finding> detect(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (Runs.Run run : e.runs()) {
            Subject subject = run.login().origin().webIdentity().subject();
            Claims claims = run.claims();
            List<Claim> contradicting = new ArrayList<>();
            for (Claim c : claims.all("repository")) {
                if (contradictsRepository(c.value(), subject)) {
                    contradicting.add(c);
                }
            }
            for (Claim c : claims.all("branch")) {
                if (contradictsRef(c.value(), subject)) {
                    contradicting.add(c);
                }
            }
            if (contradicting.isEmpty()) {
                continue;
            }
            contradicting.sort(java.util.Comparator.comparing(Claim::time).thenComparing(Claim::eventId).thenComparing(Claim::field)
                    .thenComparing(Claim::value));
            Claim first = contradicting.get(0);
            RoleAssumed firstEvent = run.sessions().stream().filter(r -> r.meta().eventId().equals(first.eventId())).findFirst()
                    .orElse(run.sessions().get(0));
            FindingDraft d = e.draft(type(), firstEvent).chain(e.lineage().chainOfKey(firstEvent.issuedKey(), firstEvent.meta().actor()))
                    .accessKeyId(firstEvent.issuedKey());
            d.details(claims.details(run.login().origin().webIdentity().provider(), subject.repository()));
            List<String> what = new ArrayList<>();
            for (Claim c : contradicting) {
                for (RoleAssumed r : run.sessions()) {
                    if (r.meta().eventId().equals(c.eventId())) {
                        d.also(r);
                    }
                }
                String verified = "repository".equals(c.field()) ? subject.repository() : subject.ref();
                String line = c.field() + " '" + c.value() + "' (" + c.source() + ") where the subject says '" + verified + "'";
                if (!what.contains(line)) {
                    what.add(line);
                }
            }
            d.detail("contradiction", String.join("; ", what))
                    .detail("claimedRepository", firstValue(contradicting, "repository"))
                    .detail("claimedBranch", firstValue(contradicting, "branch"))
                    .count(what.size())
                    .summary("Run of " + subject.raw() + " claims " + String.join(" and ", what) + ": the claims are set by the"
                            + " run itself, the subject was verified by STS")
                    .identity(run.runKey());
            out.add(d.build());
        }
        return out;
    }

    private static String firstValue(List<Claim> claims, String field) {
        return claims.stream().filter(c -> c.field().equals(field)).map(Claim::value).findFirst().orElse(null);
    }

    /** A repository claim the subject's repository (or owner, for {@code owner/*}) contradicts; GitHub names ignore case. */
    static boolean contradictsRepository(String claimed, Subject subject) {
        String repo = subject.repository();
        if (repo == null || repo.isEmpty()) {
            return false;
        }
        String c = claimed.toLowerCase(Locale.ROOT);
        String r = sanitised(repo).toLowerCase(Locale.ROOT);
        if (r.endsWith("/*")) {
            String owner = r.substring(0, r.length() - 1);
            return !c.startsWith(owner) || c.length() == owner.length();
        }
        return r.contains("*") ? false : !c.equals(r);
    }

    /** A branch claim ({@code refs/…} or a short name) the subject's ref contradicts; refs are case-sensitive. */
    static boolean contradictsRef(String claimed, Subject subject) {
        String ref = subject.ref();
        if (ref == null || ref.isEmpty()) {
            return false;
        }
        if (claimed.startsWith("refs/")) {
            return !claimed.equals(ref) && !claimed.equals(sanitised(ref));
        }
        String shortName = ref.startsWith("refs/heads/") ? ref.substring(11) : ref.startsWith("refs/tags/") ? ref.substring(10) : ref;
        return !claimed.equals(shortName) && !claimed.equals(sanitised(shortName));
    }

    /** configure-aws-credentials' {@code sanitizeGitHubVariables} (src/helpers.ts). */
    static String sanitised(String value) {
        String s = value.replaceAll("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]", "_");
        return s.length() > 256 ? s.substring(0, 256) : s;
    }
}
