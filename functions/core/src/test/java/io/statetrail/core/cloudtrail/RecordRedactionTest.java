package io.statetrail.core.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The raw record kept for the evidence. Shapes modelled field by field on published records (see
 * /work/shared/events/public/SOURCES.md): the GitHub OIDC login of aidansteele's 2021 post (credentials with a
 * session token), the presigned PutObject of symeo-io/symeo-lambda-example ({@code X-Amz-*} request parameters,
 * {@code AuthenticationMethod} QueryString) and IAM's {@code HIDDEN_DUE_TO_SECURITY_REASONS}; values are fictional.
 */
class RecordRedactionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String LOGIN = """
            {"eventVersion":"1.08","userIdentity":{"type":"WebIdentityUser",
             "principalId":"arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/infra:ref:refs/heads/main",
             "userName":"repo:acme/infra:ref:refs/heads/main",
             "identityProvider":"arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"},
             "eventTime":"2026-11-02T09:00:09Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRoleWithWebIdentity",
             "awsRegion":"eu-west-1","sourceIPAddress":"20.42.11.7","userAgent":"aws-sdk-js/3.421.0 ua/2.0 os/linux#6.5.0",
             "requestParameters":{"roleArn":"arn:aws:iam::222222222222:role/gha-prod-plan","roleSessionName":"GitHubActions",
               "webIdentityToken":"eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJyZXBvOmFjbWUvaW5mcmEifQ.c2lnbmF0dXJl"},
             "responseElements":{"credentials":{"accessKeyId":"ASIAW6NHX2PAEYKH2CMZ",
               "sessionToken":"IQoJb3JpZ2luX2VjEPc//////////wEaCWV1LXdlc3QtMSJHMEUCIQDfake","expiration":"Nov 2, 2026, 10:00:09 AM"},
               "subjectFromWebIdentityToken":"repo:acme/infra:ref:refs/heads/main","audience":"sts.amazonaws.com",
               "provider":"arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"},
             "requestID":"5b1c8a3e-0f7d-4c2a-9e61-3d2f1a0b9c84","eventID":"0d5a3c1e-6b7f-4e2d-8a9c-1f2e3d4c5b6a",
             "readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"222222222222"}
            """;

    @Test
    void theIssuedSessionTokenAndTheOidcTokenGo_theAccessKeyIdStays() {
        JsonNode r = redacted(LOGIN);

        JsonNode credentials = r.path("responseElements").path("credentials");
        assertEquals(RecordRedaction.REDACTED, credentials.path("sessionToken").asText());
        assertEquals("ASIAW6NHX2PAEYKH2CMZ", credentials.path("accessKeyId").asText(), "how analysts pivot: kept");
        assertEquals("Nov 2, 2026, 10:00:09 AM", credentials.path("expiration").asText());
        assertEquals(RecordRedaction.REDACTED, r.path("requestParameters").path("webIdentityToken").asText());
        assertEquals("repo:acme/infra:ref:refs/heads/main", r.path("responseElements").path("subjectFromWebIdentityToken").asText());
        assertEquals("aws-sdk-js/3.421.0 ua/2.0 os/linux#6.5.0", r.path("userAgent").asText());
        assertFalse(RecordRedaction.redact(LOGIN).orElseThrow().contains("IQoJb3JpZ2lu"));
        assertFalse(RecordRedaction.redact(LOGIN).orElseThrow().contains("eyJhbGci"));
    }

    @Test
    void aSecretAccessKeyAndAnyCaseOfTheNamesGo() {
        String record = "{\"eventName\":\"GetSessionToken\",\"responseElements\":{\"Credentials\":{\"AccessKeyId\":\"ASIAFAKE\","
                + "\"SecretAccessKey\":\"wJalrXUtnFEMIfake\",\"SessionToken\":\"FwoGZXIvfake\"}},"
                + "\"requestParameters\":{\"SAMLAssertion\":\"PHNhbWxwOlJlc3BvbnNl\"}}";

        JsonNode r = redacted(record);

        JsonNode c = r.path("responseElements").path("Credentials");
        assertEquals(RecordRedaction.REDACTED, c.path("SecretAccessKey").asText());
        assertEquals(RecordRedaction.REDACTED, c.path("SessionToken").asText());
        assertEquals("ASIAFAKE", c.path("AccessKeyId").asText());
        assertEquals(RecordRedaction.REDACTED, r.path("requestParameters").path("SAMLAssertion").asText());
    }

    @Test
    void presignedUrlSignaturesAndSecurityTokensGo_theRestOfTheRequestStays() {
        String record = """
                {"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"eu-west-1",
                 "requestParameters":{"X-Amz-Date":"20261102T090012Z","bucketName":"acme-tfstate-prod",
                   "X-Amz-Algorithm":"AWS4-HMAC-SHA256","X-Amz-SignedHeaders":"host","X-Amz-Expires":"300",
                   "X-Amz-Signature":"9f3b2c1d0e","X-Amz-Security-Token":"IQoJb3JpZ2luX2fake","X-Amz-Credential":"ASIAW6NHX2PAEYKH2CMZ/20261102/eu-west-1/s3/aws4_request",
                   "Host":"acme-tfstate-prod.s3.eu-west-1.amazonaws.com","key":"infra/payments/terraform.tfstate"},
                 "additionalEventData":{"SignatureVersion":"SigV4","AuthenticationMethod":"QueryString",
                   "x-amz-id-2":"bm90IGEgcmVhbCBpZA=="},
                 "errorMessage":"https://acme-tfstate-prod.s3.amazonaws.com/k?X-Amz-Security-Token=IQoJfake&X-Amz-Signature=abc123&X-Amz-Expires=300"}
                """;

        JsonNode r = redacted(record);

        JsonNode p = r.path("requestParameters");
        assertEquals(RecordRedaction.REDACTED, p.path("X-Amz-Signature").asText());
        assertEquals(RecordRedaction.REDACTED, p.path("X-Amz-Security-Token").asText());
        assertEquals("ASIAW6NHX2PAEYKH2CMZ/20261102/eu-west-1/s3/aws4_request", p.path("X-Amz-Credential").asText());
        assertEquals("infra/payments/terraform.tfstate", p.path("key").asText());
        assertEquals("SigV4", r.path("additionalEventData").path("SignatureVersion").asText());
        assertEquals("https://acme-tfstate-prod.s3.amazonaws.com/k?X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted>&X-Amz-Expires=300",
                r.path("errorMessage").asText());
    }

    @Test
    void aTokenPastedIntoFreeTextGoes_evenInsideArraysAndHeaders() {
        String record = "{\"eventName\":\"TagRole\",\"requestParameters\":{\"tags\":[{\"key\":\"note\",\"value\":"
                + "\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig-nature\"}],\"Authorization\":\"AWS4-HMAC-SHA256 Credential=x, Signature=y\","
                + "\"header\":\"Bearer abc.def\"}}";

        JsonNode r = redacted(record);

        assertEquals(RecordRedaction.REDACTED, r.path("requestParameters").path("tags").get(0).path("value").asText());
        assertEquals(RecordRedaction.REDACTED, r.path("requestParameters").path("Authorization").asText());
        assertEquals("Bearer <redacted>", r.path("requestParameters").path("header").asText());
    }

    @Test
    void cloudTrailsOwnRedactionStays_andNullsStayNull() {
        String record = "{\"eventName\":\"CreateLoginProfile\",\"requestParameters\":{\"userName\":\"alice\","
                + "\"password\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"},\"responseElements\":{\"credentials\":null}}";

        JsonNode r = redacted(record);

        assertEquals("HIDDEN_DUE_TO_SECURITY_REASONS", r.path("requestParameters").path("password").asText());
        assertTrue(r.path("responseElements").path("credentials").isNull());
    }

    @Test
    void hostileTextIsKeptAsData() {
        String record = "{\"eventName\":\"<img src=x onerror=alert(1)>\",\"userAgent\":\"=HYPERLINK(\\\"http://x\\\")\"}";

        JsonNode r = redacted(record);

        assertEquals("<img src=x onerror=alert(1)>", r.path("eventName").asText());
        assertEquals("=HYPERLINK(\"http://x\")", r.path("userAgent").asText());
    }

    @Test
    void theSameRecordInAnotherFieldOrderGivesTheSameText() {
        String a = "{\"eventID\":\"e1\",\"eventName\":\"PutObject\",\"requestParameters\":{\"key\":\"k\",\"bucketName\":\"b\"}}";
        String b = "{\"requestParameters\":{\"bucketName\":\"b\",\"key\":\"k\"},\"eventName\":\"PutObject\",\"eventID\":\"e1\"}";

        assertEquals(RecordRedaction.redact(a), RecordRedaction.redact(b));
    }

    @Test
    void textThatIsNotOneJsonObjectIsNotKept() {
        assertEquals(Optional.empty(), RecordRedaction.redact("{\"sessionToken\":\"IQoJ"));
        assertEquals(Optional.empty(), RecordRedaction.redact("[1,2]"));
        assertEquals(Optional.empty(), RecordRedaction.redact(null));
    }

    private static JsonNode redacted(String record) {
        try {
            return JSON.readTree(RecordRedaction.redact(record).orElseThrow());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
