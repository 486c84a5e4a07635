package io.statetrail.core.subject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code sub} claim of an OIDC token as CloudTrail recorded it, with what could be read from it.
 * The raw text is always kept and is what policies match; the parsed parts are for people and queries.
 *
 * @param raw         exactly as recorded
 * @param issuer      who issued it, as far as the shape tells
 * @param claims      the {@code key:value} pairs in order, values with {@code %3A} decoded
 * @param repository  {@code owner/repo} (GitHub), {@code group/project} (GitLab), {@code org/project/workspace} (HCP)
 * @param ownerId     immutable owner id from {@code repo:OWNER@ID/REPO@ID}, else null
 * @param repositoryId immutable repository id, else null
 * @param ref         full ref, e.g. {@code refs/heads/main}, else null
 * @param environment deployment environment, else null
 * @param eventKind   {@code branch}, {@code tag}, {@code pull_request}, {@code environment}, {@code run_phase:apply}…, else null
 */
public record Subject(
        String raw,
        Issuer issuer,
        List<Map.Entry<String, String>> claims,
        String repository,
        String ownerId,
        String repositoryId,
        String ref,
        String environment,
        String eventKind) {

    public enum Issuer { GITHUB, GITLAB, HCP_TERRAFORM, KUBERNETES, OTHER }

    public Subject {
        claims = List.copyOf(claims);
    }

    /** Branch name when the ref is a branch. */
    public Optional<String> branch() {
        return ref != null && ref.startsWith("refs/heads/") ? Optional.of(ref.substring(11)) : Optional.empty();
    }

    public Optional<String> tag() {
        return ref != null && ref.startsWith("refs/tags/") ? Optional.of(ref.substring(10)) : Optional.empty();
    }

    /** Ref, environment or event kind in one short form for display: {@code main}, {@code env:prod}, {@code pull_request}. */
    public String context() {
        if (environment != null) {
            return "environment:" + environment;
        }
        if ("pull_request".equals(eventKind)) {
            return "pull_request";
        }
        if (ref != null) {
            return ref;
        }
        return eventKind;
    }

    public boolean hasImmutableIds() {
        return ownerId != null || repositoryId != null;
    }

    /**
     * The subject with GitHub's immutable ids removed ({@code repo:acme@1/infra@2:…} becomes {@code repo:acme/infra:…}),
     * so that a policy written in the classic form keeps matching repositories that moved to immutable subjects.
     */
    public String withoutImmutableIds() {
        return SubjectParser.stripRepoIds(raw);
    }
}
