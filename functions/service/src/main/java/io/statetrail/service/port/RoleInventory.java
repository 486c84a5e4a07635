package io.statetrail.service.port;

import io.statetrail.core.iam.AccountInventory;

/**
 * Lists the IAM roles and OIDC providers of an account ({@code ListRoles}, {@code GetRole},
 * {@code ListOpenIDConnectProviders}): in a member account through the member role, in the functions' own account (and
 * on the command line) with the caller's credentials.
 */
public interface RoleInventory {

    /** @throws Unavailable when the account cannot be read (no role to assume, access denied, throttled) */
    AccountInventory inventory(String account);

    /** The account could not be read: posture keeps what it knew of it rather than resolving its findings. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
