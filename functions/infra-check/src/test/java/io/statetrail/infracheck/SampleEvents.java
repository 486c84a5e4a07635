package io.statetrail.infracheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The sample events under events/, as EventBridge would deliver them: every CloudTrail record, whatever file shape
 * it came in (EventBridge envelope, CloudTrail log file, bare record, array, JSON Lines, LookupEvents response,
 * gzipped or not), wrapped in an "AWS API Call via CloudTrail" envelope. Broken input (events/malformed) is skipped:
 * it is the functions' problem, not the rules'.
 */
final class SampleEvents {
    static final ObjectMapper JSON = new ObjectMapper();

    record Sample(String origin, ObjectNode envelope) {
        JsonNode detail() {
            return envelope.path("detail");
        }

        String source() {
            return envelope.path("source").asText();
        }

        String eventName() {
            return detail().path("eventName").asText();
        }

        String describe() {
            return origin + " (" + detail().path("eventSource").asText() + " " + eventName() + ")";
        }
    }

    private SampleEvents() {
    }

    static List<Sample> load(Path dir) {
        List<Sample> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(SampleEvents::isEventFile).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (Path f : files) {
            String origin = dir.relativize(f).toString();
            String text;
            try {
                text = read(f);
            } catch (IOException e) {
                continue; // truncated gzip and the like
            }
            if (f.toString().endsWith(".jsonl") || f.toString().endsWith(".jsonl.gz")) {
                String[] lines = text.split("\n");
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        collect(origin + ":" + (i + 1), tryParse(lines[i]), out);
                    }
                }
            } else {
                JsonNode node = tryParse(text);
                if (node == null) {
                    // Some tools write JSON Lines into .json files.
                    String[] lines = text.split("\n");
                    for (int i = 0; i < lines.length; i++) {
                        if (!lines[i].isBlank()) {
                            collect(origin + ":" + (i + 1), tryParse(lines[i]), out);
                        }
                    }
                } else {
                    collect(origin, node, out);
                }
            }
        }
        return out;
    }

    private static boolean isEventFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".json.gz") || n.endsWith(".jsonl.gz");
    }

    private static String read(Path f) throws IOException {
        if (f.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(f);
    }

    private static JsonNode tryParse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** Finds CloudTrail records in any of the known shapes. */
    static void collect(String origin, JsonNode node, List<Sample> out) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(origin + "[" + i + "]", node.get(i), out);
            }
        } else if (node.isObject()) {
            if (node.has("detail-type") && node.has("detail")) {
                out.add(new Sample(origin, (ObjectNode) node.deepCopy()));
            } else if (node.has("Records") && node.get("Records").isArray()) {
                ArrayNode records = (ArrayNode) node.get("Records");
                for (int i = 0; i < records.size(); i++) {
                    JsonNode r = records.get(i);
                    if (r.has("body") && "aws:sqs".equals(r.path("eventSource").asText())) {
                        collect(origin + "#" + i, tryParse(r.get("body").asText()), out); // SQS batch
                    } else {
                        collect(origin + "#" + i, r, out);
                    }
                }
            } else if (node.has("Events") && node.get("Events").isArray()) {
                for (JsonNode e : node.get("Events")) {
                    if (e.path("CloudTrailEvent").isTextual()) {
                        collect(origin + "@" + e.path("EventId").asText(), tryParse(e.get("CloudTrailEvent").asText()), out);
                    }
                }
            } else if (isRecord(node)) {
                out.add(new Sample(origin, envelope(node)));
            }
        }
    }

    static boolean isRecord(JsonNode node) {
        return node.path("eventSource").isTextual() && node.path("eventSource").asText().endsWith(".amazonaws.com")
                && node.path("eventName").isTextual();
    }

    /** The envelope EventBridge puts around a CloudTrail record. */
    static ObjectNode envelope(JsonNode record) {
        String eventSource = record.path("eventSource").asText();
        String type = record.path("eventType").asText("AwsApiCall");
        String detailType = switch (type) {
            case "AwsConsoleSignIn" -> "AWS Console Sign In via CloudTrail";
            case "AwsServiceEvent" -> "AWS Service Event via CloudTrail";
            default -> "AWS API Call via CloudTrail";
        };
        ObjectNode env = JSON.createObjectNode();
        env.put("version", "0");
        env.put("id", UUID.nameUUIDFromBytes(record.toString().getBytes(StandardCharsets.UTF_8)).toString());
        env.put("detail-type", detailType);
        env.put("source", "aws." + eventSource.substring(0, eventSource.indexOf('.')));
        env.put("account", record.path("recipientAccountId").asText(""));
        env.put("time", record.path("eventTime").asText(""));
        env.put("region", record.path("awsRegion").asText(""));
        env.putArray("resources");
        env.set("detail", record.deepCopy());
        return env;
    }
}
