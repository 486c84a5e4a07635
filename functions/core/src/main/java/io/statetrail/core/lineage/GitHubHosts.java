package io.statetrail.core.lineage;

import java.util.Locale;

/** Which GitHub a token came from, by its OIDC provider (the IAM provider ARN or the issuer host and path). */
final class GitHubHosts {

    private static final String DOT_COM_ISSUER = "token.actions.githubusercontent.com";

    private GitHubHosts() {
    }

    /**
     * The web host of the GitHub that issued the token, or null when the provider is not a GitHub one:
     * {@code token.actions.githubusercontent.com[/<enterprise>]} is github.com (an enterprise's custom issuer path does
     * not change the host), {@code token.actions.<name>.ghe.com} is {@code <name>.ghe.com} (GHE.com data residency),
     * {@code <host>/_services/token} is that GitHub Enterprise Server.
     */
    static String webHost(String provider) {
        if (provider == null) {
            return null;
        }
        String p = provider;
        int at = p.indexOf(":oidc-provider/");
        if (at >= 0) {
            p = p.substring(at + ":oidc-provider/".length());
        } else if (p.startsWith("https://")) {
            p = p.substring("https://".length());
        }
        String host = p.split("/", 2)[0].toLowerCase(Locale.ROOT);
        if (!host.matches("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*(:[0-9]{1,5})?") || host.length() > 253) {
            return null;
        }
        if (host.equals(DOT_COM_ISSUER)) {
            return "github.com";
        }
        if (host.startsWith("token.actions.") && host.endsWith(".ghe.com")) {
            return host.substring("token.actions.".length());
        }
        if (p.contains("/_services/token")) {
            return host;
        }
        return null;
    }
}
