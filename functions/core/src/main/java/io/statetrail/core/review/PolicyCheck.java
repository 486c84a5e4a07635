package io.statetrail.core.review;

import io.statetrail.core.detect.Evaluation;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.replay.Replay;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code statetrail policy check}: a policy held to a trail. It lists the entries that matched nothing (a role no login
 * reached, a subject, writer or reader no run used, a state no call touched, a lock table no lock was in), the subjects
 * seen but not allowed (logins, writes and reads the detections would report), and the suppressions that matched no
 * finding. Judged as the detections judge, with the same replay.
 */
public final class PolicyCheck {

    /** What an item says; its name (lower case, with hyphens) is the {@code kind} of the JSON output. */
    public enum Kind {
        UNUSED_ROLE, UNUSED_SUBJECT, UNUSED_STATE, UNUSED_WRITER, UNUSED_READER, UNUSED_LOCK_TABLE,
        NOT_ALLOWED_LOGIN, NOT_ALLOWED_WRITE, NOT_ALLOWED_READ, UNUSED_SUPPRESSION;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One thing to look at.
     *
     * @param line  the policy line of the entry it is about; 0 for what no entry allows, and for lock tables
     * @param entry the entry (a role ARN glob, a state key glob, a lock table, a suppression's type) or what was used
     *              (the role, the state key)
     * @param value the subject, writer, reader or principal it is about; null when the whole entry is
     * @param runs  runs that did it (for what is not allowed)
     */
    public record Item(Kind kind, int line, String entry, String value, int runs, String text) {
    }

    /** @param postureSuppressions suppressions of posture findings, which a replay cannot judge */
    public record Report(List<Item> items, Replay.Result replay, int postureSuppressions) {
    }

    private PolicyCheck() {
    }

    public static Report check(Policy policy, Replay.Result result) {
        Evaluation e = Evaluation.of(result.trail(), policy, result.now());
        TrailUse use = TrailUse.of(e);
        List<Item> items = new ArrayList<>();
        roles(policy, use, items);
        states(policy, use, items);
        lockTables(policy, use, items);
        int posture = suppressions(policy, result, items);
        items.sort(Comparator.comparing(Item::kind).thenComparingInt(Item::line).thenComparing(Item::entry)
                .thenComparing(i -> i.value() == null ? "" : i.value()));
        return new Report(List.copyOf(items), result, posture);
    }

    private static void roles(Policy policy, TrailUse use, List<Item> items) {
        for (Policy.RoleEntry entry : policy.roles()) {
            List<TrailUse.Login> reached = use.logins().stream().filter(l -> entry.arn().matches(l.roleArn())).toList();
            if (reached.isEmpty()) {
                items.add(new Item(Kind.UNUSED_ROLE, entry.line(), entry.arn().pattern(), null, 0, "no login to a role it covers"));
                continue;
            }
            for (Glob subject : entry.subjects()) {
                Policy.RoleEntry alone = new Policy.RoleEntry(entry.arn(), List.of(subject), entry.providers(), entry.line());
                if (reached.stream().noneMatch(l -> alone.allows(l.subject(), l.provider()))) {
                    items.add(new Item(Kind.UNUSED_SUBJECT, entry.line(), entry.arn().pattern(), subject.pattern(), 0, "no login it allowed"));
                }
            }
        }
        Map<List<String>, Set<String>> refused = new TreeMap<>(PolicyCheck::compare);
        for (TrailUse.Login l : use.logins()) {
            if (!policy.roleAllows(l.roleArn(), l.subject(), l.provider())) {
                refused.computeIfAbsent(List.of(l.roleArn(), l.subject() == null ? "" : l.subject().raw()), k -> new TreeSet<>()).add(l.runKey());
            }
        }
        refused.forEach((k, runs) -> items.add(new Item(Kind.NOT_ALLOWED_LOGIN, 0, k.get(0), k.get(1), runs.size(),
                "logged in to the role, which no entry allows it")));
    }

    private static void states(Policy policy, TrailUse use, List<Item> items) {
        Map<Policy.StateEntry, List<TrailUse.StateUse>> decided = new java.util.IdentityHashMap<>();
        for (TrailUse.StateUse u : use.stateUses()) {
            policy.stateFor(u.stateKey()).ifPresent(s -> decided.computeIfAbsent(s, k -> new ArrayList<>()).add(u));
        }
        for (Policy.StateEntry entry : policy.states()) {
            List<TrailUse.StateUse> uses = decided.getOrDefault(entry, List.of());
            if (uses.isEmpty()) {
                items.add(new Item(Kind.UNUSED_STATE, entry.line(), entry.key().pattern(), null, 0,
                        "no call on a state it decides (an earlier entry may decide all it covers)"));
                continue;
            }
            for (Glob w : entry.writers()) {
                if (uses.stream().noneMatch(u -> u.use() == TrailUse.Use.WRITE && matches(w, u))) {
                    items.add(new Item(Kind.UNUSED_WRITER, entry.line(), entry.key().pattern(), w.pattern(), 0, "no write by it"));
                }
            }
            Set<String> writers = new TreeSet<>(entry.writers().stream().map(Glob::pattern).toList());
            for (Glob r : entry.readers()) {
                if (!writers.contains(r.pattern()) && uses.stream().noneMatch(u -> u.use() == TrailUse.Use.READ && matches(r, u))) {
                    items.add(new Item(Kind.UNUSED_READER, entry.line(), entry.key().pattern(), r.pattern(), 0, "no read by it"));
                }
            }
        }
        Map<List<String>, Set<String>> writes = new TreeMap<>(PolicyCheck::compare);
        Map<List<String>, Set<String>> reads = new TreeMap<>(PolicyCheck::compare);
        for (TrailUse.StateUse u : use.stateUses()) {
            if (u.subject() == null) {
                continue;
            }
            if (u.use() == TrailUse.Use.WRITE && !policy.isWriter(u.stateKey(), u.subject())) {
                writes.computeIfAbsent(List.of(u.stateKey(), u.subject().raw()), k -> new TreeSet<>()).add(u.runKey());
            } else if (u.use() == TrailUse.Use.READ && !policy.isReader(u.stateKey(), u.subject())) {
                reads.computeIfAbsent(List.of(u.stateKey(), u.subject().raw()), k -> new TreeSet<>()).add(u.runKey());
            }
        }
        writes.forEach((k, runs) -> items.add(new Item(Kind.NOT_ALLOWED_WRITE, line(policy, k.get(0)), k.get(0), k.get(1), runs.size(),
                "wrote the state and is not one of its writers")));
        reads.forEach((k, runs) -> items.add(new Item(Kind.NOT_ALLOWED_READ, line(policy, k.get(0)), k.get(0), k.get(1), runs.size(),
                "read the state and is neither a reader nor a writer of it")));
    }

    private static int line(Policy policy, String stateKey) {
        return policy.stateFor(stateKey).map(Policy.StateEntry::line).orElse(0);
    }

    /** As the detections match: a subject pattern against the run's subject, an {@code arn:} one against its chain. */
    private static boolean matches(Glob pattern, TrailUse.StateUse u) {
        if (u.subject() != null) {
            return Policy.subjectMatches(pattern, u.subject());
        }
        return pattern.pattern().startsWith("arn:") && u.principalArns().stream().anyMatch(pattern::matches);
    }

    private static void lockTables(Policy policy, TrailUse use, List<Item> items) {
        Set<String> used = new TreeSet<>();
        use.stateUses().forEach(u -> {
            if (u.lockTable() != null) {
                used.add(u.lockTable());
            }
        });
        for (String table : policy.lockTables()) {
            if (!used.contains(table)) {
                items.add(new Item(Kind.UNUSED_LOCK_TABLE, 0, table, null, 0, "no lock in it"));
            }
        }
    }

    private static int suppressions(Policy policy, Replay.Result result, List<Item> items) {
        LocalDate today = LocalDate.ofInstant(result.now(), ZoneOffset.UTC);
        int posture = 0;
        for (Policy.Suppression s : policy.suppressions()) {
            if (FindingType.byId(s.type()).map(t -> t.source() == FindingType.Source.POSTURE).orElse(false)) {
                posture++;
                continue;
            }
            boolean matched = false;
            for (Finding f : result.findings()) {
                // On the day the finding happened, as the detections judge it (Policy#suppressionOf).
                matched |= s.matches(f, f.time() == null ? today : LocalDate.ofInstant(f.time(), ZoneOffset.UTC));
            }
            if (!matched) {
                boolean expired = s.expires() != null && today.isAfter(s.expires());
                items.add(new Item(Kind.UNUSED_SUPPRESSION, s.line(), s.type(), null, 0,
                        expired ? "expired on " + s.expires() : "no finding it matches"));
            }
        }
        return posture;
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
