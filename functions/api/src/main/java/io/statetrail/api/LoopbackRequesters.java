package io.statetrail.api;

import io.micronaut.http.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The local server's rule for requests that change something: from loopback, with the per-process token the served
 * pages carry ({@value #HEADER}), and never from another site: an {@code Origin} other than the server's own, or a
 * browser's {@code Sec-Fetch-Site: cross-site}, is refused. A page of another site open in the same browser can send a
 * request to 127.0.0.1, but can neither read the token nor set the header without a CORS preflight, which this server
 * never answers.
 */
public final class LoopbackRequesters implements Requesters {

    public static final String HEADER = "X-Statetrail-Csrf";

    private final String token;
    private final String user;

    public LoopbackRequesters(String token, String user) {
        this.token = token;
        this.user = user == null || user.isBlank() ? "unknown" : user;
    }

    /** A fresh random token for this process, and who the changes are by. */
    public static LoopbackRequesters forThisProcess(String user) {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return new LoopbackRequesters(HexFormat.of().formatHex(b), user);
    }

    @Override
    public String pageToken() {
        return token;
    }

    @Override
    public String who(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null || remote.getAddress() == null || !remote.getAddress().isLoopbackAddress()) {
            throw BadQuery.forbidden("status changes are accepted from this machine only");
        }
        String host = request.getHeaders().get("Host");
        String origin = request.getHeaders().get("Origin");
        if (origin != null && (host == null || !origin.toLowerCase(Locale.ROOT).equals("http://" + host.toLowerCase(Locale.ROOT)))) {
            throw BadQuery.forbidden("status changes are accepted from this server's own pages only, not from "
                    + QueryParams.clip(origin));
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            throw BadQuery.forbidden("status changes are accepted from this server's own pages only");
        }
        String given = request.getHeaders().get(HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw BadQuery.forbidden("missing or wrong " + HEADER + " header: reload the page");
        }
        return user;
    }
}
