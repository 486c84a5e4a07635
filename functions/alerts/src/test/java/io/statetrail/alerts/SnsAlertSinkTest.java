package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.finding.Finding;
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
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

class SnsAlertSinkTest {

    static final String TOPIC = "arn:aws:sns:eu-west-1:111111111111:statetrail-alerts";
    static final String OK = """
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>\
            <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>\
            <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata></PublishResponse>""";
    static final String INTERNAL_ERROR = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Receiver</Type><Code>InternalError</Code>\
            <Message>try again</Message></Error><RequestId>0c3b9d2e-1111-2222-3333-444455556666</RequestId></ErrorResponse>""";
    static final String NOT_FOUND = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code>\
            <Message>Topic does not exist</Message></Error><RequestId>0c3b9d2e-1111-2222-3333-444455556667</RequestId></ErrorResponse>""";

    /** Captures what the SDK was asked to send, at its boundary, before signing and marshalling. */
    static final class Capture implements ExecutionInterceptor {
        final List<PublishRequest> requests = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PublishRequest p) {
                requests.add(p);
            }
        }
    }

    static SnsClient client(LoopbackServer server, Capture capture) {
        return SnsClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(server.url("")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(capture).retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void publishesOneMessagePerFinding_withFilterableAttributes_andTheGroupInTheBody() throws Exception {
        Capture capture = new Capture();
        try (LoopbackServer sns = new LoopbackServer(n -> LoopbackServer.Response.of(200, "text/xml", OK));
             SnsClient client = client(sns, capture)) {
            Finding a = Fixtures.hostileWrite();
            Finding b = Fixtures.second();

            new SnsAlertSink(() -> client, TOPIC).send(Fixtures.alert(a, b));

            assertEquals(2, capture.requests.size());
            PublishRequest first = capture.requests.get(0);
            assertEquals(TOPIC, first.topicArn());
            assertEquals("statetrail critical state-write-unexpected-subject", first.subject());
            assertEquals(Map.of(
                    "type", string("state-write-unexpected-subject"),
                    "severity", string("critical"),
                    "repository", string("acme/infra"),
                    "account", string("222222222222"),
                    "notice", string("raised")), first.messageAttributes());
            assertEquals(EXPECTED_FIRST_MESSAGE, first.message());
            assertEquals(new ObjectMapper().readTree(EXPECTED_FIRST_MESSAGE).get("group"),
                    new ObjectMapper().readTree(capture.requests.get(1).message()).get("group"));
            assertEquals(b.id(), new ObjectMapper().readTree(capture.requests.get(1).message()).get("finding").get("id").asText());

            // And on the wire: the Query-protocol form the SDK marshalled from it.
            assertEquals(2, sns.requests.size());
            String wire = sns.requests.get(0).body();
            assertTrue(wire.startsWith("Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A111111111111%3Astatetrail-alerts"), wire);
            assertTrue(wire.contains("&MessageAttributes.entry.1.Name=type&MessageAttributes.entry.1.Value.DataType=String"
                    + "&MessageAttributes.entry.1.Value.StringValue=state-write-unexpected-subject"), wire);
            assertTrue(wire.contains("&MessageAttributes.entry.3.Name=repository&MessageAttributes.entry.3.Value.DataType=String"
                    + "&MessageAttributes.entry.3.Value.StringValue=acme%2Finfra"), wire);
        }
    }

    static final String EXPECTED_FIRST_MESSAGE = """
            {"schema":"statetrail.alert/v1","finding":{"type":"state-write-unexpected-subject","severity":"critical",\
            "time":"2026-11-17T14:05:40Z","account":"222222222222","subject":"repo:acme/infra:ref:refs/heads/<!channel> *urgent*",\
            "repository":"acme/infra","ref":"refs/heads/<!channel> *urgent*","roleArn":"arn:aws:iam::222222222222:role/gha-prod-apply",\
            "stateKey":"acme-tfstate-prod/infra/payments/terraform.tfstate","accessKeyId":"ASIAW6NHX2PA5XM55PNX",\
            "eventIds":["7b1e0c55-3f0a-4f7e-9d8c-2a6b4c1d9e01","c2f4a8e6-1b3d-4c5e-8f7a-9b0c1d2e3f40"],\
            "summary":"subject repo:acme/infra:ref:refs/heads/<!channel> *urgent* wrote state acme-tfstate-prod/infra/payments/terraform.tfstate via gha-prod-apply",\
            "id":"state-write-unexpected-subject-5f0c2a9d41b7e6c83a10","runKey":"ASIAW6NHX2PA5XM55PNX",\
            "roleChain":["arn:aws:iam::222222222222:role/gha-prod-apply"],"count":1,"lastSeen":"2026-11-17T14:05:40Z","provisional":false,"status":"open",\
            "details":{"holder":"@here `rm -rf` _x_ ~y~ & <@U024BE7LH>"}},\
            "group":{"key":"state-write-unexpected-subject|state:acme-tfstate-prod/infra/payments/terraform.tfstate",\
            "findings":2,"count":3,"findingIds":["state-write-unexpected-subject-5f0c2a9d41b7e6c83a10",\
            "state-write-unexpected-subject-0a1b2c3d4e5f60718293"]},\
            "dashboardUrl":"https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/statetrail"}""";

    @Test
    void aFailureAfterTheFirstMessage_namesWhatWasPublished() throws Exception {
        Capture capture = new Capture();
        try (LoopbackServer sns = new LoopbackServer(n -> n == 0 ? LoopbackServer.Response.of(200, "text/xml", OK)
                : LoopbackServer.Response.of(500, "text/xml", INTERNAL_ERROR));
             SnsClient client = client(sns, capture)) {
            AlertException e = assertThrows(AlertException.class,
                    () -> new SnsAlertSink(() -> client, TOPIC).send(Fixtures.alert(Fixtures.hostileWrite(), Fixtures.second())));

            assertTrue(e.retryable(), e.getMessage());
            assertEquals(Set.of(Fixtures.hostileWrite().id()), e.delivered());
            assertEquals("SNS Publish failed (500 InternalError)", e.getMessage());
        }
    }

    @Test
    void aMissingTopic_isPermanent() throws Exception {
        try (LoopbackServer sns = new LoopbackServer(n -> LoopbackServer.Response.of(404, "text/xml", NOT_FOUND));
             SnsClient client = client(sns, new Capture())) {
            AlertException e = assertThrows(AlertException.class,
                    () -> new SnsAlertSink(() -> client, TOPIC).send(Fixtures.alert(Fixtures.hostileWrite())));
            assertEquals(false, e.retryable(), e.getMessage());
            assertTrue(e.delivered().isEmpty());
        }
    }

    @Test
    void aHugeFinding_isCutToFitAnSnsMessage() {
        Finding f = Fixtures.hostileWrite();
        String huge = "x".repeat(200 * 1024);
        Finding big = new Finding(f.id(), f.type(), f.severity(), f.time(), f.account(), huge, f.repository(), f.ref(), f.roleArn(),
                f.stateKey(), f.accessKeyId(), f.runKey(), List.of(huge), f.eventIds(), huge, 1, Map.of(), null, false);
        String message = new SnsAlertSink(() -> null, TOPIC).request(Fixtures.alert(big), big).message();
        assertTrue(message.length() < AlertJson.MAX_BYTES, "length " + message.length());
        assertTrue(message.endsWith("\"truncated\":true}"), message.substring(message.length() - 40));
    }

    @Test
    void attributeValues_areNeverEmpty_andHoldOnlyXmlCharacters() {
        assertEquals(null, SnsAlertSink.attributeText(""));
        assertEquals(null, SnsAlertSink.attributeText(null));
        assertEquals("a\uFFFDb", SnsAlertSink.attributeText("a\u0001b"));
        assertEquals(SnsAlertSink.MAX_ATTRIBUTE, SnsAlertSink.attributeText("y".repeat(10_000)).length());
    }

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
