package io.statetrail.core.event;

/**
 * A CloudTrail record that matters to statetrail, reduced to what the audit trail needs. Session tokens
 * never get this far: the parser drops them.
 */
public sealed interface TrailEvent permits RoleAssumed, RoleAssumptionFailed, StateAccess, TrustPolicyChanged, StoreChange {

    EventMeta meta();

    /**
     * Short name of what happened, for timelines: login, assume-role, read, write, delete, lock, unlock, bulk-delete,
     * delete-version…; for a store change its CloudTrail name in kebab case (put-bucket-versioning, delete-table…)
     */
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
        if (this instanceof StoreChange c) {
            // PutBucketVersioning -> put-bucket-versioning: which change, in the timeline's words
            return c.meta().eventName() == null ? "store-change" : c.meta().eventName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }
        return "trust-policy-change";
    }
}
