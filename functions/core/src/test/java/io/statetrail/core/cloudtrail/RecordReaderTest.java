package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;

import static io.statetrail.core.fixture.Acme.APPLY_ROLE;
import static io.statetrail.core.fixture.Acme.BUCKET;
import static io.statetrail.core.fixture.Acme.MAIN;
import static io.statetrail.core.fixture.Acme.POLICY;
import static io.statetrail.core.fixture.Acme.STATE;
import static io.statetrail.core.fixture.Acme.STATE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.fixture.Caller;
import io.statetrail.core.fixture.Json;
import io.statetrail.core.fixture.Rec;
import io.statetrail.core.terraform.StateObjects;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReaderTest {

    private static final String KEY = "ASIAW6NHX2PAEYKH2CMZ";
    private static final Caller SESSION = Caller.session(KEY, "arn:aws:sts::222222222222:assumed-role/gha-prod-apply/GitHubActions",
            Rec.githubProvider("222222222222"), "2026-11-04T10:00:00Z");

    private final RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(POLICY)));

    /** What the reader sent to its sink, in order. */
    static final class Collected implements RecordSink {
        record Relevant(String source, long line, List<TrailEvent> events) {
        }

        final List<Relevant> relevant = new ArrayList<>();
        final List<Malformed> malformed = new ArrayList<>();
        final List<String> eventTimes = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        int irrelevant;

        @Override
        public void skipped(Skipped kind) {
            skipped.add(kind);
        }

        @Override
        public void relevant(String source, long line, List<TrailEvent> events) {
            relevant.add(new Relevant(source, line, events));
        }

        @Override
        public void irrelevant() {
            irrelevant++;
        }

        @Override
        public void malformed(Malformed m) {
            malformed.add(m);
        }

        @Override
        public void eventTime(String raw) {
            eventTimes.add(raw);
        }

        List<TrailEvent> events() {
            return relevant.stream().flatMap(r -> r.events().stream()).toList();
        }

        List<String> eventIds() {
            return events().stream().map(e -> e.meta().eventId()).toList();
        }

        List<Long> lines() {
            return relevant.stream().map(Relevant::line).toList();
        }

        List<String> reasons() {
            return malformed.stream().map(Malformed::reason).toList();
        }
    }

    private Collected read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private Collected read(byte[] bytes) {
        Collected c = new Collected();
        reader.read("input.json", new ByteArrayInputStream(bytes), 0, c);
        return c;
    }

    private Collected readFile(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return readFile(file);
    }

    private Collected readFile(Path dir, String name, String text) throws IOException {
        return readFile(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Collected readFile(Path file) {
        Collected c = new Collected();
        reader.readFile(file, c);
        return c;
    }

    private static Rec login(String second) {
        return Rec.assumeRoleWithWebIdentity(MAIN, APPLY_ROLE, KEY).at("2026-11-04T10:00:" + second + "Z").eventId("login-" + second);
    }

    private static Rec write(String second) {
        return Rec.s3("PutObject", SESSION, BUCKET, STATE).at("2026-11-04T10:00:" + second + "Z").eventId("write-" + second);
    }

    private static Rec read(String second, String key) {
        return Rec.s3("GetObject", SESSION, BUCKET, key).at("2026-11-04T10:00:" + second + "Z").eventId("read-" + second);
    }

    // ---- every input shape -------------------------------------------------------------------------------------

    @Test
    void bareRecordBecomesItsEvent() {
        Collected c = read(write("05").json());

        assertEquals(List.of("write-05"), c.eventIds());
        StateAccess write = assertInstanceOf(StateAccess.class, c.events().get(0));
        assertEquals(StateAccess.Operation.WRITE, write.operation());
        assertEquals(STATE_KEY, write.stateKey());
        assertEquals(KEY, write.meta().actor().accessKeyId());
        assertEquals(Instant.parse("2026-11-04T10:00:05Z"), write.meta().time());
        assertEquals(List.of(), c.malformed);
    }

    @Test
    void eventBridgeEnvelopeIsUnwrapped() {
        Collected c = read(login("01").eventBridge());

        RoleAssumed login = assertInstanceOf(RoleAssumed.class, c.events().get(0));
        assertEquals("login", login.kind());
        assertEquals(KEY, login.issuedKey());
        assertEquals(MAIN, login.webIdentity().subject().raw());
        assertEquals(APPLY_ROLE, login.roleArn());
        assertEquals(Instant.parse("2026-11-04T11:00:01Z"), login.expiration(), "English expiration text is parsed");
        assertEquals(1, c.relevant.size());
        assertEquals(List.of(), c.malformed);
    }

    @Test
    void logFileRecordsAreAllReadWhateverTheirOrderWithTheLineOfEach() {
        String file = Rec.logFile(List.of(write("09"), login("01"), read("05", STATE)));

        Collected c = read(file);

        assertEquals(List.of("write-09", "login-01", "read-05"), c.eventIds());
        List<String> lines = file.lines().toList();
        assertEquals(3, c.lines().stream().distinct().count());
        for (long line : c.lines()) {
            assertTrue(lines.get((int) line - 1).trim().endsWith("{"), "line " + line + " opens its record: " + lines.get((int) line - 1));
        }
    }

    @Test
    void jsonArrayOfRecordsIsRead() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        array.add(login("01").node()).add(write("02").node());

        Collected c = read(Json.pretty(array));

        assertEquals(List.of("login-01", "write-02"), c.eventIds());
    }

    @Test
    void jsonLinesAreReadOneRecordPerLineWithTheirLineNumbers() {
        String text = login("01").eventBridge() + "\n" + write("02").json() + "\n\n" + read("03", STATE).eventBridge() + "\n";

        Collected c = read(text);

        assertEquals(List.of("login-01", "write-02", "read-03"), c.eventIds());
        assertEquals(List.of(1L, 2L, 4L), c.lines());
    }

    @Test
    void lookupEventsResponseReadsTheRecordInsideTheString() {
        ObjectNode response = Json.object();
        ArrayNode events = response.putArray("Events");
        for (Rec r : List.of(login("01"))) {
            ObjectNode e = events.addObject();
            e.put("EventId", r.eventId());
            e.put("EventName", "AssumeRoleWithWebIdentity");
            e.put("ReadOnly", "true");
            e.put("EventTime", "2026-11-04T11:00:01+01:00");
            e.put("EventSource", "sts.amazonaws.com");
            e.put("Username", MAIN);
            e.putArray("Resources").addObject().put("ResourceType", "AWS::IAM::Role").put("ResourceName", APPLY_ROLE);
            e.put("CloudTrailEvent", r.json());
        }
        response.put("NextToken", "eyJ2IjoiMSJ9");

        String text = Json.pretty(response);

        Collected c = read(text);

        assertEquals(List.of("login-01"), c.eventIds());
        long eventsLine = text.lines().takeWhile(l -> !l.contains("\"Events\"")).count() + 1;
        assertEquals(eventsLine, c.lines().get(0), "reported at the line of the Events element holding the string");
        assertEquals(List.of(), c.malformed);
    }

    @Test
    void sqsMessageBodyHoldingAnEventBridgeEventIsRead() {
        ObjectNode lambdaEvent = Json.object();
        ObjectNode message = lambdaEvent.putArray("Records").addObject();
        message.put("messageId", "059f36b4-87a3-44ab-83d2-661975830a7d");
        message.put("receiptHandle", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a");
        message.put("body", write("02").eventBridge());
        message.putObject("attributes").put("ApproximateReceiveCount", "1");
        message.putObject("messageAttributes");
        message.put("md5OfBody", "e4e68fb7bd0e697a0ae8f1bb342846b3");
        message.put("eventSource", "aws:sqs");
        message.put("eventSourceARN", "arn:aws:sqs:eu-west-1:222222222222:statetrail-ingest");
        message.put("awsRegion", "eu-west-1");

        Collected c = read(Json.pretty(lambdaEvent));

        assertEquals(List.of("write-02"), c.eventIds());
        assertEquals(List.of(), c.malformed, "the SQS message around the event is not itself a malformed record");
        assertEquals(0, c.irrelevant);
    }

    @Test
    void snsNotificationInsideAnSqsBodyIsRead() {
        ObjectNode notification = Json.object();
        notification.put("Type", "Notification");
        notification.put("MessageId", "9e6b1a1c-5f1b-5a3c-9a0b-3c1a2b3c4d5e");
        notification.put("TopicArn", "arn:aws:sns:eu-west-1:222222222222:cloudtrail");
        notification.put("Message", write("02").eventBridge());
        ObjectNode lambdaEvent = Json.object();
        ObjectNode message = lambdaEvent.putArray("Records").addObject();
        message.put("messageId", "1");
        message.put("body", Json.write(notification));
        message.put("eventSource", "aws:sqs");

        Collected c = read(Json.write(lambdaEvent));

        assertEquals(List.of("write-02"), c.eventIds());
        assertEquals(List.of(), c.malformed);
    }

    @Test
    void readStringReadsOneEmbeddedDocument() {
        Collected c = new Collected();

        reader.readString("sqs:message-1", write("02").eventBridge(), c);

        assertEquals(List.of("write-02"), c.eventIds());
        assertEquals("sqs:message-1", c.relevant.get(0).source());
    }

    @Test
    void gzippedLogFileIsRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(Rec.logFile(List.of(write("02"), login("01"))).getBytes(StandardCharsets.UTF_8));
        }

        Collected c = readFile(file);

        assertEquals(List.of("write-02", "login-01"), c.eventIds());
        assertEquals(file.toString(), c.relevant.get(0).source());
    }

    @Test
    void irrelevantRecordsAreCountedNotKept() {
        ObjectNode consoleLogin = Json.object();
        consoleLogin.put("eventVersion", "1.02").put("eventTime", "2016-01-26T21:42:12Z").put("eventSource", "signin.amazonaws.com")
                .put("eventName", "ConsoleLogin").put("eventID", "654ccbc0-ba0d-486a-9076-dbf7274677a7");
        Rec otherObject = Rec.s3("PutObject", SESSION, "acme-artifacts", "build/app.zip").eventId("artifact");
        ObjectNode streamRecord = Json.object();
        streamRecord.put("eventID", "c4ca4238a0b923820dcc509a6f75849b").put("eventName", "INSERT").put("eventVersion", "1.1")
                .put("eventSource", "aws:dynamodb").put("awsRegion", "us-east-1");

        Collected c = read(Json.write(consoleLogin) + "\n" + otherObject.json() + "\n" + Json.write(streamRecord) + "\n");

        assertEquals(3, c.irrelevant);
        assertEquals(List.of(), c.relevant);
        assertEquals(List.of(), c.malformed);
        assertEquals(List.of("2016-01-26T21:42:12Z", "2026-11-04T10:00:00Z"), c.eventTimes);
    }

    @Test
    void copyObjectIsAWriteOfTheTargetAndAReadOfTheSource() {
        Rec copy = Rec.s3("CopyObject", SESSION, BUCKET, "infra/backup/terraform.tfstate").eventId("copy");
        copy.node().with("requestParameters").put("x-amz-copy-source", BUCKET + "/infra/network/terraform.tfstate?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");

        Collected c = read(copy.json());

        assertEquals(List.of("write", "read"), c.events().stream().map(TrailEvent::kind).toList());
        assertEquals(BUCKET + "/infra/network/terraform.tfstate", ((StateAccess) c.events().get(1)).stateKey());
    }

    @Test
    void deniedAssumeRoleTakesTheRoleFromTheErrorMessage() {
        Caller user = Caller.iamUser("arn:aws:iam::457448411975:user/christophe", "AKIAWOGXN38MFN92ING5");

        Collected c = read(Rec.deniedAssumeRole(user, "arn:aws:iam::457448411975:role/stratus-role", "1").json());

        RoleAssumptionFailed failed = assertInstanceOf(RoleAssumptionFailed.class, c.events().get(0));
        assertEquals("arn:aws:iam::457448411975:role/stratus-role", failed.roleArn());
        assertEquals("AccessDenied", failed.meta().errorCode());
    }

    // ---- malformed input: reported with source and line, the rest still read -----------------------------------

    @Test
    void truncatedLineIsReportedAndTheNextLinesAreRead(@TempDir Path dir) throws IOException {
        String whole = write("02").eventBridge();
        String cut = whole.substring(0, whole.indexOf("aws-sdk-go-v2") + 5);
        String text = login("01").eventBridge() + "\n" + cut + "\n" + read("03", STATE).eventBridge() + "\n";

        Collected c = readFile(dir, "eventbridge.jsonl", text);

        assertEquals(List.of("login-01", "read-03"), c.eventIds());
        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertEquals(dir.resolve("eventbridge.jsonl") + ":2", c.malformed.get(0).where());
        assertTrue(c.malformed.get(0).reason().startsWith("invalid JSON"), c.malformed.get(0).reason());
    }

    @Test
    void truncatedFileKeepsTheRecordsBeforeTheCut() {
        String file = Rec.logFile(List.of(login("01"), write("02")));

        Collected c = read(file.substring(0, file.length() - 200));

        assertEquals(List.of("login-01"), c.eventIds());
        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertTrue(c.malformed.get(0).reason().startsWith("invalid JSON (truncated)"), c.malformed.get(0).reason());
        assertTrue(c.malformed.get(0).line() > 1);
    }

    @Test
    void fieldOfTheWrongTypeRejectsOnlyItsRecord() {
        ObjectNode badTime = write("02").node();
        badTime.put("eventTime", 1794477602);
        ObjectNode badIdentity = read("03", STATE).node();
        badIdentity.put("userIdentity", "AssumedRole");
        String file = Rec.logFile(List.of(login("01")))
                .replace("\"Records\" : [ {", "\"Records\" : [ " + Json.pretty(badTime) + ", " + Json.pretty(badIdentity) + ", {");

        Collected c = read(file);

        assertEquals(List.of("login-01"), c.eventIds());
        assertEquals(List.of("eventTime is a number, expected a string", "userIdentity is a string, expected an object"), c.reasons());
        assertTrue(c.malformed.stream().allMatch(m -> m.line() > 1 && m.source().equals("input.json")));
    }

    @Test
    void unknownShapesAreReportedAndDoNotStopTheRest() {
        String text = "42\n{\"LockID\":{\"S\":\"acme-tfstate-prod/infra/terraform.tfstate\"}}\n\"text\"\n" + write("04").json() + "\n";

        Collected c = read(text);

        assertEquals(List.of("write-04"), c.eventIds());
        assertEquals(3, c.malformed.size());
        assertEquals(List.of(1L, 2L, 3L), c.malformed.stream().map(Malformed::line).toList());
        assertTrue(c.reasons().stream().allMatch(r -> r.startsWith("unknown shape")), c.reasons().toString());
    }

    @Test
    void impossibleTimestampIsReported() {
        Collected c = read(write("02").set("eventTime", "2026-11-31T25:61:00Z").json() + "\n" + write("03").json());

        assertEquals(List.of("write-03"), c.eventIds());
        assertEquals(List.of("bad eventTime '2026-11-31T25:61:00Z'"), c.reasons());
    }

    @Test
    void timestampWithAnOffsetIsAccepted() {
        Collected c = read(write("02").set("eventTime", "2026-11-04T11:00:02+01:00").json());

        assertEquals(Instant.parse("2026-11-04T10:00:02Z"), c.events().get(0).meta().time());
    }

    @Test
    void unknownEventVersionIsRefusedRatherThanMisread() {
        Collected c = read(write("02").set("eventVersion", "2.0").json() + "\n" + write("03").json());

        assertEquals(List.of("write-03"), c.eventIds());
        assertEquals(List.of("unsupported eventVersion '2.0' (statetrail reads 1.x)"), c.reasons());
        assertEquals(1L, c.malformed.get(0).line());
    }

    @Test
    void missingEventIdIsRefused() {
        Collected c = read(write("02").remove("eventID").json());

        assertEquals(List.of("missing eventID"), c.reasons());
    }

    @Test
    void successfulAssumeRoleWithoutCredentialsIsRefused() {
        Rec login = login("01");
        login.node().with("responseElements").remove("credentials");

        Collected c = read(login.json());

        assertEquals(List.of("AssumeRoleWithWebIdentity succeeded but has no responseElements.credentials.accessKeyId"), c.reasons());
    }

    @Test
    void invalidUtf8IsReportedAndTheNextLineIsRead(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((login("01").json() + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] broken = write("02").json().replace("GitHubActions", "GitHub\u0001Actions").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < broken.length; i++) {
            if (broken[i] == 1) {
                broken[i] = (byte) 0xC3;
                broken[i + 1] = (byte) 0x28;
            }
        }
        bytes.write(broken);
        bytes.write(("\n" + read("03", STATE).json() + "\n").getBytes(StandardCharsets.UTF_8));

        Collected c = readFile(dir, "latin.jsonl", bytes.toByteArray());

        assertEquals(List.of("login-01", "read-03"), c.eventIds());
        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertEquals(2L, c.malformed.get(0).line());
        assertTrue(c.malformed.get(0).reason().contains("UTF-8") || c.malformed.get(0).reason().contains("UTF8"), c.malformed.get(0).reason());
    }

    @Test
    void twoMegabyteStringIsRefusedAndTheNextLineIsRead(@TempDir Path dir) {
        String huge = write("02").set("userAgent", "x".repeat(2 * 1024 * 1024)).json();

        Collected c = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> readFile(dir, "huge.jsonl", login("01").json() + "\n" + huge + "\n" + read("03", STATE).json() + "\n"));

        assertEquals(List.of("login-01", "read-03"), c.eventIds());
        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertEquals(2L, c.malformed.get(0).line());
        assertTrue(c.malformed.get(0).reason().startsWith("too large or deeply nested"), c.malformed.get(0).reason());
    }

    @Test
    void deepNestingIsRefusedAndTheNextLineIsRead(@TempDir Path dir) throws IOException {
        String deep = "{\"Records\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        Collected c = readFile(dir, "deep.jsonl", deep + "\n" + write("02").json() + "\n");

        assertEquals(List.of("write-02"), c.eventIds());
        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertEquals(dir.resolve("deep.jsonl") + ":1", c.malformed.get(0).where());
        assertTrue(c.malformed.get(0).reason().startsWith("too large or deeply nested"), c.malformed.get(0).reason());
    }

    @Test
    void brokenEmbeddedDocumentIsReportedWithAScrubbedExcerpt() {
        Rec login = login("01");
        String token = login.sessionToken();
        ObjectNode reordered = Json.object();
        reordered.set("responseElements", login.node().get("responseElements"));
        login.node().fields().forEachRemaining(f -> reordered.putIfAbsent(f.getKey(), f.getValue()));
        String broken = Json.write(reordered).substring(0, 400);
        assertTrue(broken.substring(0, 200).contains(token.substring(0, 30)), "the token is inside what an excerpt shows");
        ObjectNode response = Json.object();
        response.putArray("Events").addObject().put("EventId", "x").put("CloudTrailEvent", broken);

        Collected c = read(Json.write(response));

        assertEquals(1, c.malformed.size(), c.malformed::toString);
        Malformed m = c.malformed.get(0);
        assertTrue(m.reason().startsWith("embedded document: invalid JSON"), m.reason());
        assertTrue(m.excerpt().contains("\"sessionToken\":\"<redacted>\""), m.excerpt());
        assertFalse(m.toString().contains(token.substring(0, 30)), "session token leaked: " + m);
    }

    @Test
    void eventsCarryNoSessionToken() {
        Rec login = login("01");

        Collected c = read(login.json());

        assertFalse(c.events().get(0).toString().contains(login.sessionToken()));
    }

    @Test
    void brokenRecordsInAFileAreReportedWithTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, login("01").json() + "\n{\"eventVersion\": \"1.08\", \"eventSource\": \"s3.amazonaws.com\",,\n" + write("02").json() + "\n");

        Collected c = readFile(file);

        assertEquals(List.of("login-01", "write-02"), c.eventIds());
        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertEquals(file + ":2", c.malformed.get(0).where());
    }

    @Test
    void fileIsReadByItsContentWhateverItsName(@TempDir Path dir) throws IOException {
        // Plain JSON named .gz, gzip named .log, gzip without extension (Firehose output): the bytes decide.
        Collected plainNamedGz = readFile(dir, "events.json.gz", write("02").json());
        Collected gzipNamedLog = readFile(dir, "events.log", gzip(write("03").json()));
        Collected gzipBare = readFile(dir, "statetrail-firehose-1-2026-11-04-10-00-00-8e6f2a", gzip(write("04").json()));

        assertEquals(List.of("write-02"), plainNamedGz.eventIds());
        assertEquals(List.of("write-03"), gzipNamedLog.eventIds());
        assertEquals(List.of("write-04"), gzipBare.eventIds());
        assertEquals(List.of(), plainNamedGz.malformed);
    }

    @Test
    void corruptGzipIsReported(@TempDir Path dir) throws IOException {
        byte[] cut = java.util.Arrays.copyOf(gzip(write("02").json() + "\n" + write("03").json()), 30);

        Collected c = readFile(dir, "events.json.gz", cut);

        assertEquals(1, c.malformed.size(), c.malformed::toString);
        assertTrue(c.malformed.get(0).reason().startsWith("cannot read"), c.malformed.get(0).reason());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    // ---- records that are not API calls by their caller (issue 13, point 3) ------------------------------------

    @Test
    void insightsRecordsAreSkippedNotMalformed() {
        String file = Rec.logFile(List.of(Rec.insight("s3.amazonaws.com", "DeleteObjects", "Start", "1"),
                Rec.insight("s3.amazonaws.com", "DeleteObjects", "End", "2").at("2026-11-04T10:05:00Z")));

        Collected c = read(file);

        assertEquals(List.of(Skipped.INSIGHT, Skipped.INSIGHT), c.skipped);
        assertEquals(List.of(), c.malformed);
        assertEquals(List.of(), c.relevant);
        assertEquals(List.of("2026-11-04T10:00:00Z", "2026-11-04T10:05:00Z"), c.eventTimes);
    }

    @Test
    void digestFileIsSkippedNotMalformed() {
        String digest = """
                {"awsAccountId":"222222222222","digestStartTime":"2026-11-04T09:05:12Z","digestEndTime":"2026-11-04T10:05:12Z",
                 "digestS3Bucket":"acme-cloudtrail","digestS3Object":"AWSLogs/222222222222/CloudTrail-Digest/eu-west-1/2026/11/04/222222222222_CloudTrail-Digest_eu-west-1_org_eu-west-1_20261104T100512Z.json.gz",
                 "digestPublicKeyFingerprint":"4f8c3b1e0a9d27c6e5b4a3f2d1c0b9a8","digestSignatureAlgorithm":"SHA256withRSA",
                 "newestEventTime":"2026-11-04T10:04:58Z","oldestEventTime":"2026-11-04T09:05:01Z",
                 "previousDigestS3Bucket":"acme-cloudtrail","previousDigestS3Object":null,"previousDigestHashValue":null,
                 "previousDigestHashAlgorithm":null,"previousDigestSignature":null,
                 "logFiles":[{"s3Bucket":"acme-cloudtrail","s3Object":"AWSLogs/222222222222/CloudTrail/eu-west-1/2026/11/04/222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz",
                   "hashValue":"3c6f1f3bb3f0d3e0c3a84b5b3f0e8f5ab7a1e2d4c9b8a7f6e5d4c3b2a1f0e9d8","hashAlgorithm":"SHA-256",
                   "newestEventTime":"2026-11-04T10:04:58Z","oldestEventTime":"2026-11-04T09:59:02Z"}]}""";

        Collected c = read(digest);

        assertEquals(List.of(Skipped.DIGEST), c.skipped);
        assertEquals(List.of(), c.malformed);
    }

    @Test
    void networkActivityCopyOfAStateWriteIsSkippedAndIsNoWrite() {
        Rec put = write("02");
        Rec viaEndpoint = put.networkActivity("vpce-0a1b2c3d4e5f60718");

        Collected c = read(viaEndpoint.json() + "\n" + put.json());

        assertEquals(List.of(Skipped.NETWORK_ACTIVITY), c.skipped);
        assertEquals(List.of("write-02"), c.eventIds());
        assertEquals(List.of(), c.malformed);
    }

    // ---- S3 key from resources (point 5), bulk deletes (point 2), refused logins (point 9) ----------------------

    @Test
    void s3ObjectIsTakenFromResourcesWhenTheRequestNamesNoKey() {
        Rec put = write("02");
        ((ObjectNode) put.node().get("requestParameters")).remove("key");

        StateAccess s = assertInstanceOf(StateAccess.class, read(put.json()).events().get(0));

        assertEquals(StateAccess.Operation.WRITE, s.operation());
        assertEquals(STATE_KEY, s.stateKey());
        assertEquals(STATE, s.objectKey());
    }

    @Test
    void s3ObjectAndBucketAreTakenFromResourcesInOtherPartitionsToo() {
        Rec get = read("02", STATE);
        ObjectNode req = (ObjectNode) get.node().get("requestParameters");
        req.remove("key");
        req.remove("bucketName");
        ((ObjectNode) get.node().get("resources").get(0)).put("ARN", "arn:aws-us-gov:s3:::" + BUCKET + "/" + STATE);

        StateAccess s = assertInstanceOf(StateAccess.class, read(get.json()).events().get(0));

        assertEquals(StateAccess.Operation.READ, s.operation());
        assertEquals(STATE_KEY, s.stateKey());
    }

    @Test
    void deleteObjectsNamingNoKeysIsABulkDeleteOfItsBucket() {
        StateAccess s = assertInstanceOf(StateAccess.class, read(Rec.deleteObjects(SESSION, BUCKET).json()).events().get(0));

        assertEquals(StateAccess.Operation.BULK_DELETE, s.operation());
        assertEquals(BUCKET + "/*", s.stateKey());
        assertEquals(null, s.objectKey());
        assertEquals("bulk-delete", s.kind());
    }

    @Test
    void deleteObjectsNamingItsObjectsInResourcesDeletesTheStatesAmongThem() {
        Rec r = Rec.deleteObjects(SESSION, BUCKET);
        ArrayNode res = (ArrayNode) r.node().get("resources");
        res.remove(0);
        res.insertObject(0).put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + BUCKET + "/" + STATE);
        res.insertObject(1).put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + BUCKET + "/docs/readme.txt");

        List<TrailEvent> events = read(r.json()).events();

        assertEquals(1, events.size());
        assertEquals(StateAccess.Operation.DELETE, ((StateAccess) events.get(0)).operation());
        assertEquals(STATE_KEY, ((StateAccess) events.get(0)).stateKey());
    }

    @Test
    void refusedWebIdentityLoginTakesTheRoleFromTheRequestFirst() {
        Rec denied = Rec.deniedWebIdentity(MAIN, APPLY_ROLE, "1");
        denied.node().putObject("requestParameters").put("roleArn", APPLY_ROLE).put("roleSessionName", "GitHubActions");
        denied.set("errorMessage", "Not authorized to perform sts:AssumeRoleWithWebIdentity (arn:aws:iam::222222222222:role/some-other-role)");
        denied.node().putArray("resources").addObject().put("type", "AWS::IAM::Role").put("ARN", "arn:aws:iam::222222222222:role/from-resources");

        RoleAssumptionFailed f = assertInstanceOf(RoleAssumptionFailed.class, read(denied.json()).events().get(0));

        assertEquals(APPLY_ROLE, f.roleArn());
        assertEquals(MAIN, f.webIdentity().subject().raw());
    }

    @Test
    void refusedWebIdentityLoginFallsBackToResourcesThenTheErrorMessage() {
        Rec fromResources = Rec.deniedWebIdentity(MAIN, APPLY_ROLE, "2");
        fromResources.node().putArray("resources").addObject().put("type", "AWS::IAM::Role").put("ARN", APPLY_ROLE);
        Rec fromMessage = Rec.deniedWebIdentity(MAIN, APPLY_ROLE, "3");
        fromMessage.set("errorMessage", "An error occurred (AccessDenied) on arn:aws:iam::222222222222:role/gha-prod-apply");

        assertEquals(APPLY_ROLE, ((RoleAssumptionFailed) read(fromResources.json()).events().get(0)).roleArn());
        assertEquals(APPLY_ROLE, ((RoleAssumptionFailed) read(fromMessage.json()).events().get(0)).roleArn());
    }

    // ---- issue 20: claims and where a call came from -----------------------------------------------------------

    @Test
    void sessionTagsAreReadInEveryShapeAndKind() {
        com.fasterxml.jackson.databind.node.ObjectNode req = io.statetrail.core.fixture.Json.object();
        req.put("roleArn", APPLY_ROLE).put("roleSessionName", "GitHubActions");
        req.putArray("tags").addObject().put("key", "Branch").put("value", "refs/heads/main");
        ((com.fasterxml.jackson.databind.node.ArrayNode) req.get("tags")).addObject().put("Key", "RunId").put("Value", 16016216621L);
        ((com.fasterxml.jackson.databind.node.ArrayNode) req.get("tags")).addObject().put("key", "Nested").putObject("value");
        req.putObject("incomingTransitiveTags").put("Repository", "acme/infra");
        req.putObject("principalTags").put("actor", "octocat").put("flag", true);
        Rec hop = Rec.assumeRole(SESSION, APPLY_ROLE, "ASIAHOPKEY0000000001", "GitHubActions").set("requestParameters", req);

        io.statetrail.core.event.RoleAssumed r = (io.statetrail.core.event.RoleAssumed) read(hop.json()).events().get(0);

        assertEquals(List.of(
                new io.statetrail.core.event.SessionTag(io.statetrail.core.event.SessionTag.Kind.TAG, "Branch", "refs/heads/main"),
                new io.statetrail.core.event.SessionTag(io.statetrail.core.event.SessionTag.Kind.TAG, "RunId", "16016216621"),
                new io.statetrail.core.event.SessionTag(io.statetrail.core.event.SessionTag.Kind.TRANSITIVE, "Repository", "acme/infra"),
                new io.statetrail.core.event.SessionTag(io.statetrail.core.event.SessionTag.Kind.PRINCIPAL, "actor", "octocat"),
                new io.statetrail.core.event.SessionTag(io.statetrail.core.event.SessionTag.Kind.PRINCIPAL, "flag", "true")), r.tags());
    }

    @Test
    void hostileTagsAreCutToAwsLimitsAndTagsOfTheWrongTypeLeaveTheRecordReadable() {
        com.fasterxml.jackson.databind.node.ObjectNode req = io.statetrail.core.fixture.Json.object();
        req.put("roleArn", APPLY_ROLE).put("roleSessionName", "GitHubActions");
        com.fasterxml.jackson.databind.node.ArrayNode tags = req.putArray("tags");
        for (int i = 0; i < 80; i++) {
            tags.addObject().put("key", "k" + i + "x".repeat(200)).put("value", "<script>" + "v".repeat(400));
        }
        req.put("principalTags", "not a map");
        Rec hop = Rec.assumeRole(SESSION, APPLY_ROLE, "ASIAHOPKEY0000000002", "GitHubActions").set("requestParameters", req);

        io.statetrail.core.event.RoleAssumed r = (io.statetrail.core.event.RoleAssumed) read(hop.json()).events().get(0);

        assertEquals(50, r.tags().size());
        assertEquals(128, r.tags().get(0).key().length());
        assertEquals(256, r.tags().get(0).value().length());
    }

    @Test
    void theVpcEndpointAndItsAccountAreKeptAndOfAnotherTypeIgnored() {
        Rec viaEndpoint = write("07").set("vpcEndpointId", "vpce-0a1b2c3d4e5f60718").set("vpcEndpointAccountId", "222222222222");
        Rec odd = write("08").set("vpcEndpointId", io.statetrail.core.fixture.Json.object().put("id", "x"));

        Collected c = read(viaEndpoint.json() + "\n" + odd.json());

        assertEquals(List.of(), c.reasons());
        assertEquals("vpce-0a1b2c3d4e5f60718", c.events().get(0).meta().vpcEndpointId());
        assertEquals("222222222222", c.events().get(0).meta().vpcEndpointAccountId());
        assertEquals(null, c.events().get(1).meta().vpcEndpointId());
    }
}
