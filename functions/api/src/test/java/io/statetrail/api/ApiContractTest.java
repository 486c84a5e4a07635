package io.statetrail.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestBean;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The HTTP contract over real HTTP, on a small in-memory trail: parameters checked, errors as JSON with clear words,
 * security headers on every response, CSV quoting and formula neutralisation, OpenAPI and dashboard assets served.
 */
class ApiContractTest {

    static ApiServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = ApiServer.start(new FixtureQueries(), 0, "2026-11-18T12:00:00Z");
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lineageOfAHopReturnsItsWholeRunRootFirst() {
        JsonNode run = http.json("/api/lineage/" + FixtureQueries.HOP_PROD);
        assertEquals(FixtureQueries.HOP_RUN, run.at("/summary/runKey").asText());
        assertEquals("AssumeRoleWithWebIdentity", run.at("/hops/0/method").asText());
        assertEquals("222222222222", run.at("/hops/1/account").asText());
        assertEquals("2026-11-10T12:00:10Z", run.at("/hops/1/issuedAt").asText());
        assertEquals("-runner@fv-az123", run.at("/hops/1/activity/0/lock/who").asText());
    }

    @Test
    void unknownAccessKeyIs404WithAClearJsonError() {
        HttpResponse<String> r = http.get("/api/lineage/ASIAUNKNOWNKEY000000");
        assertEquals(404, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode e = Http.parse(r.body()).get("error");
        assertEquals(404, e.get("status").asInt());
        assertEquals("not-found", e.get("code").asText());
        assertTrue(e.get("message").asText().contains("ASIAUNKNOWNKEY000000"), e.toString());
    }

    @Test
    void malformedAccessKeyIs400() {
        assertError(400, "/api/lineage/not-a-key", "not an AWS access key");
    }

    @Test
    void runsFilterByRepositorySubjectGlobAndTime() {
        assertEquals(1, http.json("/api/runs?repository=acme/platform").get("items").size());
        assertEquals(2, http.json("/api/runs?subject=" + Http.q("repo:acme/infra:*")).get("items").size());
        assertEquals(1, http.json("/api/runs?from=2026-11-15").get("items").size());
        JsonNode page = http.json("/api/runs?limit=1");
        assertEquals(1, page.get("items").size());
        assertEquals(FixtureQueries.HOSTILE_RUN, page.at("/items/0/runKey").asText(), "newest first");
        String next = page.get("next").asText();
        JsonNode second = http.json("/api/runs?limit=1&cursor=" + Http.q(next));
        assertEquals(FixtureQueries.HOP_RUN, second.at("/items/0/runKey").asText());
    }

    @Test
    void badTimeRangeOversizedPageUnknownParameterAndBadCursorAre400() {
        assertError(400, "/api/runs?from=2026-11-10&to=2026-11-01", "bad time range");
        assertError(400, "/api/runs?from=yesterday", "is not a time");
        assertError(400, "/api/runs?limit=5000", "outside 1..500");
        assertError(400, "/api/runs?limit=ten", "not a whole number");
        assertError(400, "/api/runs?repo=acme/infra", "unknown parameter 'repo'");
        assertError(400, "/api/runs?repository=a/b&repository=c/d", "more than once");
        assertError(400, "/api/runs?cursor=forged", "cursor");
        assertError(400, "/api/findings?severity=urgent", "expected low, medium, high or critical");
        assertError(400, "/api/findings?type=bad-thing", "not a finding type");
        assertError(400, "/api/state/timeline", "missing parameter 'key'");
        assertError(400, "/api/activity?repository=acme/infra&subject=repo:*", "exactly one");
    }

    @Test
    void stateTimelineIsNewestFirstWithLockHolderAndUnknownStateIs404() {
        JsonNode page = http.json("/api/state/timeline?key=" + Http.q(FixtureQueries.PROD_STATE));
        List<String> kinds = new ArrayList<>();
        page.get("items").forEach(a -> kinds.add(a.get("kind").asText()));
        assertEquals(List.of("unlock", "write", "read", "lock"), kinds);
        assertEquals("OperationTypeApply", page.at("/items/3/lock/operation").asText());
        assertError(404, "/api/state/timeline?key=" + Http.q("nope-bucket/none.tfstate"), "no activity on state");
        assertError(400, "/api/state/timeline?key=nokey", "not a state key");
    }

    @Test
    void activityOfARepositoryOrSubjectPattern() {
        assertEquals(4, http.json("/api/activity?repository=acme/platform").get("items").size());
        assertEquals(1, http.json("/api/activity?subject=" + Http.q("repo:acme/infra:ref:refs/heads/main")).get("items").size());
    }

    @Test
    void openLocksCarryAgeAtTheServersNowAndTheirStaleFinding() {
        JsonNode locks = http.json("/api/locks");
        assertEquals(1, locks.size());
        JsonNode l = locks.get(0);
        assertEquals(FixtureQueries.STALE_STATE, l.at("/lock/stateKey").asText());
        assertEquals(Duration.between(java.time.Instant.parse("2026-11-02T08:00:14Z"), java.time.Instant.parse("2026-11-18T12:00:00Z")).getSeconds(),
                l.get("ageSeconds").asLong());
        assertEquals("stale-lock-aabbccddeeff00112233", l.get("staleFindingId").asText());
        assertEquals(0, http.json("/api/locks?stateKey=" + Http.q(FixtureQueries.PROD_STATE)).size());
    }

    @Test
    void findingsFilterBySeverityTypeRepositoryAndTime() {
        assertEquals(3, http.json("/api/findings").get("items").size());
        assertEquals(2, http.json("/api/findings?severity=high").get("items").size());
        assertEquals(1, http.json("/api/findings?severity=critical").get("items").size());
        assertEquals(1, http.json("/api/findings?type=stale-lock").get("items").size());
        assertEquals(2, http.json("/api/findings?repository=acme/infra&to=2026-11-03").get("items").size());
        JsonNode f = http.json("/api/findings/stale-lock-aabbccddeeff00112233");
        assertEquals("medium", f.get("severity").asText(), "finding JSON is FindingJson's contract");
        // Suppressed by the policy: listed like any other, marked, with the entry that suppressed it.
        assertTrue(f.get("suppressed").asBoolean());
        assertEquals("line 31: nightly <i>batch</i> holds its lock", f.at("/details/suppressedBy").asText());
        assertFalse(http.json("/api/findings/state-write-unexpected-subject-0123456789abcdef0123").has("suppressed"));
        assertError(404, "/api/findings/stale-lock-ffffffffffffffffffff", "no finding");
        // Findings paged and then withdrawn: only on request, with why.
        assertEquals(3, http.json("/api/findings?withdrawn=exclude").get("items").size());
        JsonNode only = http.json("/api/findings?withdrawn=only").get("items");
        assertEquals(1, only.size());
        assertEquals("the run held the lock when it wrote: <b>runner</b> took it", only.get(0).at("/details/withdrawn").asText());
        assertEquals(4, http.json("/api/findings?withdrawn=include").get("items").size());
        assertError(400, "/api/findings?withdrawn=maybe", "expected exclude, include or only");
    }

    @Test
    void csvExportQuotesEveryFieldAndNeutralisesFormulas() {
        HttpResponse<String> r = http.get("/api/findings.csv?type=unexpected-subject");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("statetrail-findings.csv"));
        String[] lines = r.body().split("\r\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("\"time\",\"severity\",\"type\""), lines[0]);
        assertTrue(lines[1].contains("\"'=HYPERLINK(\"\"http://x\"\") subject not allowed"), lines[1]);
        assertTrue(lines[1].contains("\"who=@evil\""), lines[1]);

        String timeline = http.get("/api/state/timeline.csv?key=" + Http.q(FixtureQueries.PROD_STATE)).body();
        assertTrue(timeline.contains("\"'-runner@fv-az123\""), timeline);
        assertEquals(5, timeline.split("\r\n").length);
    }

    @Test
    void overviewCountsFindingsPerDayAndRunsPerRepository() {
        JsonNode o = http.json("/api/overview?days=30&hours=720");
        assertEquals("2026-11-18T12:00:00Z", o.get("now").asText());
        assertEquals(30, o.at("/chart/days").size());
        assertEquals(1, o.at("/chart/totals/critical").asInt());
        assertEquals(1, o.at("/chart/totals/high").asInt());
        assertEquals(2, o.get("latest").size(), "critical and high only");
        assertEquals(1, o.get("locks").size());
        assertEquals("acme/infra", o.at("/runs/repositories/0/repository").asText());
        assertEquals(2, o.at("/runs/repositories/0/runs").asInt());
        assertEquals(1, http.json("/api/overview").at("/runs/total").asInt(), "last 24 h by default");
    }

    @Test
    void everyResponseCarriesAStrictCspAndNoCors() {
        for (String path : List.of("/", "/run?key=x", "/assets/app.js", "/api/runs", "/api/lineage/x", "/nope")) {
            HttpResponse<String> r = http.get(path);
            assertEquals(SecurityHeaders.CSP, r.headers().firstValue("Content-Security-Policy").orElse(null), path);
            assertTrue(SecurityHeaders.CSP.startsWith("default-src 'self'"));
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), path);
            // A page on another origin gets no CORS grant (Micronaut refuses it outright on a loopback server).
            HttpResponse<String> cross = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                    .header("Origin", "https://evil.example").GET().build());
            assertTrue(cross.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), path);
            assertEquals(403, cross.statusCode(), path);
        }
    }

    @Test
    void requestsForAnotherHostAreRefused() {
        // java.net.http refuses to set Host itself, so speak HTTP/1.1 on a socket, as a DNS-rebinding page would.
        String answer = Raw.get(server.port(), "/api/runs", "attacker.example");
        assertTrue(answer.startsWith("HTTP/1.1 421"), answer);
        assertTrue(Raw.get(server.port(), "/api/runs", "localhost:" + server.port()).startsWith("HTTP/1.1 200"));
    }

    @Test
    void unknownPathsAndWritesGetJsonErrors() {
        assertError(404, "/api/nothing", "no such page or endpoint");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());
        assertEquals(405, post.statusCode(), post.body());
        assertEquals("method-not-allowed", Http.parse(post.body()).at("/error/code").asText());
    }

    @Test
    void openApiDescribesTheEndpoints() {
        HttpResponse<String> r = http.get("/openapi.yml");
        assertEquals(200, r.statusCode());
        for (String path : List.of("/api/lineage/{accessKeyId}", "/api/runs:", "/api/runs/{runKey}", "/api/state/timeline:",
                "/api/activity:", "/api/locks:", "/api/findings:", "/api/findings.csv", "/api/state/timeline.csv")) {
            assertTrue(r.body().contains(path), path);
        }
        assertFalse(r.body().contains("/assets/"), "dashboard routes are not API");
    }

    /**
     * The request records are the parameters' only declaration: every component of every record an endpoint binds is
     * in the served description, at that endpoint, in the same place and with the same words, and nothing else is.
     */
    @Test
    void openApiDocumentsEveryComponentOfEveryRequestRecord() {
        Map<String, Object> doc = new Yaml().load(http.get("/openapi.yml").body());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) doc.get("paths");
        Set<Class<?>> bound = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (Method m : QueryController.class.getDeclaredMethods()) {
            Get get = m.getAnnotation(Get.class);
            if (get == null) {
                continue;
            }
            String path = "/api" + get.uri();
            endpoints.add(path);
            Map<String, String> expected = new TreeMap<>();
            for (java.lang.reflect.Parameter p : m.getParameters()) {
                if (p.isAnnotationPresent(RequestBean.class)) {
                    @SuppressWarnings("unchecked")
                    Class<? extends Record> type = (Class<? extends Record>) p.getType();
                    bound.add(type);
                    assertEquals(type.getRecordComponents().length, RequestRecords.params(type).size(), type.getName());
                    for (RequestRecords.Param rp : RequestRecords.params(type)) {
                        expected.put((rp.inPath() ? "path " : "query ") + rp.name(), rp.description());
                    }
                }
            }
            assertTrue(paths.containsKey(path), path + " in " + paths.keySet());
            Map<String, String> documented = new TreeMap<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> params = (List<Map<String, Object>>) paths.get(path).get("get").getOrDefault("parameters", List.of());
            for (Map<String, Object> p : params) {
                documented.put(p.get("in") + " " + p.get("name"), String.valueOf(p.get("description")));
            }
            assertEquals(expected, documented, path);
        }
        for (Method m : TriageController.class.getDeclaredMethods()) {
            io.micronaut.http.annotation.Post post = m.getAnnotation(io.micronaut.http.annotation.Post.class);
            if (post != null) {
                String path = "/api" + post.uri();
                endpoints.add(path);
                assertTrue(paths.get(path).containsKey("post"), path + " is a POST");
            }
        }
        assertEquals(paths.keySet(), endpoints, "the description has the controllers' endpoints, no more");
        assertEquals(Set.of(LineageRequest.class, RunRequest.class, FindingRequest.class, RunsRequest.class, StateTimelineRequest.class,
                ActivityRequest.class, LocksRequest.class, FindingsRequest.class, OverviewRequest.class, PageRequest.class, CallRecordRequest.class), bound);
    }

    @Test
    void dashboardPagesAndAssetsAreServedByUsWithoutInlineScript() {
        for (String page : List.of("/", "/runs", "/run", "/state", "/findings", "/finding")) {
            HttpResponse<String> r = http.get(page);
            assertEquals(200, r.statusCode(), page);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page);
            String html = r.body();
            assertTrue(html.contains("<script src=\"/assets/app.js\" defer></script>"), page);
            assertFalse(html.matches("(?s).*<script(?![^>]*src=\"/assets/)[^>]*>.*"), "no inline script on " + page);
            assertFalse(html.contains(" style="), "no inline style on " + page);
            assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no outside assets on " + page);
        }
        String js = http.get("/assets/app.js").body();
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")) {
            // The header comment names them once; the code must not use them.
            assertEquals(js.indexOf(sink), js.lastIndexOf(sink), sink + " used in app.js");
        }
        assertEquals(404, http.get("/assets/../application.yml").statusCode());
        assertEquals(404, http.get("/assets/logback.xml").statusCode());
    }

    private static void assertError(int status, String path, String words) {
        HttpResponse<String> r = http.get(path);
        assertEquals(status, r.statusCode(), path + " -> " + r.body());
        JsonNode e = Http.parse(r.body()).get("error");
        assertNotNull(e, r.body());
        assertTrue(e.get("message").asText().contains(words), path + ": " + e.get("message").asText());
    }

    @Test
    void clippedEchoNeverCarriesControlCharacters() {
        assertEquals("a?b", QueryParams.clip("a\u001bb"));
        assertNull(SecurityHeaders.hostName(null));
        assertEquals("[::1]", SecurityHeaders.hostName("[::1]:8080"));
        assertEquals("localhost", SecurityHeaders.hostName("LocalHost:80"));
        assertEquals(URI.create("http://127.0.0.1:" + server.port()), server.uri());
    }
}
