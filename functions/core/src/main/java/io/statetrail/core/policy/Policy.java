package io.statetrail.core.policy;

import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may assume which role through web identity, and who may touch which Terraform state.
 * Default deny: a role no entry covers accepts no subject; a state no entry covers has no writers or readers.
 *
 * @param networks where any run may call from besides where it logged in (self-hosted runners, NAT egress, proxies)
 */
public record Policy(List<RoleEntry> roles, List<StateEntry> states, List<String> lockTables, StorePolicy stores,
                     List<Suppression> suppressions, Networks networks) {

    public static final Duration DEFAULT_STALE_LOCK_AFTER = Duration.ofHours(1);

    public Policy {
        roles = List.copyOf(roles);
        states = List.copyOf(states);
        lockTables = List.copyOf(lockTables);
        stores = stores == null ? StorePolicy.NONE : stores;
        suppressions = List.copyOf(suppressions);
        networks = networks == null ? Networks.NONE : networks;
    }

    /** A policy without a {@code stores:}, {@code suppressions:} or {@code networks:} section. */
    public Policy(List<RoleEntry> roles, List<StateEntry> states, List<String> lockTables) {
        this(roles, states, lockTables, StorePolicy.NONE, List.of(), Networks.NONE);
    }

    public Policy(List<RoleEntry> roles, List<StateEntry> states, List<String> lockTables, StorePolicy stores) {
        this(roles, states, lockTables, stores, List.of(), Networks.NONE);
    }

    public Policy(List<RoleEntry> roles, List<StateEntry> states, List<String> lockTables, List<Suppression> suppressions) {
        this(roles, states, lockTables, StorePolicy.NONE, suppressions, Networks.NONE);
    }

    public Policy(List<RoleEntry> roles, List<StateEntry> states, List<String> lockTables, Networks networks) {
        this(roles, states, lockTables, StorePolicy.NONE, List.of(), networks);
    }

    public static Policy empty() {
        return new Policy(List.of(), List.of(), List.of());
    }

    /**
     * The first suppression, in file order, that covers this finding on the day it happened (UTC): judged on the finding
     * alone, never on the wall clock, so replay, ingest and sweep agree whatever order the records arrived in.
     */
    public Optional<Suppression> suppressionOf(io.statetrail.core.finding.Finding f) {
        java.time.LocalDate day = f.time() == null ? null : java.time.LocalDate.ofInstant(f.time(), java.time.ZoneOffset.UTC);
        return suppressions.stream().filter(s -> s.matches(f, day)).findFirst();
    }

    /**
     * A finding that is known and accepted ({@code suppressions:}): a finding it covers is stored with
     * {@code details.suppressedBy} and not paged; {@code statetrail policy check} lists those that match no finding.
     *
     * @param type    the finding type
     * @param subject glob over the finding's subject, or null
     * @param role    glob over its role ARN, or null
     * @param state   glob over its state key, or null
     * @param principal glob over the principal ARN of a run not rooted in web identity ({@code details.principal}), or null
     * @param expires the last day it applies, or null
     */
    public record Suppression(String type, Glob subject, Glob role, Glob state, Glob principal, String reason,
                              java.time.LocalDate expires, int line) {

        /** Whether it covers the finding on this day: same type, every glob it gives matches, not expired. */
        public boolean matches(io.statetrail.core.finding.Finding f, java.time.LocalDate today) {
            return type.equals(f.type()) && (expires == null || today == null || !today.isAfter(expires))
                    && fits(subject, f.subject()) && fits(role, f.roleArn()) && fits(state, f.stateKey())
                    && fits(principal, f.details().get("principal"));
        }

        /** What a finding it covers says in {@code details.suppressedBy}: where it is and why. */
        public String describe() {
            return "line " + line + ": " + reason;
        }

        private static boolean fits(Glob glob, String value) {
            return glob == null || glob.matches(value);
        }
    }

    /**
     * @param arn       glob over the role ARN
     * @param subjects  globs over the subject
     * @param providers optional globs over the OIDC provider ARN; empty means any provider
     */
    public record RoleEntry(Glob arn, List<Glob> subjects, List<Glob> providers, int line) {
        public RoleEntry {
            subjects = List.copyOf(subjects);
            providers = List.copyOf(providers);
        }

        /**
         * Allowed when a subject pattern matches and the provider fits: one of {@code providers} when listed, otherwise
         * the issuer the pattern's shape implies ({@code repo:…} patterns accept GitHub's issuers only), so the same
         * subject minted by another OIDC provider trusted in the account is not accepted.
         */
        public boolean allows(Subject subject, String provider) {
            if (!providers.isEmpty()) {
                return providers.stream().anyMatch(g -> g.matches(provider)) && anyMatches(subjects, subject);
            }
            return subject != null && subjects.stream().anyMatch(p -> subjectMatches(p, subject) && ProviderFamily.fits(p, provider));
        }
    }

    /**
     * @param key     glob over {@code <bucket>/<state object key>}
     * @param writers may write and delete the state and take its lock
     * @param readers may read the state and take its lock; defaults to the writers
     */
    public record StateEntry(Glob key, List<Glob> writers, List<Glob> readers, Duration staleLockAfter, int line) {
        public StateEntry {
            writers = List.copyOf(writers);
            readers = List.copyOf(readers);
        }
    }

    /** Entries that cover this role ARN, in file order. */
    public List<RoleEntry> rolesFor(String roleArn) {
        return roles.stream().filter(r -> r.arn().matches(roleArn)).toList();
    }

    /** Whether any role entry covering this role allows the subject (and provider). */
    public boolean roleAllows(String roleArn, Subject subject, String provider) {
        return rolesFor(roleArn).stream().anyMatch(r -> r.allows(subject, provider));
    }

    /** The first entry, in file order, whose key covers this state key. */
    public Optional<StateEntry> stateFor(String stateKey) {
        return states.stream().filter(s -> s.key().matches(stateKey)).findFirst();
    }

    /** Whether some entry names this state key explicitly, so it is a state object whatever its suffix. */
    public boolean coversStateKey(String stateKey) {
        return stateFor(stateKey).isPresent();
    }

    /** Whether some {@code states} entry can name an object of this bucket: the bucket holds state by the policy. */
    public boolean namesBucket(String bucket) {
        return bucket != null && states.stream().anyMatch(s -> s.key().matchesSomeStringStartingWith(bucket + "/"));
    }

    public boolean isWriter(String stateKey, Subject subject) {
        return stateFor(stateKey).map(s -> anyMatches(s.writers(), subject)).orElse(false);
    }

    public boolean isReader(String stateKey, Subject subject) {
        return stateFor(stateKey).map(s -> anyMatches(s.readers(), subject) || anyMatches(s.writers(), subject)).orElse(false);
    }

    /** For principals not rooted in web identity: an {@code arn:} writer entry matching any of their ARNs. */
    public boolean isWriterPrincipal(String stateKey, List<String> principalArns) {
        return stateFor(stateKey).map(s -> anyArnMatches(s.writers(), principalArns)).orElse(false);
    }

    public boolean isReaderPrincipal(String stateKey, List<String> principalArns) {
        return stateFor(stateKey)
                .map(s -> anyArnMatches(s.readers(), principalArns) || anyArnMatches(s.writers(), principalArns))
                .orElse(false);
    }

    public Duration staleLockAfter(String stateKey) {
        return stateFor(stateKey).map(StateEntry::staleLockAfter).orElse(DEFAULT_STALE_LOCK_AFTER);
    }

    /** Lock tables: the listed ones; when none are listed, any table whose key is Terraform's {@code LockID}. */
    public boolean isLockTable(String tableName) {
        return lockTables.isEmpty() || lockTables.contains(tableName);
    }

    /**
     * A subject pattern matches the subject as recorded; a classic-form pattern (no immutable ids) also matches
     * the subject with its ids removed, so repositories on GitHub's immutable subjects keep their access.
     */
    public static boolean subjectMatches(Glob pattern, Subject subject) {
        if (pattern.pattern().startsWith("arn:")) {
            return false;
        }
        if (pattern.matches(subject.raw())) {
            return true;
        }
        return subject.hasImmutableIds()
                && !SubjectParser.pinsImmutableIds(pattern.pattern())
                && pattern.matches(subject.withoutImmutableIds());
    }

    static boolean anyMatches(List<Glob> patterns, Subject subject) {
        return subject != null && patterns.stream().anyMatch(p -> subjectMatches(p, subject));
    }

    static boolean anyArnMatches(List<Glob> patterns, List<String> arns) {
        return patterns.stream()
                .filter(p -> p.pattern().startsWith("arn:"))
                .anyMatch(p -> arns.stream().anyMatch(p::matches));
    }
}
