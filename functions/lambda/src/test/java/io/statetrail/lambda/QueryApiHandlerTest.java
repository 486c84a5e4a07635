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

    /**
     * A status change through the Function URL is made by the IAM principal that signed it (Lambda's
     * {@code requestContext.authorizer.iam}, as in the Function URL payload reference), recorded for the query
     * function's IAM policy: it writes status items only.
     */
    @Test
    void aStatusChangeIsMadeByTheSignedPrincipalAndAnUnsignedOneIsRefused() throws Exception {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of("micronaut.server.port", -1))) {
            IngestHandlerTest.invoke(new IngestHandler(context), TestStack.sqsEvent(TestStack.scenarioMessages("state-bucket-weakened-by-a-run")));
            QueryApiHandler handler = new QueryApiHandler(context);
            String findings = get(handler, "/api/findings", "").getBody();
            String id = findings.replaceAll("(?s).*?\"id\":\"([a-z-]+-[0-9a-f]+)\".*", "$1");
            assertTrue(id.matches("[a-z-]+-[0-9a-f]+"), findings);
            String alice = "arn:aws:sts::111122223333:assumed-role/SecurityAnalyst/alice@example.com";
            try (var recording = DynamoDbOperations.as("query")) {
                APIGatewayV2HTTPResponse r = post(handler, "/api/findings/" + id + "/status", "{\"status\":\"acknowledged\",\"note\":\"on it\"}", alice);
                assertEquals(200, r.getStatusCode(), r.getBody());
                assertTrue(r.getBody().contains("\"by\":\"" + alice + "\""), r.getBody());
                assertTrue(r.getBody().contains("\"status\":\"acknowledged\""), r.getBody());
            }
            APIGatewayV2HTTPResponse unsigned = post(handler, "/api/findings/" + id + "/status", "{\"status\":\"resolved\",\"note\":\"x\"}", null);
            assertEquals(403, unsigned.getStatusCode(), unsigned.getBody());
            assertTrue(get(handler, "/api/findings", "status=acknowledged").getBody().contains(id));
        }
    }

    /** A POST as a Function URL with AWS_IAM auth delivers it; {@code userArn} null: no authorizer at all. */
    private static APIGatewayV2HTTPResponse post(QueryApiHandler handler, String path, String body, String userArn) {
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path)
                        .withProtocol("HTTP/1.1").withSourceIp("203.0.113.10").withUserAgent("aws-cli/2").build())
                .withRequestId("req-2").withStage("$default").withDomainName("abc.lambda-url.eu-west-1.on.aws")
                .withAccountId("111122223333");
        if (userArn != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                            .withAccessKey("ASIAEXAMPLEANALYST01").withAccountId("111122223333").withCallerId("AROAEXAMPLEANALYST01:alice@example.com")
                            .withUserArn(userArn).withUserId("AROAEXAMPLEANALYST01:alice@example.com").build())
                    .build());
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "host", "abc.lambda-url.eu-west-1.on.aws"))
                .withRequestContext(context.build())
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
        return handler.handleRequest(event, null);
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
