package io.statetrail.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error as {@code {"error":{"status","code","message"}}}: refused queries with their own words, unknown paths
 * and methods, and anything else as a 500 whose details stay in the server log.
 */
@Controller
@Hidden
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Error(status = HttpStatus.NOT_FOUND, global = true)
    public HttpResponse<?> notFound(HttpRequest<?> request) {
        if (wantsPage(request)) {
            return DashboardController.notFound(decoded(request.getPath()));
        }
        return respond(404, "not-found", "no such page or endpoint: " + QueryParams.clip(request.getPath())
                + " (the API is under /api; its description is /openapi.yml)");
    }

    @Error(status = HttpStatus.METHOD_NOT_ALLOWED, global = true)
    public HttpResponse<String> methodNotAllowed(HttpRequest<?> request) {
        return respond(405, "method-not-allowed", "the API is read-only: use GET");
    }

    @Error(global = true, exception = Throwable.class)
    public HttpResponse<String> failure(HttpRequest<?> request, Throwable t) {
        if (t instanceof BadQuery b) {
            return respond(b.status(), b.code(), b.getMessage());
        }
        if (t instanceof UnsatisfiedRouteException u) {
            return respond(400, "bad-query", "missing or unreadable parameter '" + u.getArgument().getName() + "'");
        }
        if (t instanceof HttpStatusException h && h.getStatus().getCode() < 500) {
            return respond(h.getStatus().getCode(), "bad-request", String.valueOf(h.getMessage()));
        }
        LOG.error("{} {} failed", request.getMethodName(), request.getPath(), t);
        return respond(500, "internal", "the query failed on the server; the server log has the details");
    }

    /** The path as the person typed or followed it; a malformed escape stays as it came. */
    static String decoded(String path) {
        try {
            return java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    /** A browser asking for a page (not the API, not a script): it gets a page, not JSON. */
    static boolean wantsPage(HttpRequest<?> request) {
        String path = request.getPath();
        return !path.equals("/api") && !path.startsWith("/api/") && request.getHeaders().accept().stream()
                .anyMatch(m -> m.getName().equals(MediaType.TEXT_HTML));
    }

    static HttpResponse<String> respond(int status, String code, String message) {
        return HttpResponse.<String>status(HttpStatus.valueOf(status))
                .body(ApiJson.error(status, code, message))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** Refused queries are expected: answer them without the global handler's logging. */
    @Singleton
    static final class BadQueryHandler implements ExceptionHandler<BadQuery, HttpResponse<String>> {
        @Override
        public HttpResponse<String> handle(HttpRequest request, BadQuery e) {
            return respond(e.status(), e.code(), e.getMessage());
        }
    }
}
