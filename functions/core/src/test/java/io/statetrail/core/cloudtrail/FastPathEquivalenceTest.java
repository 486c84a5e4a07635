package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.TrailEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.terraform.StateObjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log-file fast path ({@link LogFileScanner}) must make exactly the sink calls the Jackson path makes, in the
 * same order, for any input: the samples, synthetic log files (compact and pretty, plain and gzipped), thousands of
 * random corruptions of them, and truncated gzip streams.
 */
class FastPathEquivalenceTest {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    static RecordReader fast;
    static RecordReader jackson;
    static List<ObjectNode> pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        Policy policy = PolicyLoader.load(EVENTS.resolve("policy.yaml"));
        RecordClassifier classifier = new RecordClassifier(new StateObjects(policy));
        fast = new RecordReader(classifier, true);
        jackson = new RecordReader(classifier, false);
        pool = recordPool();
    }

    /** Every call, in order, as text. */
    static final class Recording implements RecordSink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void relevant(String source, long line, List<TrailEvent> events) {
            calls.add("relevant " + source + ":" + line + " " + events);
        }

        @Override
        public void irrelevant() {
            calls.add("irrelevant");
        }

        @Override
        public void malformed(Malformed malformed) {
            calls.add("malformed " + malformed);
        }

        @Override
        public void eventTime(String raw) {
            calls.add("eventTime " + raw);
        }

        @Override
        public void skipped(Skipped kind) {
            calls.add("skipped " + kind);
        }
    }

    static List<String> read(RecordReader reader, Path file) {
        Recording r = new Recording();
        reader.readFile(file, r);
        return r.calls;
    }

    static void assertSame(Path file) {
        List<String> expected = read(jackson, file);
        List<String> actual = read(fast, file);
        assertEquals(expected, actual, file.toString());
    }

    @Test
    void samplesReadTheSameBothWays() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(EVENTS)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|jsonl)(\\.gz)?$")).sorted().toList();
        }
        assertTrue(files.size() > 40, "samples: " + files.size());
        for (Path f : files) {
            assertSame(f);
        }
    }

    @Test
    void syntheticLogFilesReadTheSameBothWays() throws IOException {
        Random random = new Random(7);
        for (int n = 0; n < 40; n++) {
            byte[] doc = logFile(random, 1 + random.nextInt(60), n % 3 == 0);
            assertSame(write("synthetic-" + n + ".json", doc, false));
            assertSame(write("synthetic-" + n + ".json.gz", doc, true));
        }
    }

    @Test
    void theFastPathReallyReadsPlainLogFiles() throws IOException {
        // Guard against a fast path that silently always gives up: it must finish a clean log file by itself.
        byte[] doc = logFile(new Random(3), 200, false);
        Path file = write("clean.json.gz", doc, true);
        Recording r = new Recording();
        LogFileScanner scanner = new LogFileScanner(fast, fast.classifier().stateObjects(), file.toString(), RecordReader.open(file), r, null);
        assertTrue(scanner.run(), "the fast path finished the file");
        assertEquals(read(jackson, file), r.calls);
    }

    @Test
    void corruptedLogFilesReadTheSameBothWays() throws IOException {
        Random random = new Random(11);
        for (int n = 0; n < 2000; n++) {
            byte[] doc = logFile(random, 1 + random.nextInt(8), random.nextInt(4) == 0);
            byte[] bad = mutate(doc, random);
            boolean gz = random.nextBoolean();
            Path file = write("corrupt-" + n + (gz ? ".json.gz" : ".json"), bad, gz);
            assertSame(file);
            Files.delete(file);
        }
    }

    @Test
    void truncatedGzipReadsTheSameBothWays() throws IOException {
        Random random = new Random(5);
        byte[] doc = logFile(random, 400, false);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(doc);
        }
        byte[] full = gz.toByteArray();
        for (int n = 0; n < 40; n++) {
            int cut = 20 + random.nextInt(full.length - 20);
            byte[] cutBytes = java.util.Arrays.copyOf(full, cut);
            if (n % 2 == 1) {
                cutBytes[cut / 2] ^= 0x5A; // and a corrupt block midway
            }
            Path file = tmp.resolve("truncated-" + n + ".json.gz");
            Files.write(file, cutBytes);
            assertSame(file);
        }
    }

    @Test
    void plainUtcIsAlwaysAnInstantParseAccepts() {
        Random random = new Random(1);
        for (int n = 0; n < 60_000; n++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", random.nextInt(3000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62));
            byte[] b = (text + "            ").getBytes(StandardCharsets.US_ASCII);
            boolean plain = LogFileScanner.plainUtc(b, 0, text.length());
            Instant fastInstant = CloudTrailTimes.plainEventTime(text);
            Instant parsed;
            try {
                parsed = Instant.parse(text);
            } catch (DateTimeParseException e) {
                parsed = null;
            }
            if (plain) {
                assertNotNull(parsed, text);
            }
            assertEquals(plain, fastInstant != null, text);
            if (fastInstant != null) {
                assertEquals(parsed, fastInstant, text);
            }
        }
    }

    @Test
    void plainExpirationIsWhatTheFormatterReads() {
        DateTimeFormatter formatter = new DateTimeFormatterBuilder().parseCaseInsensitive()
                .appendPattern("MMM d, yyyy[,] h:mm:ss a").toFormatter(Locale.ENGLISH);
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "nov", "Foo"};
        Random random = new Random(2);
        int fastOnes = 0;
        for (int n = 0; n < 30_000; n++) {
            String text = months[random.nextInt(months.length)] + " " + random.nextInt(33) + ", " + (1990 + random.nextInt(60))
                    + (random.nextBoolean() ? "," : "") + " " + random.nextInt(14) + ":" + String.format("%02d", random.nextInt(61))
                    + ":" + String.format("%02d", random.nextInt(61)) + " " + (random.nextBoolean() ? "AM" : random.nextBoolean() ? "PM" : "pm");
            Instant viaFormatter;
            try {
                viaFormatter = LocalDateTime.parse(text, formatter).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                viaFormatter = null;
            }
            Instant plain = CloudTrailTimes.plainExpiration(text);
            if (plain != null) {
                fastOnes++;
                assertEquals(viaFormatter, plain, text);
            }
            assertEquals(viaFormatter, CloudTrailTimes.expiration(text), text);
        }
        assertTrue(fastOnes > 3_000, "fast path used: " + fastOnes);
    }

    // ---- inputs -------------------------------------------------------------------------------------------------

    Path write(String name, byte[] doc, boolean gz) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = gz ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(doc);
        }
        return file;
    }

    /** A {@code {"Records":[…]}} file drawn from the pool, compact (one line, as CloudTrail writes) or pretty. */
    static byte[] logFile(Random random, int records, boolean pretty) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("Records");
        for (int i = 0; i < records; i++) {
            list.add(pool.get(random.nextInt(pool.size())).deepCopy());
        }
        String text = pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) : JSON.writeValueAsString(root);
        if (random.nextInt(5) == 0) {
            // Oddities the fast path must treat as Jackson does: escapes, duplicates, other types, non-ASCII.
            text = text.replaceFirst("\"eventTime\"", random.nextBoolean() ? "\"event\\u0054ime\"" : "\"eventTime\":1,\"eventTime\"");
        }
        if (random.nextInt(7) == 0) {
            text = text.replaceFirst("\"userIdentity\":", "\"userIdentity\":7,\"userIdentity\":");
        }
        if (random.nextInt(7) == 0) {
            text = text.replaceFirst("\"awsRegion\":\"", "\"awsRegion\":\"r\\u00e9gion-\u00e9\u4e2d\uD83D\uDE00");
        }
        if (random.nextInt(9) == 0) {
            text = text.replaceFirst("\"eventSource\":\"s3", "\"eventSource\":\"\\u0073\\u0033");
        }
        if (random.nextInt(9) == 0) {
            text = text.replaceFirst("\"bucketName\":", "\"bucketName\":null,\"bucket\\u004eame\":");
        }
        if (random.nextInt(11) == 0) {
            text = text.replaceFirst("\"requestParameters\":\\{", "\"requestParameters\":{\"n\":[1,-0.5e3,true,false,null,{}],");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] mutate(byte[] doc, Random random) {
        byte[] significant = "{}[]:,\"\\ \n\r\t0123456789-+.eEtrufalsn\u0000\u001f".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(doc.length);
        int kind = random.nextInt(7);
        byte any = random.nextInt(4) == 0 ? (byte) (0x80 + random.nextInt(128)) : significant[random.nextInt(significant.length)];
        switch (kind) {
            case 0 -> { // delete one byte
                out.write(doc, 0, at);
                out.write(doc, at + 1, doc.length - at - 1);
            }
            case 1 -> { // insert one byte
                out.write(doc, 0, at);
                out.write(any);
                out.write(doc, at, doc.length - at);
            }
            case 2 -> { // replace one byte
                out.write(doc, 0, doc.length);
                byte[] b = out.toByteArray();
                b[at] = any;
                return b;
            }
            case 3 -> out.write(doc, 0, at); // truncate
            case 4 -> { // duplicate a stretch
                int len = Math.min(doc.length - at, 1 + random.nextInt(40));
                out.write(doc, 0, at + len);
                out.write(doc, at, doc.length - at);
            }
            case 5 -> { // drop a stretch
                int len = Math.min(doc.length - at, 1 + random.nextInt(40));
                out.write(doc, 0, at);
                out.write(doc, at + len, doc.length - at - len);
            }
            default -> { // trailing content after the document
                out.write(doc, 0, doc.length);
                out.writeBytes(random.nextBoolean() ? "\n{\"Records\":[]}".getBytes(StandardCharsets.UTF_8) : new byte[] {any});
            }
        }
        return out.toByteArray();
    }

    /** Records from every sample, plus irrelevant S3 data events on other buckets made from them. */
    static List<ObjectNode> recordPool() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(EVENTS.resolve("scenarios"))) {
            for (Path f : walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|jsonl)(\\.gz)?$")).toList()) {
                String text;
                try (InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(text)) {
                    while (values.hasNext()) {
                        collect(values.next(), out);
                    }
                } catch (RuntimeException | IOException e) {
                    // a sample that is broken on purpose: keep what came before
                }
            }
        }
        List<ObjectNode> s3 = new ArrayList<>();
        for (ObjectNode r : out) {
            if ("s3.amazonaws.com".equals(r.path("eventSource").asText()) && r.path("requestParameters").isObject()) {
                for (String bucket : List.of("acme-app-assets", "acme-data-lake-raw")) {
                    ObjectNode copy = r.deepCopy();
                    ((ObjectNode) copy.get("requestParameters")).put("bucketName", bucket).put("key", "raw/2026/11/part-0001.parquet");
                    s3.add(copy);
                }
            }
        }
        out.addAll(s3);
        // Records that are not API calls by their caller (network activity, Insights), and S3 events naming their
        // object only in resources: the fast path must hand them to the Jackson path, which skips or reads them.
        List<ObjectNode> more = new ArrayList<>();
        for (ObjectNode r : out) {
            String source = r.path("eventSource").asText();
            if (source.equals("s3.amazonaws.com") || source.equals("dynamodb.amazonaws.com")) {
                ObjectNode vpce = r.deepCopy();
                vpce.put("eventType", "AwsVpceEvent");
                vpce.put("eventCategory", "NetworkActivity");
                more.add(vpce);
                ObjectNode lower = r.deepCopy();
                lower.put("eventCategory", "networkactivity");
                more.add(lower);
                if (r.path("requestParameters").isObject()) {
                    ObjectNode keyless = r.deepCopy();
                    ((ObjectNode) keyless.get("requestParameters")).remove("key");
                    more.add(keyless);
                }
            }
        }
        out.addAll(more);
        ObjectNode insight = (ObjectNode) JSON.readTree("{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-04T10:00:00Z\",\"awsRegion\":\"eu-west-1\","
                + "\"eventID\":\"e-insight\",\"eventType\":\"AwsCloudTrailInsight\",\"recipientAccountId\":\"222222222222\","
                + "\"insightDetails\":{\"state\":\"Start\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"DeleteObjects\","
                + "\"insightType\":\"ApiCallRateInsight\"},\"eventCategory\":\"Insight\"}");
        for (int i = 0; i < 5; i++) {
            out.add(insight);
        }
        ObjectNode ec2 = (ObjectNode) JSON.readTree("{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAX:i-0abc\","
                + "\"arn\":\"arn:aws:sts::222222222222:assumed-role/app/i-0abc\",\"accountId\":\"222222222222\",\"accessKeyId\":\"ASIAXYZ\","
                + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAX\",\"arn\":\"arn:aws:iam::222222222222:role/app\","
                + "\"accountId\":\"222222222222\",\"userName\":\"app\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"2026-11-20T00:00:00Z\","
                + "\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}},\"eventTime\":\"2026-11-20T10:00:00Z\",\"eventSource\":\"ec2.amazonaws.com\","
                + "\"eventName\":\"DescribeInstances\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"10.0.0.1\",\"userAgent\":\"aws-sdk-go-v2/1.30.3\","
                + "\"requestParameters\":{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0abc\"}]},\"filterSet\":{},\"maxResults\":1000,\"ratio\":1.5e-3},"
                + "\"responseElements\":null,\"requestID\":\"r\",\"eventID\":\"e-ec2\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
                + "\"recipientAccountId\":\"222222222222\",\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\"}}");
        for (int i = 0; i < 10; i++) {
            out.add(ec2);
        }
        ObjectNode ec2ViaEndpoint = ec2.deepCopy().put("eventType", "AwsVpceEvent").put("eventCategory", "NetworkActivity");
        for (int i = 0; i < 5; i++) {
            out.add(ec2ViaEndpoint);
        }
        return out;
    }

    static void collect(JsonNode value, List<ObjectNode> out) {
        if (value.isArray()) {
            value.forEach(v -> collect(v, out));
        } else if (value.isObject()) {
            if (value.has("Records")) {
                collect(value.get("Records"), out);
            } else if (value.has("detail")) {
                collect(value.get("detail"), out);
            } else if (value.has("eventSource")) {
                out.add((ObjectNode) value);
            }
        }
    }
}
