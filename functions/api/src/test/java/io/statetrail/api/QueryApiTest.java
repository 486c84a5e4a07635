package io.statetrail.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.fixture.SampleFindings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint over real HTTP against DynamoDB Local holding the samples in {@code events/} (ingested through the
 * Ingestor, swept at {@link DemoTrail#NOW}): the runs, hops and findings the samples describe.
 */
class QueryApiTest {

    static Http http;

    @BeforeAll
    static void start() {
        http = new Http(DemoTrail.server().uri());
    }

    @Test
    void findingsAreExactlyTheOnesTheSamplesExpect() {
        TreeSet<String> expected = new TreeSet<>();
        for (SampleFindings.Expected e : SampleFindings.ALL) {
            expected.add(e.type() + " " + e.severity().label() + " " + e.stateKey() + " " + e.accessKeyId());
        }
        TreeSet<String> actual = new TreeSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = http.json("/api/findings?limit=7" + (cursor == null ? "" : "&cursor=" + Http.q(cursor)));
            for (JsonNode f : page.get("items")) {
                actual.add(f.get("type").asText() + " " + f.get("severity").asText() + " "
                        + (f.get("stateKey").isNull() ? "null" : f.get("stateKey").asText()) + " " + f.get("accessKeyId").asText());
            }
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null && pages < 50);
        assertEquals(expected, actual);
        assertTrue(pages >= 3, "paged with the cursor");
    }

    @Test
    void lineageOfTheLastHopIsTheWholeRunRootFirstWithEachHopsActivity() {
        JsonNode run = http.json("/api/lineage/" + DemoTrail.CHAIN_LAST_HOP);
        assertEquals(DemoTrail.CHAIN_RUN, run.at("/summary/runKey").asText());
        assertEquals(DemoTrail.CHAIN_SUBJECT, run.at("/summary/subject").asText());
        assertEquals("acme/infra", run.at("/summary/repository").asText());
        JsonNode hops = run.get("hops");
        assertEquals(3, hops.size(), hops.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(hops.get(i).get("roleArn").asText().endsWith(":role/" + DemoTrail.CHAIN_ROLES.get(i)), hops.get(i).toString());
            assertEquals(DemoTrail.CHAIN_ACCOUNTS.get(i), hops.get(i).get("account").asText());
        }
        assertEquals(DemoTrail.CHAIN_RUN, hops.get(0).get("accessKeyId").asText());
        assertEquals(hops.get(0).get("accessKeyId").asText(), hops.get(1).get("parentKey").asText());
        assertEquals(hops.get(1).get("accessKeyId").asText(), hops.get(2).get("parentKey").asText());
        assertEquals("2026-11-09T20:00:29Z", hops.get(1).get("issuedAt").asText());
        // Both copies of the cross-account AssumeRole are evidence for the last hop.
        List<String> ids = texts(hops.get(2).get("eventIds"));
        assertTrue(ids.contains("8a49055f-ed70-4455-9506-bf4c3db3dfb0") && ids.contains("f63eef79-772c-405e-93b1-80566eeb0dc6"), ids.toString());

        List<String> did = new ArrayList<>();
        for (JsonNode a : hops.get(2).get("activity")) {
            did.add(a.get("kind").asText() + " " + a.get("eventId").asText());
            assertEquals(DemoTrail.CHAIN_STATE, a.get("stateKey").asText(), a.toString());
        }
        assertTrue(did.contains("lock d2ccf698-00cf-4382-b78c-406cf467972d"), did.toString());
        assertTrue(did.contains("write f4c0b960-00ab-400b-a5a2-312e187393c5"), did.toString());
        assertTrue(did.contains("unlock 6fdd2860-8ede-4823-9290-f6ff10a9dd49"), did.toString());
        // The root session's own activity is the AssumeRole that made the next hop; it touched no state.
        for (JsonNode a : hops.get(0).get("activity")) {
            assertEquals("assume-role", a.get("kind").asText(), a.toString());
            assertTrue(a.get("stateKey").isNull(), a.toString());
        }

        assertEquals("state-write-unexpected-subject", run.at("/findings/0/type").asText());
        assertEquals(run.toString(), http.json("/api/runs/" + DemoTrail.CHAIN_RUN).toString(), "run by its key is the same");
    }

    /** Issue 15: the finding page's evidence, each call once with what CloudTrail logged, and its record minus secrets. */
    @Test
    void aFindingsEvidenceListsEachCallWithItsAddressAndUserAgent_andItsRecordWithoutTokens() {
        JsonNode found = http.json("/api/findings?type=state-write-unexpected-subject&stateKey=" + Http.q(DemoTrail.CHAIN_STATE));
        String id = found.at("/items/0/id").asText();
        JsonNode evidence = http.json("/api/findings/" + id + "/evidence");
        assertEquals(id, evidence.get("findingId").asText());
        assertEquals(List.of(), texts(evidence.get("notFound")), evidence.toString());
        JsonNode write = null;
        JsonNode hop = null;
        for (JsonNode c : evidence.get("calls")) {
            if (c.get("eventId").asText().equals("f4c0b960-00ab-400b-a5a2-312e187393c5")) {
                write = c;
            }
            if (texts(c.get("eventIds")).contains("8a49055f-ed70-4455-9506-bf4c3db3dfb0")) {
                hop = c;
            }
        }
        assertNotNull(write, evidence.toString());
        assertEquals("PutObject", write.get("eventName").asText());
        assertEquals("s3.amazonaws.com", write.get("eventSource").asText());
        assertEquals("2026-11-09T20:02:56Z", write.get("time").asText());
        assertEquals("172.200.77.31", write.get("sourceIPAddress").asText());
        assertTrue(write.get("userAgent").asText().startsWith("[APN/1.0 HashiCorp/1.0 Terraform/1.11.4"), write.toString());
        assertTrue(write.get("recordKept").asBoolean());
        // Both copies of the cross-account hop are one call of the evidence.
        assertNotNull(hop, evidence.toString());
        assertEquals(new TreeSet<>(List.of("8a49055f-ed70-4455-9506-bf4c3db3dfb0", "f63eef79-772c-405e-93b1-80566eeb0dc6")),
                new TreeSet<>(texts(hop.get("eventIds"))));

        JsonNode record = http.json("/api/calls/f4c0b960-00ab-400b-a5a2-312e187393c5/record");
        assertEquals("f4c0b960-00ab-400b-a5a2-312e187393c5", record.at("/record/eventID").asText());
        assertEquals("PutObject", record.at("/record/eventName").asText());
        assertEquals("infra/database/terraform.tfstate", record.at("/record/requestParameters/key").asText());

        // The run's login: its record is kept with the issued key, never the session token.
        JsonNode login = null;
        for (JsonNode c : evidence.get("calls")) {
            if ("AssumeRoleWithWebIdentity".equals(c.get("eventName").asText())) {
                login = c;
            }
        }
        assertNotNull(login, "the call that issued the run's root session is evidence too: " + evidence);
        JsonNode loginRecord = http.json("/api/calls/" + login.get("eventId").asText() + "/record");
        assertEquals(DemoTrail.CHAIN_RUN, loginRecord.at("/record/responseElements/credentials/accessKeyId").asText());
        assertEquals("<redacted>", loginRecord.at("/record/responseElements/credentials/sessionToken").asText());
        assertFalse(loginRecord.toString().contains("IQoJb3JpZ2lu"), "no session token anywhere");
    }

    @Test
    void evidenceAndRecordsOfUnknownOrInvalidIdsAreClearErrors() throws IOException {
        assertEquals(404, http.get("/api/findings/stale-lock-0123456789abcdef0123/evidence").statusCode());
        assertEquals(404, http.get("/api/calls/00000000-0000-0000-0000-000000000000/record").statusCode());
        HttpResponse<String> bad = http.get("/api/calls/" + Http.q("<script>") + "/record");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("is not a CloudTrail eventID"), bad.body());
    }

    @Test
    void runsAreListedByRepositorySubjectRefAndTime() {
        JsonNode byRepo = http.json("/api/runs?repository=acme/infra&from=2026-11-09&to=2026-11-10");
        assertTrue(runKeys(byRepo).contains(DemoTrail.CHAIN_RUN), byRepo.toString());
        JsonNode chain = find(byRepo, DemoTrail.CHAIN_RUN);
        assertTrue(texts(chain.get("stateKeys")).contains(DemoTrail.CHAIN_STATE));
        assertTrue(texts(chain.get("accounts")).containsAll(List.of("111111111111", "222222222222")));
        assertTrue(chain.get("findings").asInt() >= 1);

        JsonNode bySubject = http.json("/api/runs?subject=" + Http.q("repo:acme/infra:pull_request"));
        assertTrue(runKeys(bySubject).contains(DemoTrail.CHAIN_RUN));
        for (JsonNode r : bySubject.get("items")) {
            assertEquals("repo:acme/infra:pull_request", r.get("subject").asText());
        }
        JsonNode main = http.json("/api/runs?ref=" + Http.q("refs/heads/main") + "&repository=acme/infra");
        assertFalse(main.get("items").isEmpty());
        for (JsonNode r : main.get("items")) {
            assertEquals("refs/heads/main", r.get("ref").asText(), r.toString());
        }
        assertTrue(runKeys(http.json("/api/runs?from=2026-11-10")).stream().noneMatch(DemoTrail.CHAIN_RUN::equals), "time range");

        JsonNode hostile = http.json("/api/runs?subject=" + Http.q("repo:acme/infra:ref:refs/heads/<img*"));
        assertEquals(1, hostile.get("items").size(), hostile.toString());
        assertEquals("repo:acme/infra:ref:refs/heads/" + DemoTrail.HOSTILE_BRANCH, hostile.at("/items/0/subject").asText());
    }

    @Test
    void stateTimelineIsNewestFirstAndPages() {
        String key = Http.q(DemoTrail.CHAIN_STATE);
        JsonNode all = http.json("/api/state/timeline?key=" + key);
        List<JsonNode> items = new ArrayList<>();
        all.get("items").forEach(items::add);
        assertTrue(items.size() >= 4, all.toString());
        for (int i = 1; i < items.size(); i++) {
            assertTrue(items.get(i - 1).get("time").asText().compareTo(items.get(i).get("time").asText()) >= 0, "newest first");
        }
        assertEquals("unlock", items.get(0).get("kind").asText());
        assertEquals(DemoTrail.CHAIN_RUN, items.get(0).get("runKey").asText());
        assertEquals(DemoTrail.CHAIN_SUBJECT, items.get(0).get("subject").asText());

        JsonNode first = http.json("/api/state/timeline?key=" + key + "&limit=2");
        assertEquals(2, first.get("items").size());
        JsonNode second = http.json("/api/state/timeline?key=" + key + "&limit=2&cursor=" + Http.q(first.get("next").asText()));
        assertEquals(items.get(2).get("eventId").asText(), second.at("/items/0/eventId").asText());

        JsonNode window = http.json("/api/state/timeline?key=" + key + "&from=2026-11-09T20:02:00Z&to=2026-11-09T20:03:00Z");
        for (JsonNode a : window.get("items")) {
            assertTrue(a.get("time").asText().startsWith("2026-11-09T20:02:"), a.toString());
        }
        assertEquals(404, http.get("/api/state/timeline?key=" + Http.q("acme-tfstate-prod/never/seen.tfstate")).statusCode());
    }

    @Test
    void activityOfARepositoryAndOfASubjectPattern() {
        JsonNode website = http.json("/api/activity?repository=acme/website");
        assertFalse(website.get("items").isEmpty());
        for (JsonNode a : website.get("items")) {
            assertEquals("acme/website", a.get("repository").asText(), a.toString());
        }
        assertTrue(website.toString().contains("acme-tfstate-prod/infra/vpc/terraform.tfstate"), "the PR read of infra state");
        JsonNode prs = http.json("/api/activity?subject=" + Http.q("repo:acme/*:pull_request"));
        assertFalse(prs.get("items").isEmpty());
        for (JsonNode a : prs.get("items")) {
            assertTrue(a.get("subject").asText().endsWith(":pull_request"), a.toString());
        }
    }

    @Test
    void theOpenLocksAreTheStaleOnesOldestFirstWithTheirAgeAndFinding() {
        JsonNode locks = http.json("/api/locks");
        // The stale-lock sample, then issue 20's holder that ended and holder still running (stale too by NOW).
        assertEquals(3, locks.size(), locks.toString());
        for (JsonNode other : locks) {
            assertTrue(other.get("staleFindingId").asText().startsWith("stale-lock-"), other.toString());
        }
        JsonNode l = locks.get(0);
        assertEquals(DemoTrail.STALE_LOCK_STATE, l.at("/lock/stateKey").asText());
        assertEquals(DemoTrail.STALE_LOCK_RUN, l.at("/lock/holderRunKey").asText());
        assertEquals("repo:acme/infra:ref:refs/heads/main", l.at("/lock/subject").asText());
        assertEquals(Duration.between(Instant.parse(l.at("/lock/acquiredAt").asText()), Instant.parse(DemoTrail.NOW)).getSeconds(),
                l.get("ageSeconds").asLong());
        assertTrue(l.at("/lock/acquiredAt").asText().startsWith("2026-11-02T08:00:1"), l.toString());
        assertTrue(l.get("staleFindingId").asText().startsWith("stale-lock-"), l.toString());
        JsonNode finding = http.json("/api/findings/" + l.get("staleFindingId").asText());
        assertEquals("stale-lock", finding.get("type").asText());
    }

    @Test
    void findingsFilterByTimeTypeSeverityAndRepository() {
        JsonNode critical = http.json("/api/findings?severity=critical&limit=100");
        assertEquals(SampleFindings.CRITICAL, critical.get("items").size(), critical.toString());
        JsonNode trust = http.json("/api/findings?type=trust-policy-weakened");
        assertEquals(7, trust.get("items").size());
        JsonNode website = http.json("/api/findings?repository=acme/website");
        assertEquals(3, website.get("items").size());
        assertEquals("run-claims-mismatch", website.at("/items/0/type").asText(), "newest first");
        assertEquals("state-read-unexpected-subject", website.at("/items/1/type").asText());
        JsonNode day = http.json("/api/findings?from=2026-11-09&to=2026-11-10");
        for (JsonNode f : day.get("items")) {
            assertTrue(f.get("time").asText().startsWith("2026-11-09"), f.toString());
        }
        assertFalse(day.get("items").isEmpty());
        JsonNode byRun = http.json("/api/findings?runKey=" + DemoTrail.CHAIN_RUN);
        assertEquals(1, byRun.get("items").size());
    }

    @Test
    void csvExportsHaveEveryFindingAndTheHostileBranchNeutralised() {
        HttpResponse<String> r = http.get("/api/findings.csv");
        assertEquals(200, r.statusCode());
        String[] lines = r.body().split("\r\n");
        assertEquals(1 + SampleFindings.COUNT, lines.length, "header and every expected finding");
        for (String line : lines) {
            assertTrue(line.startsWith("\"") && line.endsWith("\""), "every field quoted: " + line);
        }
        assertTrue(r.body().contains(DemoTrail.HOSTILE_BRANCH), "kept as text");
        HttpResponse<String> t = http.get("/api/state/timeline.csv?key=" + Http.q(DemoTrail.CHAIN_STATE));
        assertEquals(200, t.statusCode());
        assertTrue(t.body().startsWith("\"time\",\"kind\",\"stateKey\""));
        assertTrue(t.body().contains("f4c0b960-00ab-400b-a5a2-312e187393c5"));
    }

    @Test
    void overviewOnTheDemoData() {
        JsonNode o = http.json("/api/overview?days=30&hours=" + DemoTrail.HOURS_OF_RUNS);
        assertEquals(DemoTrail.NOW, o.get("now").asText());
        int total = 0;
        for (String s : List.of("low", "medium", "high", "critical")) {
            total += o.at("/chart/totals/" + s).asInt();
        }
        assertEquals(SampleFindings.COUNT, total, o.get("chart").toString());
        assertEquals(SampleFindings.CRITICAL, o.at("/chart/totals/critical").asInt(), o.get("chart").toString());
        assertEquals(10, o.get("latest").size());
        for (JsonNode f : o.get("latest")) {
            assertTrue(List.of("critical", "high").contains(f.get("severity").asText()));
        }
        assertEquals(3, o.get("locks").size());
        assertTrue(o.at("/runs/repositories").size() >= 3, o.get("runs").toString());
        assertNotNull(o.at("/runs/repositories/0/latestRunKey").asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static List<String> runKeys(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(r -> out.add(r.get("runKey").asText()));
        return out;
    }

    private static JsonNode find(JsonNode page, String runKey) {
        for (JsonNode r : page.get("items")) {
            if (r.get("runKey").asText().equals(runKey)) {
                return r;
            }
        }
        throw new AssertionError("no run " + runKey + " in " + page);
    }

    /** A browser gets a page for an unknown path (the path escaped); the API and scripts still get JSON. */
    @Test
    void unknownPathsAreAPageForBrowsersAndJsonForTheApi() {
        for (String path : List.of("/finding/%3Cb%3Ex%3C%2Fb%3E", "/nosuchpage%3Cb%3E")) {
            java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(DemoTrail.server().uri().resolve(path))
                    .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").GET().build());
            assertEquals(404, page.statusCode(), path);
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
            assertTrue(page.body().contains("<h1>Not found</h1>"), page.body());
            assertTrue(page.body().contains("&lt;b&gt;"), "the path is escaped: " + page.body());
            assertFalse(page.body().contains("<b>"), page.body());
            java.net.http.HttpResponse<String> api = http.get(path);
            assertEquals(404, api.statusCode());
            assertEquals("not-found", Http.parse(api.body()).at("/error/code").asText(), api.body());
        }
        java.net.http.HttpResponse<String> endpoint = http.send(java.net.http.HttpRequest.newBuilder(DemoTrail.server().uri().resolve("/api/nothing"))
                .header("Accept", "text/html").GET().build());
        assertEquals(404, endpoint.statusCode());
        assertEquals("not-found", Http.parse(endpoint.body()).at("/error/code").asText(), "under /api always JSON");
    }
}
