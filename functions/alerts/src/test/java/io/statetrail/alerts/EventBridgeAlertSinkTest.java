package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.service.port.AlertSink.AlertException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Findings out to EventBridge: the exact PutEvents request (captured through the SDK's interceptor hook, and as it
 * went over the wire to a loopback endpoint answering in EventBridge's JSON protocol), batches of ten, and what a
 * partial or total refusal leaves to retry.
 */
class EventBridgeAlertSinkTest {

    static final String BUS = "arn:aws:events:eu-west-1:111111111111:event-bus/security";
    static final String JSON = "application/x-amz-json-1.1";

    final ObjectMapper json = new ObjectMapper();

    /** Captures what the SDK was asked to send, at its boundary, before signing and marshalling. */
    static final class Capture implements ExecutionInterceptor {
        final List<PutEventsRequest> requests = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutEventsRequest p) {
                requests.add(p);
            }
        }
    }

    static EventBridgeClient client(LoopbackServer server, Capture capture) {
        return EventBridgeClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(server.url("")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(capture).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** PutEvents' answer: an EventId per accepted entry, ErrorCode and ErrorMessage per refused one, in request order. */
    static LoopbackServer.Response answer(String... errorCodes) {
        StringBuilder entries = new StringBuilder();
        int failed = 0;
        for (int i = 0; i < errorCodes.length; i++) {
            entries.append(i == 0 ? "" : ",");
            if (errorCodes[i] == null) {
                entries.append("{\"EventId\":\"11710aed-b79e-4468-a20b-bb3c0c3b48").append(String.format("%02d", i)).append("\"}");
            } else {
                failed++;
                entries.append("{\"ErrorCode\":\"").append(errorCodes[i]).append("\",\"ErrorMessage\":\"").append(errorCodes[i]).append(" here\"}");
            }
        }
        return LoopbackServer.Response.of(200, JSON, "{\"FailedEntryCount\":" + failed + ",\"Entries\":[" + entries + "]}");
    }

    @Test
    void publishesEachFindingWithSourceDetailTypeAndTheFindingJsonAsDetail() throws Exception {
        Capture capture = new Capture();
        try (LoopbackServer events = new LoopbackServer(n -> answer(null, null)); EventBridgeClient client = client(events, capture)) {
            Finding a = Fixtures.hostileWrite();
            Finding b = Fixtures.second();

            assertNull(new EventBridgeAlertSink(() -> client, BUS).send(Fixtures.alert(a, b)));

            assertEquals(1, capture.requests.size());
            List<PutEventsRequestEntry> entries = capture.requests.get(0).entries();
            assertEquals(2, entries.size());
            for (int i = 0; i < 2; i++) {
                Finding f = List.of(a, b).get(i);
                PutEventsRequestEntry e = entries.get(i);
                assertEquals(BUS, e.eventBusName());
                assertEquals("statetrail", e.source());
                assertEquals("statetrail finding", e.detailType());
                assertEquals(json.readTree(FindingJson.toLine(f)), json.readTree(e.detail()), "the finding JSON, as replay prints it");
                assertTrue(e.resources().isEmpty() && e.time() == null, "EventBridge stamps the time it received it");
            }
            // On the wire: EventBridge's JSON protocol, hostile text intact inside valid JSON.
            LoopbackServer.Request sent = events.requests.get(0);
            assertEquals("AWSEvents.PutEvents", sent.headers().get("X-amz-target").get(0));
            JsonNode body = json.readTree(sent.body());
            JsonNode detail = json.readTree(body.at("/Entries/0/Detail").asText());
            assertEquals(Fixtures.HOSTILE_SUBJECT, detail.get("subject").asText());
            assertEquals("@here `rm -rf` _x_ ~y~ & <@U024BE7LH>", detail.at("/details/holder").asText());
        }
    }

    @Test
    void moreThanTenFindingsGoInRequestsOfTen() throws Exception {
        Capture capture = new Capture();
        List<Finding> findings = new ArrayList<>();
        Finding base = Fixtures.hostileWrite();
        for (int i = 0; i < 12; i++) {
            findings.add(new Finding(base.id() + "-" + i, base.type(), base.severity(), base.time().plusSeconds(i), base.account(),
                    base.subject(), base.repository(), base.ref(), base.roleArn(), base.stateKey(), base.accessKeyId(), base.runKey(),
                    base.roleChain(), base.eventIds(), base.summary(), 1, Map.of(), null, false));
        }
        String[] ten = new String[10];
        try (LoopbackServer events = new LoopbackServer(n -> n == 0 ? answer(ten) : answer(null, null));
             EventBridgeClient client = client(events, capture)) {
            new EventBridgeAlertSink(() -> client, "default").send(Fixtures.alert(findings.toArray(Finding[]::new)));
            assertEquals(List.of(10, 2), capture.requests.stream().map(r -> r.entries().size()).toList());
            assertEquals("default", capture.requests.get(1).entries().get(0).eventBusName());
        }
    }

    @Test
    void aRefusedEntryIsNotDeliveredAndOnlyItIsLeftToRetry() throws Exception {
        Capture capture = new Capture();
        try (LoopbackServer events = new LoopbackServer(n -> answer(null, "ThrottlingException"));
             EventBridgeClient client = client(events, capture)) {
            Finding a = Fixtures.hostileWrite();
            Finding b = Fixtures.second();
            AlertException e = assertThrows(AlertException.class, () -> new EventBridgeAlertSink(() -> client, BUS).send(Fixtures.alert(a, b)));
            assertTrue(e.retryable());
            assertEquals(Set.of(a.id()), e.delivered());
            assertTrue(e.getMessage().contains("refused 1 of 2 events (ThrottlingException: ThrottlingException here)"), e.getMessage());
        }
    }

    @Test
    void accessDeniedIsNotRetriedSoon() throws Exception {
        Capture capture = new Capture();
        String denied = "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:sts::111111111111:assumed-role/statetrail-ingest/x "
                + "is not authorized to perform: events:PutEvents on resource: " + BUS + "\"}";
        try (LoopbackServer events = new LoopbackServer(n -> LoopbackServer.Response.of(400, JSON, denied));
             EventBridgeClient client = client(events, capture)) {
            AlertException e = assertThrows(AlertException.class,
                    () -> new EventBridgeAlertSink(() -> client, BUS).send(Fixtures.alert(Fixtures.hostileWrite())));
            assertFalse(e.retryable());
            assertTrue(e.delivered().isEmpty());
            assertTrue(e.getMessage().contains("400 AccessDeniedException"), e.getMessage());
        }
    }
}
