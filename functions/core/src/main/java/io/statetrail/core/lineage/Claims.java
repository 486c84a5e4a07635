package io.statetrail.core.lineage;

import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.SessionTag;
import io.statetrail.core.event.UserAgents;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run claims about itself (the GitHub workflow run, its attempt, workflow, actor, commit, branch and repository),
 * read from the role assumptions of its sessions: session tags, the user agent of the STS calls, the session name and
 * source identity. None of it is verified: the subject STS checked is. Values that do not have the form the field has
 * on GitHub (a run id is digits, a commit is hex) are not claims.
 *
 * <p>Order-free: the claim shown for a field is the best by source ({@link #RANK}), then the earliest, then the smallest
 * eventID and value, whatever order the records arrived in; the other values claimed for it are kept.
 */
public record Claims(List<Claim> observed) {

    public static final List<String> FIELDS = List.of("runId", "runAttempt", "workflow", "actor", "commit", "branch", "repository");
    public static final Claims NONE = new Claims(List.of());

    /** Sources, most telling first: what the caller tagged, then the identity provider's tags, those passed on, the rest. */
    static final List<String> RANK = List.of("tag:", "principalTag:", "transitiveTag:", "userAgent", "roleSessionName", "sourceIdentity");

    /** Session tag keys (lower case, without {@code _ - . space}) for each field: configure-aws-credentials' and GitHub's claim names. */
    private static final Map<String, String> TAG_KEYS = Map.ofEntries(
            Map.entry("runid", "runId"), Map.entry("githubrunid", "runId"),
            Map.entry("runattempt", "runAttempt"), Map.entry("attempt", "runAttempt"), Map.entry("githubrunattempt", "runAttempt"),
            Map.entry("workflow", "workflow"), Map.entry("githubworkflow", "workflow"),
            Map.entry("actor", "actor"), Map.entry("githubactor", "actor"),
            Map.entry("commit", "commit"), Map.entry("sha", "commit"), Map.entry("githubsha", "commit"),
            Map.entry("branch", "branch"), Map.entry("ref", "branch"), Map.entry("githubref", "branch"),
            Map.entry("repository", "repository"), Map.entry("repo", "repository"), Map.entry("githubrepository", "repository"));

    private static final Pattern SESSION_RUN_ID = Pattern.compile("(?i)(?:^|[^a-z0-9])run[-_.=]?(?:id)?[-_.=@]?(\\d{6,20})(?!\\d)");
    private static final Pattern SESSION_ATTEMPT = Pattern.compile("(?i)(?:^|[^a-z0-9])attempt[-_.=@]?(\\d{1,3})(?!\\d)");
    /** {@code <run id>@<commit>}, as some workflows name their sessions (the Cognito example of awsteele, 2023). */
    private static final Pattern SESSION_RUN_AT_COMMIT = Pattern.compile("^(\\d{6,20})[@_.-]([0-9a-f]{40})$");
    private static final Pattern COMMIT = Pattern.compile("(?<![0-9a-fA-F])([0-9a-f]{40})(?![0-9a-fA-F])");

    public Claims {
        observed = List.copyOf(observed);
    }

    /** The claims one role assumption makes. */
    public static List<Claim> of(RoleAssumed r) {
        List<Claim> out = new ArrayList<>();
        for (SessionTag t : r.tags()) {
            String field = TAG_KEYS.get(t.key().toLowerCase(Locale.ROOT).replaceAll("[-_. ]", ""));
            if (field != null) {
                add(out, r, field, t.value(), t.kind().label() + ":" + t.key());
            }
        }
        UserAgents.RunContext ctx = UserAgents.runContext(r.meta().userAgent());
        add(out, r, "runId", ctx.runId(), "userAgent");
        add(out, r, "runAttempt", ctx.attempt(), "userAgent");
        String name = r.sessionName();
        if (name != null) {
            Matcher both = SESSION_RUN_AT_COMMIT.matcher(name);
            if (both.matches()) {
                add(out, r, "runId", both.group(1), "roleSessionName");
            }
            Matcher run = SESSION_RUN_ID.matcher(name);
            if (run.find()) {
                add(out, r, "runId", run.group(1), "roleSessionName");
            }
            Matcher attempt = SESSION_ATTEMPT.matcher(name);
            if (attempt.find()) {
                add(out, r, "runAttempt", attempt.group(1), "roleSessionName");
            }
            Matcher commit = COMMIT.matcher(name);
            if (commit.find()) {
                add(out, r, "commit", commit.group(1), "roleSessionName");
            }
        }
        add(out, r, "actor", r.sourceIdentity(), "sourceIdentity");
        return out;
    }

    private static void add(List<Claim> out, RoleAssumed r, String field, String value, String source) {
        String v = normalise(field, value);
        if (v != null) {
            out.add(new Claim(field, v, source, r.meta().eventId(), r.meta().time()));
        }
    }

    /** The value as the field has it on GitHub, or null. */
    static String normalise(String field, String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        boolean ok = switch (field) {
            case "runId" -> v.matches("[0-9]{1,20}");
            case "runAttempt" -> v.matches("[0-9]{1,10}");
            case "commit" -> v.matches("[0-9a-fA-F]{7,64}");
            default -> !v.isEmpty();
        };
        return !ok ? null : "commit".equals(field) ? v.toLowerCase(Locale.ROOT) : v;
    }

    /** Every claim of these sessions, each once. */
    public static Claims union(Collection<List<Claim>> claims) {
        List<Claim> out = new ArrayList<>();
        for (List<Claim> l : claims) {
            for (Claim c : l) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return new Claims(out);
    }

    public boolean isEmpty() {
        return observed.isEmpty();
    }

    /** Every claim of a field, best first. */
    public List<Claim> all(String field) {
        return observed.stream().filter(c -> c.field().equals(field)).sorted(BEST).toList();
    }

    /** The claim shown for a field. */
    public Optional<Claim> get(String field) {
        return all(field).stream().findFirst();
    }

    /** Other values claimed for a field than the one shown, sorted. */
    public List<String> others(String field) {
        TreeSet<String> out = new TreeSet<>();
        all(field).forEach(c -> out.add(c.value()));
        get(field).ifPresent(c -> out.remove(c.value()));
        return List.copyOf(out);
    }

    static final Comparator<Claim> BEST = Comparator.comparingInt((Claim c) -> rank(c.source()))
            .thenComparing(Claim::time)
            .thenComparing(Claim::eventId)
            .thenComparing(Claim::value)
            .thenComparing(Claim::source);

    static int rank(String source) {
        for (int i = 0; i < RANK.size(); i++) {
            if (source.startsWith(RANK.get(i))) {
                return i;
            }
        }
        return RANK.size();
    }

    /**
     * The flat form for a finding's {@code details}: {@code claims.<field>} and {@code claims.<field>.source}, and
     * {@code claims.url} when the run's GitHub page is known.
     */
    public Map<String, String> details(String provider, String verifiedRepository) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            get(field).ifPresent(c -> {
                out.put("claims." + field, c.value());
                out.put("claims." + field + ".source", c.source());
            });
        }
        runUrl(provider, verifiedRepository).ifPresent(u -> out.put("claims.url", u));
        return out;
    }

    /**
     * The GitHub page of the claimed run: on the host the OIDC issuer names (github.com for
     * {@code token.actions.githubusercontent.com}, also with an enterprise's custom issuer path; {@code <name>.ghe.com}
     * for {@code token.actions.<name>.ghe.com}; the server for GitHub Enterprise Server's {@code <host>/_services/token}),
     * in the repository of the verified subject (else the claimed one), with the attempt when claimed. Empty when the
     * provider is not GitHub or no run id is claimed.
     */
    public Optional<String> runUrl(String provider, String verifiedRepository) {
        String host = GitHubHosts.webHost(provider);
        Optional<Claim> runId = get("runId");
        if (host == null || runId.isEmpty()) {
            return Optional.empty();
        }
        String repo = verifiedRepository != null && isRepository(verifiedRepository) ? verifiedRepository
                : get("repository").map(Claim::value).filter(Claims::isRepository).orElse(null);
        if (repo == null) {
            return Optional.empty();
        }
        String url = "https://" + host + "/" + repo + "/actions/runs/" + runId.get().value();
        Optional<Claim> attempt = get("runAttempt");
        return Optional.of(attempt.isPresent() ? url + "/attempts/" + attempt.get().value() : url);
    }

    /** {@code owner/name} as GitHub allows them (nothing that could change the URL's meaning). */
    static boolean isRepository(String s) {
        return s.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}") && !s.endsWith("/.") && !s.endsWith("/..");
    }
}
