package io.statetrail.core.event;

/**
 * A CloudTrail record that matters to statetrail, reduced to what the audit trail needs. Session tokens
 * never get this far: the parser drops them.
 */
public sealed interface TrailEvent permits RoleAssumed, RoleAssumptionFailed, StateAccess, TrustPolicyChanged {

    EventMeta meta();

    /** Short name of what happened, for timelines: login, assume-role, read, write, delete, lock, unlock, bulk-delete… */
    default String kind() {
        if (this instanceof RoleAssumed r) {
            return r.webIdentity() != null ? "login" : "assume-role";
        }
        if (this instanceof RoleAssumptionFailed) {
            return "assume-role-failed";
        }
        if (this instanceof StateAccess s) {
            return s.operation().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
        return "trust-policy-change";
    }
}
