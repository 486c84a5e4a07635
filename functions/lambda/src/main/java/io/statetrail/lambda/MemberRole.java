package io.statetrail.lambda;

import java.util.function.Supplier;

/**
 * The role the functions assume in a member account ({@code STATETRAIL_LOCK_READER_ROLE}, created by the
 * statetrail-member module) to read locks there and, for posture, its IAM roles; in their own account they use their
 * own credentials.
 */
final class MemberRole {

    private final String roleName;
    private final Supplier<String> homeAccount;

    /** @param homeAccount the functions' own account, asked of STS on first need */
    MemberRole(String roleName, Supplier<String> homeAccount) {
        this.roleName = roleName;
        this.homeAccount = homeAccount;
    }

    /**
     * Null for the functions' own account (and an unknown one); the member role's ARN otherwise.
     *
     * @throws IllegalStateException when the account is another and no member role is configured
     */
    String arnFor(String account, String purpose) {
        if (account == null || account.equals(homeAccount.get())) {
            return null;
        }
        if (roleName == null) {
            throw new IllegalStateException(purpose + " in account " + account + " and no STATETRAIL_LOCK_READER_ROLE to read it");
        }
        return "arn:aws:iam::" + account + ":role/" + roleName;
    }

    String homeAccount() {
        return homeAccount.get();
    }
}
