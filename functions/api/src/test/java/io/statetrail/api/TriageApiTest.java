package io.statetrail.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.port.Findings.StoredFinding;
import io.statetrail.store.dynamodb.AuditTable;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import io.statetrail.store.dynamodb.LocalDynamo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/findings/{id}/status} on the local server over DynamoDB Local, by real HTTP: accepted from the
 * served page (its token) and refused from anywhere else; the status then shows in the finding, its history, the
 * status filter and the CSV.
 */
class TriageApiTest {

    static final Instant T = Instant.parse("2026-11-17T14:05:40Z");
    static final String ID = "unlocked-state-write-0123456789abcdef";
    static final String OTHER = "unlocked-state-write-fedcba9876543210";
    static final String THIRD = "unlocked-state-write-0000000011111111";

    static LocalDynamo dynamo;
    static ApiServer server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.inMemory();
        server = ApiServer.start(seeded(dynamo), 0, "2026-11-18T12:00:00Z");
        http = new Http(server.uri());
        Matcher m = Pattern.compile("<meta name=\"statetrail-csrf\" content=\"([0-9a-f]+)\">").matcher(http.get("/findings").body());
        assertTrue(m.find(), "the served page carries the token");
        token = m.group(1);
    }

    /** A table with three findings of one unlocked write each, never triaged. */
    static DynamoAuditStore seeded(LocalDynamo dynamo) {
        AuditTable.create(dynamo.client(), DynamoAuditStore.DEFAULT_TABLE);
        DynamoAuditStore store = new DynamoAuditStore(dynamo.client(), DynamoAuditStore.DEFAULT_TABLE);
        for (String id : List.of(ID, OTHER, THIRD)) {
            Finding f = new Finding(id, "unlocked-state-write", Severity.HIGH, T, "222222222222", "repo:acme/infra:ref:refs/heads/main",
                    "acme/infra", "refs/heads/main", "arn:aws:iam::222222222222:role/gha-prod-apply", "acme-tfstate-prod/app/terraform.tfstate",
                    "ASIAWRITER0000000001", "ASIAWRITER0000000001", List.of(), List.of("evt-" + id), "wrote state without the lock", 1,
                    Map.of(), T, false);
            store.create(new StoredFinding(f, "state:x", "state:x|a", null), List.of());
        }
        return store;
    }

    @AfterAll
    static void stop() {
        server.close();
        dynamo.close();
    }

    static HttpResponse<String> post(String id, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve("/api/findings/" + id + "/status"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build());
    }

    static HttpResponse<String> post(String id, String body) {
        return post(id, body, Map.of(LoopbackRequesters.HEADER, token));
    }

    @Test
    void theServedPageAcknowledgesAFindingAsTheLocalUserAndTheListFiltersByIt() {
        HttpResponse<String> r = post(ID, "{\"status\":\"acknowledged\",\"note\":\"<img src=x onerror=alert(1)> looking\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode f = Http.parse(r.body());
        assertEquals("acknowledged", f.get("status").asText());
        assertEquals(System.getProperty("user.name"), f.at("/statusChange/by").asText());
        assertEquals("<img src=x onerror=alert(1)> looking", f.at("/statusChange/note").asText(), "kept as given, escaped where shown");
        assertEquals("acknowledged", f.at("/statusHistory/0/status").asText());

        JsonNode one = http.json("/api/findings/" + ID);
        assertEquals("acknowledged", one.get("status").asText());
        assertEquals(1, one.get("statusHistory").size());
        List<String> acked = ids(http.json("/api/findings?status=acknowledged,resolved"));
        assertTrue(acked.contains(ID) && !acked.contains(OTHER), acked.toString());
        List<String> open = ids(http.json("/api/findings?status=open"));
        assertTrue(open.contains(OTHER) && !open.contains(ID), open.toString());
        assertEquals("open", http.json("/api/findings/" + OTHER).get("status").asText(), "never changed: open");
        String csv = http.get("/api/findings.csv?status=acknowledged").body();
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",\"status\""), csv);
        assertTrue(csv.lines().skip(1).findFirst().orElseThrow().matches(".*,\"?acknowledged\"?"), csv);
    }

    @Test
    void closingNeedsANoteAndOnlyTheFourStatusesAreKnown() {
        assertEquals(400, post(ID, "{\"status\":\"false-positive\"}").statusCode());
        assertEquals(400, post(ID, "{\"status\":\"closed\",\"note\":\"x\"}").statusCode());
        assertEquals(400, post(ID, "{\"status\":\"resolved\",\"note\":\"x\",\"by\":\"someone-else\"}").statusCode(), "who is not the caller's to say");
        assertEquals(400, post(ID, "not json").statusCode());
        assertEquals(404, post("unlocked-state-write-00000000000000", "{\"status\":\"acknowledged\"}").statusCode());
        assertEquals(400, http.get("/api/findings?status=closed").statusCode());
    }

    @Test
    void aRequestFromAnotherSiteOrWithoutTheTokenIsRefused() {
        String body = "{\"status\":\"resolved\",\"note\":\"forged\"}";
        assertEquals(403, post(THIRD, body, Map.of()).statusCode(), "no token");
        assertEquals(403, post(THIRD, body, Map.of(LoopbackRequesters.HEADER, "0" + token)).statusCode(), "a wrong token");
        assertEquals(403, post(THIRD, body, Map.of(LoopbackRequesters.HEADER, token, "Origin", "https://evil.example")).statusCode());
        assertEquals(403, post(THIRD, body, Map.of(LoopbackRequesters.HEADER, token, "Sec-Fetch-Site", "cross-site")).statusCode());
        assertEquals("open", http.json("/api/findings/" + THIRD).get("status").asText(), "nothing changed");
        assertEquals(200, post(THIRD, "{\"status\":\"acknowledged\"}",
                Map.of(LoopbackRequesters.HEADER, token, "Origin", server.uri().toString().replaceAll("/$", ""))).statusCode(), "its own origin");
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }
}
