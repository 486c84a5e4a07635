package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryApiHandlerTest {

    @Test
    void theApiControllersAnswerThroughTheFunctionUrlPayload() {
        String table = TestStack.table();
        try (ApplicationContext context = TestStack.context(table, Map.of("micronaut.server.port", -1))) {
            QueryApiHandler handler = new QueryApiHandler(context);
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0")
                    .withRouteKey("$default")
                    .withRawPath("/api/locks")
                    .withRawQueryString("")
                    .withHeaders(Map.of("accept", "application/json", "host", "abc.lambda-url.eu-west-1.on.aws"))
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath("/api/locks")
                                    .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("test").build())
                            .withRequestId("req-1").withStage("$default").withDomainName("abc.lambda-url.eu-west-1.on.aws").build())
                    .withIsBase64Encoded(false)
                    .build();

            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(response.getBody().trim().startsWith("["), response.getBody());
        }
    }
}
