package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.alerts.LoopbackServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * In a member account the functions act through one role, under a session name that says which job acts: CloudTrail
 * there shows {@code assumed-role/statetrail-lock-reader/statetrail-posture} for posture's IAM reads and
 * {@code .../statetrail-lock-reader} for lock reads and store checks, and the statetrail-member module lets only the
 * posture session list roles. STS and the services on loopback, in their own wire formats.
 */
class AwsClientsSessionNamesTest {

    static final String ROLE = "arn:aws:iam::222222222222:role/statetrail-lock-reader";
    static final String STS = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** STS's AssumeRole answer, echoing the session name it was asked for. */
    static LoopbackServer.Response assumed(String body) {
        String session = form(body).getOrDefault("RoleSessionName", "");
        return LoopbackServer.Response.of(200, "text/xml", "<AssumeRoleResponse xmlns=\"" + STS + "\"><AssumeRoleResult><AssumedRoleUser>"
                + "<Arn>arn:aws:sts::222222222222:assumed-role/statetrail-lock-reader/" + session + "</Arn>"
                + "<AssumedRoleId>AROA3XFRBF535PLBIFPI4:" + session + "</AssumedRoleId></AssumedRoleUser><Credentials>"
                + "<AccessKeyId>ASIAW6NHX2PAEXAMPLE1</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
                + "<SessionToken>IQoJb3JpZ2luX2VjEXAMPLE</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>");
    }

    static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(p -> p.split("=", 2)).filter(p -> p.length == 2)
                .collect(java.util.stream.Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8), (a, b) -> b));
    }

    @Test
    void postureReadsIamAsStatetrailPosture_andLockReadingReadsAsStatetrailLockReader() throws Exception {
        Map<String, String> aws = new java.util.LinkedHashMap<>(Map.of("aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "secret",
                "aws.disableEc2Metadata", "true"));
        try (LoopbackServer sts = new LoopbackServer((n, req) -> assumed(req.body()));
             LoopbackIam iam = new LoopbackIam(100).with(List.of(), List.of());
             // KMS's JSON protocol: DescribeKey of a key that exists.
             LoopbackServer kms = new LoopbackServer((n, req) -> LoopbackServer.Response.of(200, "application/x-amz-json-1.1",
                     "{\"KeyMetadata\":{\"KeyId\":\"11111111-2222-3333-4444-555555555555\",\"KeyState\":\"Enabled\"}}"))) {
            aws.put("aws.endpointUrlSts", sts.url(""));
            aws.put("aws.endpointUrlIam", iam.endpoint());
            aws.put("aws.endpointUrlKms", kms.url(""));
            aws.forEach(System::setProperty);
            try (AwsClients clients = new AwsClients(settings())) {
                clients.iam(ROLE).listOpenIDConnectProviders();
                clients.kms(Region.EU_WEST_1, ROLE).describeKey(b -> b.keyId("11111111-2222-3333-4444-555555555555"));
                clients.iam(ROLE).listRoles();
            }
            List<String> sessions = sts.requests.stream().map(r -> form(r.body()))
                    .filter(f -> "AssumeRole".equals(f.get("Action")) && ROLE.equals(f.get("RoleArn"))).map(f -> f.get("RoleSessionName")).toList();
            assertEquals(List.of(AwsClients.POSTURE_SESSION, AwsClients.LOCK_READER_SESSION), sessions, "one session per job, each kept");
            assertEquals(List.of("statetrail-posture", "statetrail-lock-reader"), sessions, "the names the member module's trust allows");
            assertEquals(List.of("ListOpenIDConnectProviders", "ListRoles"), iam.actions);
            assertEquals(1, kms.requests.size());
        } finally {
            aws.keySet().forEach(System::clearProperty);
        }
    }

    private static Settings settings() {
        return new Settings("t", null, null, null, null, null, null, 400, null, Duration.ofMinutes(15), List.of("eu-west-1"),
                null, "eu-west-1", Duration.ofHours(1), Duration.ofMinutes(15), "111111111111", true,
                Duration.ofMinutes(15), null, List.of(), null, 1);
    }
}
