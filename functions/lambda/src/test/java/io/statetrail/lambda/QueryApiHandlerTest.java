package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryApiHandlerTest {

    @Test
    void theApiControllersAnswerThroughTheFunctionUrlPayload() {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of("micronaut.server.port", -1))) {
            APIGatewayV2HTTPResponse response = get(new QueryApiHandler(context), "/api/locks", "");

            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(response.getBody().trim().startsWith("["), response.getBody());
        }
    }

    /** Every endpoint over a stored run, recorded for the query function's IAM policy ({@link DynamoDbOperations}). */
    @Test
    void everyEndpointAnswersOverAStoredRun() throws Exception {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of("micronaut.server.port", -1))) {
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(TestStack.scenarioMessages("stale-lock")));
            QueryApiHandler handler = new QueryApiHandler(context);
            String state = "key=acme-tfstate-prod%2Finfra%2Fqueues%2Fterraform.tfstate";
            try (var recording = DynamoDbOperations.as("query")) {
                for (String[] q : List.of(new String[] {"/api/state/timeline", state}, new String[] {"/api/state/timeline.csv", state},
                        new String[] {"/api/runs", ""}, new String[] {"/api/runs", "subject=repo%3Aacme%2F*"},
                        new String[] {"/api/runs", "ref=main"}, new String[] {"/api/runs", "repository=acme%2Finfra"},
                        new String[] {"/api/activity", "repository=acme%2Finfra"}, new String[] {"/api/findings", ""},
                        new String[] {"/api/locks", ""}, new String[] {"/api/overview", ""})) {
                    APIGatewayV2HTTPResponse r = get(handler, q[0], q[1]);
                    assertEquals(200, r.getStatusCode(), q[0] + "?" + q[1] + ": " + r.getBody());
                }
                APIGatewayV2HTTPResponse runs = get(handler, "/api/runs", "");
                String runKey = runs.getBody().replaceAll("(?s).*\"runKey\":\"([^\"]+)\".*", "$1");
                assertTrue(runKey.startsWith("ASIA"), runs.getBody());
                assertEquals(200, get(handler, "/api/runs/" + runKey, "").getStatusCode());
                assertEquals(200, get(handler, "/api/lineage/" + runKey, "").getStatusCode());
            }
        }
    }

    /** A GET as a Function URL delivers it: the raw query string and its parameters, decoded. */
    private static APIGatewayV2HTTPResponse get(QueryApiHandler handler, String path, String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(query)
                .withQueryStringParameters(parameters.isEmpty() ? null : parameters)
                .withHeaders(Map.of("accept", "*/*", "host", "abc.lambda-url.eu-west-1.on.aws"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath(path)
                                .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("test").build())
                        .withRequestId("req-1").withStage("$default").withDomainName("abc.lambda-url.eu-west-1.on.aws").build())
                .withIsBase64Encoded(false)
                .build();
        return handler.handleRequest(event, null);
    }
}
