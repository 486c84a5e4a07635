package io.statetrail.core.iam;

import java.util.List;

/**
 * The roles and OIDC providers of one AWS account, as IAM lists them at one moment: what posture judges.
 *
 * @param oidcProviders ARNs of the account's OIDC identity providers ({@code ListOpenIDConnectProviders})
 */
public record AccountInventory(String account, List<IamRole> roles, List<String> oidcProviders) {

    public AccountInventory {
        roles = List.copyOf(roles);
        oidcProviders = List.copyOf(oidcProviders);
    }
}
