package io.statetrail.api;

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
            "findings", new Page("findings.html", "Findings", "findings"));
    private static final Map<String, String> ASSETS = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();

    @Get(uri = "/", produces = HTML)
    public HttpResponse<byte[]> index() {
        return page("");
    }

    @Get(uri = "/{page}", produces = HTML)
    public HttpResponse<byte[]> page(@PathVariable String page) {
        Page p = PAGES.get(page);
        if (p == null) {
            throw BadQuery.notFound("no page '" + QueryParams.clip(page) + "'");
        }
        return HttpResponse.ok(pages.computeIfAbsent(page, k -> compose(p))).contentType(MediaType.of(HTML));
    }

    private byte[] compose(Page p) {
        String layout = new String(resource("public/layout.html"), StandardCharsets.UTF_8);
        String main = new String(resource("public/" + p.file()), StandardCharsets.UTF_8);
        return layout.replace("{{title}}", p.title()).replace("{{page}}", p.id()).replace("{{main}}", main)
                .getBytes(StandardCharsets.UTF_8);
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
        return cache.computeIfAbsent(path, p -> {
            try (InputStream in = DashboardController.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + p + " (build problem)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
