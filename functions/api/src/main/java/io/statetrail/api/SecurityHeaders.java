package io.statetrail.api;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Headers on every response: a Content-Security-Policy that allows only our own scripts, styles and images (no inline
 * script, so an escaping mistake in the dashboard still cannot run injected markup), no framing, no sniffing, no
 * referrer. No CORS headers are ever sent: the dashboard is same-origin.
 *
 * <p>{@code statetrail.allowed-hosts} (set by {@code ./statetrail serve}) refuses requests whose Host is not the
 * loopback name they were sent to: a web page the reviewer visits cannot reach the local server by DNS rebinding.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SecurityHeaders {

    public static final String CSP = "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

    private final Set<String> allowedHosts;

    public SecurityHeaders(@Nullable @Property(name = "statetrail.allowed-hosts") String allowedHosts) {
        this.allowedHosts = allowedHosts == null ? Set.of() : Arrays.stream(allowedHosts.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> checkHost(HttpRequest<?> request) {
        if (allowedHosts.isEmpty()) {
            return null;
        }
        String host = hostName(request.getHeaders().get(HttpHeaders.HOST));
        if (host != null && allowedHosts.contains(host)) {
            return null;
        }
        MutableHttpResponse<String> r = (MutableHttpResponse<String>) ApiErrors.respond(421, "misdirected",
                "this server answers only requests addressed to " + String.join(" or ", allowedHosts.stream().sorted().toList()));
        apply(r);
        return r;
    }

    @ResponseFilter
    public void headers(MutableHttpResponse<?> response) {
        apply(response);
    }

    static void apply(MutableHttpResponse<?> r) {
        r.header("Content-Security-Policy", CSP);
        r.header("X-Content-Type-Options", "nosniff");
        r.header("X-Frame-Options", "DENY");
        r.header("Referrer-Policy", "no-referrer");
        r.header("Cross-Origin-Opener-Policy", "same-origin");
        r.header("Cross-Origin-Resource-Policy", "same-origin");
        if (!r.getHeaders().contains(HttpHeaders.CACHE_CONTROL)) {
            r.header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    /** {@code 127.0.0.1:8080} → {@code 127.0.0.1}, {@code [::1]:8080} → {@code [::1]}. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
