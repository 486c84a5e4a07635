package io.statetrail.core.review;

import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.iam.IamRole;
import io.statetrail.core.iam.TrustPolicy;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.ProviderFamily;
import io.statetrail.core.replay.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code statetrail policy draft}: the policy that allows what the trail shows, for a person to review. Each role with the
 * subjects seen logging in to it, each state (grouped into globs where a folder is shared, {@link StateGlobs}) with the
 * subjects seen writing and reading it, the lock tables seen, and how many runs support each line; with IAM's roles
 * ({@code --aws}), the literal subjects their trust policies pin, and a warning where a trust is wider.
 *
 * <p>Replaying the same trail with the draft raises no {@code unexpected-subject}, {@code state-write-unexpected-subject}
 * or {@code state-read-unexpected-subject}: the draft is read off the detections' own view of the trail ({@link TrailUse}).
 * The same input always gives the same bytes: everything is sorted, and nothing depends on the clock.
 */
public final class PolicyDraft {

    /** A line of the draft: a subject (or table) and the runs that support it; {@code note} says where it comes from. */
    record Line(String text, int runs, String note) {
    }

    /** A {@code roles} entry; {@code providers} only when its subjects' shape does not tell their issuer. */
    record RoleDraft(String arn, List<Line> subjects, List<String> providers, int logins, List<String> notes) {
    }

    /** A {@code states} entry; non-web-identity principals are offered as commented-out lines. */
    record StateDraft(StateGlobs.Group group, List<Line> writers, List<Line> readers, List<Line> otherWriters, List<Line> otherReaders,
                      int runs, Duration longestLock) {
    }

    /**
     * @param from  the earliest event the draft rests on; null when none
     * @param runs  distinct runs (a web-identity login, or the principal of another run) seen
     */
    public record Draft(String yaml, Replay.Counts counts, Instant from, Instant to, int runs, int roles, int states, int lockTables) {
    }

    private PolicyDraft() {
    }

    /**
     * Drafts from CloudTrail files and, when given, the roles IAM lists. Reads the files twice when the first reading finds
     * states whose key does not end in {@code .tfstate} (named only by their locks): the second reading, with those keys
     * in a policy, sees their reads and writes too.
     */
    public static Draft draft(List<Path> paths, List<AccountInventory> accounts, int threads, Replay.Progress progress) {
        Replay.Result first = new Replay(Policy.empty(), threads, progress).run(paths, null);
        Policy seen = seenStates(first);
        Replay.Result result = seen.states().stream().allMatch(s -> s.key().pattern().endsWith(".tfstate"))
                ? first : new Replay(seen, threads, progress).run(paths, null);
        return draft(result, seen, accounts);
    }

    /** The state keys and lock tables a first reading found, as a policy that names them and allows nobody. */
    static Policy seenStates(Replay.Result result) {
        TreeSet<String> keys = new TreeSet<>();
        TreeSet<String> tables = new TreeSet<>();
        for (TrailUse.StateUse u : TrailUse.of(Evaluation.of(result.trail(), Policy.empty(), result.now())).stateUses()) {
            keys.add(u.stateKey());
            if (u.lockTable() != null) {
                tables.add(u.lockTable());
            }
        }
        List<Policy.StateEntry> states = keys.stream()
                .map(k -> new Policy.StateEntry(Glob.of(k), List.of(), List.of(), Policy.DEFAULT_STALE_LOCK_AFTER, 0)).toList();
        return new Policy(List.of(), states, List.copyOf(tables));
    }

    static Draft draft(Replay.Result result, Policy read, List<AccountInventory> accounts) {
        Evaluation e = Evaluation.of(result.trail(), read, result.now());
        TrailUse use = TrailUse.of(e);
        List<RoleDraft> roles = roles(use, accounts);
        List<StateDraft> states = states(use, e);
        List<Line> tables = tables(use);
        Set<String> runs = new TreeSet<>();
        use.logins().forEach(l -> runs.add(l.runKey()));
        use.stateUses().forEach(u -> runs.add(u.runKey()));
        Instant from = null;
        Instant to = null;
        for (TrailEvent ev : result.trail().events()) {
            Instant t = ev.meta().time();
            from = from == null || t.isBefore(from) ? t : from;
            to = to == null || t.isAfter(to) ? t : to;
        }
        Draft header = new Draft(null, result.counts(), from, to, runs.size(), roles.size(), states.size(), tables.size());
        return new Draft(DraftYaml.render(header, roles, states, tables), result.counts(), from, to, runs.size(), roles.size(),
                states.size(), tables.size());
    }

    // ---- roles ----

    private static List<RoleDraft> roles(TrailUse use, List<AccountInventory> accounts) {
        // role ARN -> provider that must be named (or "" when the subject's shape tells it) -> subject -> runs
        Map<String, Map<String, Map<String, Set<String>>>> seen = new TreeMap<>();
        for (TrailUse.Login l : use.logins()) {
            if (l.subject() == null || l.subject().raw().isEmpty()) {
                continue;
            }
            seen.computeIfAbsent(l.roleArn(), k -> new TreeMap<>())
                    .computeIfAbsent(providerToName(l.roleArn(), l.subject().raw(), l.provider()), k -> new TreeMap<>())
                    .computeIfAbsent(l.subject().raw(), k -> new TreeSet<>()).add(l.runKey());
        }
        Map<String, List<String>> notes = new TreeMap<>();
        Map<String, Map<String, Map<String, String>>> fromIam = new TreeMap<>();
        for (AccountInventory account : accounts) {
            for (IamRole role : account.roles()) {
                trust(role, seen.keySet(), notes, fromIam);
            }
        }
        TreeSet<String> arns = new TreeSet<>(seen.keySet());
        arns.addAll(notes.keySet());
        arns.addAll(fromIam.keySet());
        List<RoleDraft> out = new ArrayList<>();
        for (String arn : arns) {
            Map<String, Map<String, Set<String>>> byProvider = seen.getOrDefault(arn, Map.of());
            TreeSet<String> providers = new TreeSet<>(byProvider.keySet());
            providers.addAll(fromIam.getOrDefault(arn, Map.of()).keySet());
            if (providers.isEmpty()) {
                providers.add("");
            }
            boolean first = true;
            for (String provider : providers) {
                List<Line> subjects = new ArrayList<>();
                Set<String> logins = new TreeSet<>();
                byProvider.getOrDefault(provider, Map.of()).forEach((subject, keys) -> {
                    subjects.add(new Line(subject, keys.size(), null));
                    logins.addAll(keys);
                });
                fromIam.getOrDefault(arn, Map.of()).getOrDefault(provider, Map.of()).forEach((subject, note) -> {
                    if (byProvider.getOrDefault(provider, Map.of()).get(subject) == null) {
                        subjects.add(new Line(subject, 0, note));
                    }
                });
                subjects.sort((a, b) -> a.text().compareTo(b.text()));
                out.add(new RoleDraft(arn, subjects, provider.isEmpty() ? List.of() : List.of(provider), logins.size(),
                        first ? notes.getOrDefault(arn, List.of()) : List.of()));
                first = false;
            }
        }
        return out;
    }

    /** The provider an entry must name for this subject to be allowed from it ({@code ""}: none, the shape tells). */
    private static String providerToName(String roleArn, String subject, String provider) {
        Policy.RoleEntry plain = new Policy.RoleEntry(Glob.of(roleArn), List.of(Glob.of(subject)), List.of(), 0);
        return plain.allows(io.statetrail.core.subject.SubjectParser.parse(subject, provider), provider) ? "" : provider;
    }

    /**
     * What a role's trust policy says ({@code --aws}): the literal subjects it pins, as lines to add; everything wider as a
     * note, never as a pattern to allow (the draft must not make a too-wide trust look intended).
     */
    private static void trust(IamRole role, Set<String> seenArns, Map<String, List<String>> notes,
                              Map<String, Map<String, Map<String, String>>> fromIam) {
        List<TrustPolicy.OidcTrust> trusts = role.oidcTrusts();
        if (trusts.stream().noneMatch(t -> ProviderFamily.ciSystemOf(t.provider()).isPresent())) {
            return;
        }
        String arn = seenArns.contains(role.arn()) || !seenArns.contains(role.arnWithoutPath()) ? role.arn() : role.arnWithoutPath();
        List<String> said = notes.computeIfAbsent(arn, k -> new ArrayList<>());
        if (!seenArns.contains(arn)) {
            said.add("from IAM: no login to this role in the trail" + (role.lastUsed() == null ? "" : " (IAM: last used " + role.lastUsed() + ")"));
        }
        for (TrustPolicy.OidcTrust t : trusts) {
            List<TrustPolicy.SubCondition> positive = t.subConditions().stream().filter(TrustPolicy.SubCondition::isPositive).toList();
            if (positive.isEmpty()) {
                said.add("WARNING: its trust has no condition on " + t.subKey() + ": any repository can assume it (oidc-trust-too-wide)");
            }
            for (TrustPolicy.SubCondition c : positive) {
                for (String value : c.values()) {
                    boolean literal = !c.isSetOperator() && !c.ignoresCase() && value.indexOf('*') < 0 && value.indexOf('?') < 0 && !value.isEmpty();
                    if (literal) {
                        fromIam.computeIfAbsent(arn, k -> new TreeMap<>())
                                .computeIfAbsent(providerToName(arn, value, t.provider()), k -> new TreeMap<>())
                                .putIfAbsent(value, "pinned by its trust policy; no run seen");
                    } else {
                        said.add("its trust also admits " + c.operator() + " " + DraftYaml.quote(value)
                                + ": not copied; list the subjects you mean (oidc-trust-too-wide judges it)");
                    }
                }
            }
        }
    }

    // ---- states and lock tables ----

    private static List<StateDraft> states(TrailUse use, Evaluation e) {
        Map<String, Map<TrailUse.Use, Map<String, Set<String>>>> subjects = new TreeMap<>();
        Map<String, Map<TrailUse.Use, Map<String, Set<String>>>> principals = new TreeMap<>();
        Map<String, Set<String>> runs = new TreeMap<>();
        for (TrailUse.StateUse u : use.stateUses()) {
            runs.computeIfAbsent(u.stateKey(), k -> new TreeSet<>()).add(u.runKey());
            subjects.computeIfAbsent(u.stateKey(), k -> new TreeMap<>());
            if (u.use() == TrailUse.Use.LOCK) {
                continue;
            }
            if (u.subject() != null) {
                subjects.get(u.stateKey()).computeIfAbsent(u.use(), k -> new TreeMap<>())
                        .computeIfAbsent(u.subject().raw(), k -> new TreeSet<>()).add(u.runKey());
            } else if (u.principal() != null) {
                principals.computeIfAbsent(u.stateKey(), k -> new TreeMap<>()).computeIfAbsent(u.use(), k -> new TreeMap<>())
                        .computeIfAbsent(u.principal(), k -> new TreeSet<>()).add(u.runKey());
            }
        }
        List<StateGlobs.Group> groups = StateGlobs.of(List.copyOf(subjects.keySet()), key -> List.of(
                subjects.get(key).getOrDefault(TrailUse.Use.WRITE, Map.of()).keySet(),
                readOnly(subjects.get(key)).keySet(),
                principals.getOrDefault(key, Map.of()).getOrDefault(TrailUse.Use.WRITE, Map.of()).keySet()));
        List<StateDraft> out = new ArrayList<>();
        for (StateGlobs.Group g : groups) {
            Map<String, Set<String>> writers = new TreeMap<>();
            Map<String, Set<String>> readers = new TreeMap<>();
            Map<String, Set<String>> otherWriters = new TreeMap<>();
            Map<String, Set<String>> otherReaders = new TreeMap<>();
            Set<String> groupRuns = new TreeSet<>();
            Duration longest = Duration.ZERO;
            for (String key : g.states()) {
                merge(writers, subjects.get(key).getOrDefault(TrailUse.Use.WRITE, Map.of()));
                merge(readers, readOnly(subjects.get(key)));
                Map<TrailUse.Use, Map<String, Set<String>>> p = principals.getOrDefault(key, Map.of());
                merge(otherWriters, p.getOrDefault(TrailUse.Use.WRITE, Map.of()));
                merge(otherReaders, p.getOrDefault(TrailUse.Use.READ, Map.of()));
                otherReaders.keySet().removeAll(otherWriters.keySet());
                groupRuns.addAll(runs.get(key));
                longest = max(longest, longestLock(e, key));
            }
            out.add(new StateDraft(g, lines(writers), lines(readers), lines(otherWriters), lines(otherReaders), groupRuns.size(), longest));
        }
        return out;
    }

    /** Subjects that read and never wrote: writers may read already. */
    private static Map<String, Set<String>> readOnly(Map<TrailUse.Use, Map<String, Set<String>>> uses) {
        Map<String, Set<String>> out = new TreeMap<>(uses.getOrDefault(TrailUse.Use.READ, Map.of()));
        out.keySet().removeAll(uses.getOrDefault(TrailUse.Use.WRITE, Map.of()).keySet());
        return out;
    }

    /** How long the longest lock of this state was held, among those released (a stale one says nothing of normal runs). */
    private static Duration longestLock(Evaluation e, String stateKey) {
        Duration longest = Duration.ZERO;
        for (var lock : e.locksOf(stateKey)) {
            if (lock.acquired() != null && lock.released() != null) {
                longest = max(longest, Duration.between(lock.acquired().meta().time(), lock.released().meta().time()));
            }
        }
        return longest;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static List<Line> tables(TrailUse use) {
        Map<String, Set<String>> runs = new TreeMap<>();
        for (TrailUse.StateUse u : use.stateUses()) {
            if (u.lockTable() != null) {
                runs.computeIfAbsent(u.lockTable(), k -> new TreeSet<>()).add(u.runKey());
            }
        }
        return lines(runs);
    }

    private static void merge(Map<String, Set<String>> into, Map<String, Set<String>> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
    }

    private static List<Line> lines(Map<String, Set<String>> runs) {
        List<Line> out = new ArrayList<>();
        runs.forEach((text, keys) -> out.add(new Line(text, keys.size(), null)));
        return out;
    }
}
