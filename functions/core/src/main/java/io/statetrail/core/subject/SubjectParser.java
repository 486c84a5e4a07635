package io.statetrail.core.subject;

import java.util.ArrayList;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads OIDC subjects of GitHub Actions (default, immutable and customized templates), GitLab CI and HCP Terraform.
 *
 * <p>A subject is a {@code key:value} list whose values never hold a raw colon (GitHub encodes it as
 * {@code %3A}; git refs and HCP names cannot contain one), except GitHub's {@code pull_request} context
 * which is a key without a value. Anything else is kept as an {@link Subject.Issuer#OTHER} subject with its raw text.
 * Never split CloudTrail's {@code principalId} to get here: it prefixes the subject with provider and audience.
 */
public final class SubjectParser {

    /** Keys that stand alone, without a value. */
    private static final Set<String> FLAG_KEYS = Set.of("pull_request");

    private SubjectParser() {
    }

    public static Subject parse(String raw) {
        return parse(raw, null);
    }

    /**
     * @param provider the OIDC provider ARN or host, when known; it decides the issuer of customized templates
     *                 that do not start with a well-known key.
     */
    public static Subject parse(String raw, String provider) {
        if (raw == null) {
            raw = "";
        }
        if (raw.startsWith("system:serviceaccount:")) {
            String[] parts = raw.split(":", 4);
            String repo = parts.length == 4 ? parts[2] + "/" + parts[3] : null;
            return new Subject(raw, Subject.Issuer.KUBERNETES, List.of(), repo, null, null, null, null, "serviceaccount");
        }
        List<Map.Entry<String, String>> claims = claims(raw);
        Subject.Issuer issuer = issuer(claims, provider);
        String repository = null, ownerId = null, repoId = null, ref = null, environment = null, kind = null;
        String refType = null, owner = null;
        String hcpOrg = null, hcpProject = null, hcpWorkspace = null;
        for (Map.Entry<String, String> claim : claims) {
            String v = claim.getValue();
            switch (claim.getKey()) {
                case "repo", "repository", "project_path" -> {
                    if (repository == null && v != null) {
                        String[] ids = splitRepoIds(v);
                        repository = ids[0];
                        ownerId = ids[1];
                        repoId = ids[2];
                    }
                }
                case "repository_owner" -> owner = v;
                case "repository_id" -> repoId = repoId == null ? v : repoId;
                case "repository_owner_id" -> ownerId = ownerId == null ? v : ownerId;
                case "ref" -> ref = v;
                case "ref_type" -> refType = v;
                case "environment" -> environment = v;
                case "pull_request" -> kind = "pull_request";
                case "organization" -> hcpOrg = v;
                case "project" -> hcpProject = v;
                case "workspace" -> hcpWorkspace = v;
                case "run_phase" -> kind = "run_phase:" + v;
                default -> {
                }
            }
        }
        if (repository == null && hcpOrg != null) {
            repository = hcpOrg + "/" + (hcpProject == null ? "" : hcpProject + "/") + (hcpWorkspace == null ? "" : hcpWorkspace);
        }
        if (repository == null && owner != null) {
            repository = owner + "/*";
        }
        if (ref != null && !ref.startsWith("refs/") && refType != null) {
            // GitLab puts the short name in ref and the kind in ref_type.
            ref = ("tag".equals(refType) ? "refs/tags/" : "refs/heads/") + ref;
        }
        if (kind == null) {
            if (environment != null) {
                kind = "environment";
            } else if (ref != null && ref.startsWith("refs/tags/")) {
                kind = "tag";
            } else if (ref != null && ref.startsWith("refs/heads/")) {
                kind = "branch";
            } else if (ref != null && ref.startsWith("refs/pull/")) {
                kind = "pull_request";
            }
        }
        return new Subject(raw, issuer, claims, repository, ownerId, repoId, ref, environment, kind);
    }

    static List<Map.Entry<String, String>> claims(String raw) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (raw.isEmpty()) {
            return out;
        }
        String[] parts = raw.split(":", -1);
        int i = 0;
        while (i < parts.length) {
            String key = parts[i];
            if (FLAG_KEYS.contains(key) || i + 1 >= parts.length) {
                out.add(new SimpleImmutableEntry<>(key, null));
                i++;
            } else {
                out.add(new SimpleImmutableEntry<>(key, decode(parts[i + 1])));
                i += 2;
            }
        }
        return out;
    }

    private static Subject.Issuer issuer(List<Map.Entry<String, String>> claims, String provider) {
        String p = provider == null ? "" : provider;
        if (p.contains("token.actions.githubusercontent.com") || p.contains(".ghe.com") || p.endsWith("/_services/token")) {
            return Subject.Issuer.GITHUB;
        }
        if (p.contains("gitlab")) {
            return Subject.Issuer.GITLAB;
        }
        if (p.contains("app.terraform.io")) {
            return Subject.Issuer.HCP_TERRAFORM;
        }
        String first = claims.isEmpty() ? "" : claims.get(0).getKey();
        return switch (first) {
            case "repo", "repository_owner", "repository_owner_id", "repository_id", "job_workflow_ref", "repository" -> Subject.Issuer.GITHUB;
            case "project_path", "namespace_path" -> Subject.Issuer.GITLAB;
            case "organization" -> Subject.Issuer.HCP_TERRAFORM;
            default -> Subject.Issuer.OTHER;
        };
    }

    private static String decode(String value) {
        return value.indexOf('%') < 0 ? value : value.replace("%3A", ":").replace("%3a", ":");
    }

    /** {@code owner@1/repo@2} → {@code [owner/repo, 1, 2]}. */
    private static String[] splitRepoIds(String value) {
        int slash = value.indexOf('/');
        if (slash < 0 || value.indexOf('@') < 0) {
            return new String[] {value, null, null};
        }
        String owner = value.substring(0, slash);
        String repo = value.substring(slash + 1);
        String ownerId = null, repoId = null;
        int at = owner.indexOf('@');
        if (at >= 0) {
            ownerId = owner.substring(at + 1);
            owner = owner.substring(0, at);
        }
        at = repo.indexOf('@');
        if (at >= 0) {
            repoId = repo.substring(at + 1);
            repo = repo.substring(0, at);
        }
        return new String[] {owner + "/" + repo, ownerId, repoId};
    }

    /** Removes {@code @ID} parts from the value of a leading {@code repo:} claim; other text is unchanged. */
    static String stripRepoIds(String subjectOrPattern) {
        if (!subjectOrPattern.startsWith("repo:")) {
            return subjectOrPattern;
        }
        int end = subjectOrPattern.indexOf(':', 5);
        String value = end < 0 ? subjectOrPattern.substring(5) : subjectOrPattern.substring(5, end);
        if (value.indexOf('@') < 0) {
            return subjectOrPattern;
        }
        String stripped = value.replaceAll("@[^/]*", "");
        return "repo:" + stripped + (end < 0 ? "" : subjectOrPattern.substring(end));
    }

    /** True when a pattern pins GitHub's immutable ids in its {@code repo:} claim (e.g. {@code repo:acme@1/…}). */
    public static boolean pinsImmutableIds(String pattern) {
        return !stripRepoIds(pattern).equals(pattern);
    }
}
