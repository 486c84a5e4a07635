package io.statetrail.core.finding;

/** The finding types: their names are part of the contract with other tools. */
public enum FindingType {
    UNEXPECTED_SUBJECT("unexpected-subject", Severity.HIGH, Settling.FINAL),
    WEB_IDENTITY_DENIED("web-identity-denied", Severity.MEDIUM, Settling.FINAL),
    STATE_WRITE_UNEXPECTED_SUBJECT("state-write-unexpected-subject", Severity.CRITICAL, Settling.FINAL_WHEN_TRACED),
    STATE_READ_UNEXPECTED_SUBJECT("state-read-unexpected-subject", Severity.MEDIUM, Settling.FINAL_WHEN_TRACED),
    NON_FEDERATED_STATE_WRITE("non-federated-state-write", Severity.HIGH, Settling.FINAL_WHEN_TRACED),
    UNLOCKED_STATE_WRITE("unlocked-state-write", Severity.HIGH, Settling.WAITS),
    // Raised by the sweeper, which judges a lock as of its settle window ago (a late release would undo it).
    STALE_LOCK("stale-lock", Severity.MEDIUM, Settling.FINAL),
    FORCE_UNLOCK("force-unlock", Severity.HIGH, Settling.WAITS),
    STATE_DELETED("state-deleted", Severity.CRITICAL, Settling.FINAL),
    TRUST_POLICY_WEAKENED("trust-policy-weakened", Severity.CRITICAL, Settling.FINAL),
    // Raised by the sweeper only after its grace period and a CloudTrail look-up for the missing issuing event.
    UNATTRIBUTED_SESSION("unattributed-session", Severity.MEDIUM, Settling.FINAL),
    // Issue 19, the store itself: severities are the highest each type gives (one step lower when an admin made it).
    LOCK_TABLE_CHANGED("lock-table-changed", Severity.CRITICAL, Settling.FINAL_WHEN_TRACED),
    STATE_BUCKET_WEAKENED("state-bucket-weakened", Severity.CRITICAL, Settling.FINAL_WHEN_TRACED),
    STATE_VERSION_DELETED("state-version-deleted", Severity.CRITICAL, Settling.FINAL_WHEN_TRACED),
    STATE_KEY_DISABLED("state-key-disabled", Severity.CRITICAL, Settling.FINAL_WHEN_TRACED),
    // Judged per run on all its sessions (claims) and all its calls (source addresses).
    RUN_CLAIMS_MISMATCH("run-claims-mismatch", Severity.HIGH, Settling.FINAL_WHEN_TRACED),
    SESSION_USED_ELSEWHERE("session-used-elsewhere", Severity.HIGH, Settling.FINAL_WHEN_TRACED),
    // Posture (issue 16): judged on the roles as IAM lists them, not on the trail; a role fixed later resolves its finding.
    OIDC_TRUST_TOO_WIDE("oidc-trust-too-wide", Severity.CRITICAL, Settling.FINAL, Source.POSTURE),
    OIDC_ROLE_UNLISTED("oidc-role-unlisted", Severity.MEDIUM, Settling.FINAL, Source.POSTURE);

    /** What a finding of this type is judged on. */
    public enum Source {
        /** CloudTrail records: replay, ingest and sweep. */
        TRAIL,
        /** The roles and OIDC providers IAM lists in an account ({@code statetrail posture}, the sweeper's daily posture run). */
        POSTURE
    }

    /**
     * Whether CloudTrail records that arrive late (minutes, out of order) can still undo a finding of this type, and so
     * whether the live service waits for the settle window before paging it ({@code docs/alerts.md}, "Settle before
     * paging").
     */
    public enum Settling {
        /** Nothing that arrives later can undo it (a login's subject, a deleted state, a trust policy): paged at once. */
        FINAL,
        /**
         * Final once the acting run is traced to its origin without a guess; while a hop or the login is missing, or a
         * hop was linked by its only candidate, a late record can re-attribute it, so it waits.
         */
        FINAL_WHEN_TRACED,
        /** Decided by pairing calls that travel apart (a lock and a write, a release and its lock, ties within a second). */
        WAITS
    }

    private final String id;
    private final Severity severity;
    private final Settling settling;
    private final Source source;

    FindingType(String id, Severity severity, Settling settling) {
        this(id, severity, settling, Source.TRAIL);
    }

    FindingType(String id, Severity severity, Settling settling, Source source) {
        this.id = id;
        this.severity = severity;
        this.settling = settling;
        this.source = source;
    }

    public Source source() {
        return source;
    }

    /** The type with this contract name, if any. */
    public static java.util.Optional<FindingType> byId(String id) {
        for (FindingType t : values()) {
            if (t.id.equals(id)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }

    public Settling settling() {
        return settling;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }
}
