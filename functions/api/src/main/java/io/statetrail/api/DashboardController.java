package io.statetrail.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's pages and assets, from {@code public/} on the classpath, served by name from a fixed list (so nothing
 * else on the classpath can be asked for), and the OpenAPI description generated at compile time. A page is its own
 * {@code <main>} content set in {@code public/layout.html} (head, navigation, look-up form, footer), once per page.
 */
@Controller
@Hidden
public class DashboardController {

    private static final String HTML = "text/html; charset=utf-8";
    /** A page: its content file, its title and its id (which navigation link it lights up). */
    private record Page(String file, String title, String id) {
    }

    private static final Map<String, Page> PAGES = Map.of(
            "", new Page("index.html", "Overview", "overview"),
            "runs", new Page("runs.html", "Runs", "runs"),
            "run", new Page("run.html", "Run", "run"),
            "state", new Page("state.html", "State", "state"),
            "findings", new Page("findings.html", "Findings", "findings"),
            "finding", new Page("finding.html", "Finding", "finding"));
    private static final Map<String, String> ASSETS = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
    /** The token the pages send with a status change (the local server's); empty in AWS, where requests are signed. */
    private final String csrf;

    public DashboardController(@io.micronaut.core.annotation.Nullable Requesters requesters) {
        String t = requesters == null ? null : requesters.pageToken();
        this.csrf = t == null ? "" : t;
    }

    @Get(uri = "/", produces = HTML)
    public HttpResponse<byte[]> index() {
        return page("", null);
    }

    @Get(uri = "/{page}", produces = HTML)
    public HttpResponse<byte[]> page(@PathVariable String page, HttpRequest<?> request) {
        Page p = PAGES.get(page);
        if (p == null) {
            if (request != null && ApiErrors.wantsPage(request)) {
                return notFound("/" + page);
            }
            throw BadQuery.notFound("no page '" + QueryParams.clip(page) + "'");
        }
        return HttpResponse.ok(pages.computeIfAbsent(page, k -> compose(p))).contentType(MediaType.of(HTML));
    }

    private byte[] compose(Page p) {
        String main = new String(resource("public/" + p.file()), StandardCharsets.UTF_8);
        return layout(p.title(), p.id(), main).replace("{{csrf}}", csrf).getBytes(StandardCharsets.UTF_8);
    }

    private static String layout(String title, String id, String main) {
        String layout = new String(read("public/layout.html"), StandardCharsets.UTF_8);
        return layout.replace("{{title}}", title).replace("{{page}}", id).replace("{{main}}", main);
    }

    /**
     * A page, not the API's JSON, for a person who followed a stale or mistyped link: what was asked for (as text) and
     * where to go instead.
     */
    static HttpResponse<byte[]> notFound(String path) {
        String main = "  <h1>Not found</h1>\n  <section class=\"card\"><p>There is no page <code>" + escape(QueryParams.clip(path))
                + "</code> here.</p>\n  <p>Start from the <a href=\"/\">overview</a>, the <a href=\"/findings\">findings</a> or the "
                + "<a href=\"/runs\">runs</a>, or look up an access key or state key above. The API is under <code>/api</code>, "
                + "described at <a href=\"/openapi.yml\">/openapi.yml</a>.</p></section>\n";
        return HttpResponse.<byte[]>status(io.micronaut.http.HttpStatus.NOT_FOUND)
                .body(layout("Not found", "notfound", main).replace("{{csrf}}", "").getBytes(StandardCharsets.UTF_8)).contentType(MediaType.of(HTML));
    }

    /** Outside text in HTML: the five characters that could end a text node or an attribute. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Get(uri = "/assets/{name}")
    public HttpResponse<byte[]> asset(@PathVariable String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            throw BadQuery.notFound("no asset '" + QueryParams.clip(name) + "'");
        }
        return HttpResponse.ok(resource("public/assets/" + name)).contentType(MediaType.of(type))
                .header("Cache-Control", "no-cache");
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    public HttpResponse<byte[]> openApi() {
        return HttpResponse.ok(resource(OpenApi.RESOURCE)).contentType(MediaType.of("application/yaml"));
    }

    private byte[] resource(String path) {
        return cache.computeIfAbsent(path, DashboardController::read);
    }

    private static byte[] read(String path) {
        try (InputStream in = DashboardController.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (build problem)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
