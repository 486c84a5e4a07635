package io.statetrail.core.finding;

/** The finding types: their names are part of the contract with other tools. */
public enum FindingType {
    UNEXPECTED_SUBJECT("unexpected-subject", Severity.HIGH),
    WEB_IDENTITY_DENIED("web-identity-denied", Severity.MEDIUM),
    STATE_WRITE_UNEXPECTED_SUBJECT("state-write-unexpected-subject", Severity.CRITICAL),
    STATE_READ_UNEXPECTED_SUBJECT("state-read-unexpected-subject", Severity.MEDIUM),
    NON_FEDERATED_STATE_WRITE("non-federated-state-write", Severity.HIGH),
    UNLOCKED_STATE_WRITE("unlocked-state-write", Severity.HIGH),
    STALE_LOCK("stale-lock", Severity.MEDIUM),
    FORCE_UNLOCK("force-unlock", Severity.HIGH),
    STATE_DELETED("state-deleted", Severity.CRITICAL),
    TRUST_POLICY_WEAKENED("trust-policy-weakened", Severity.CRITICAL),
    UNATTRIBUTED_SESSION("unattributed-session", Severity.MEDIUM);

    private final String id;
    private final Severity severity;

    FindingType(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }
}
