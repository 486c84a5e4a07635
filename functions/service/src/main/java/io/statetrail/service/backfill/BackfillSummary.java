package io.statetrail.service.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * The totals of a backfill execution, from what its Distributed Map wrote (its {@code ResultWriter}): a
 * {@code manifest.json} naming {@code SUCCEEDED_n.json} files (each child execution's output, a worker's batch result,
 * as a JSON string in {@code Output}) and {@code FAILED_n.json} files (batches that failed after every retry, with
 * their input). Every file of a failed batch is listed, so nothing is skipped without a name.
 */
public final class BackfillSummary {

    static final List<String> COUNTS = List.of("files", "outsideRange", "records", "relevant", "sent", "messages", "malformed", "skipped");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackfillSummary() {
    }

    /**
     * @param read     the text of an object of the results bucket, by key
     * @param manifest the key of the Map Run's {@code manifest.json}
     * @return the execution's totals: the counts, {@code failedFiles} ({@code key}, {@code reason}) and {@code failedBatches}
     */
    public static ObjectNode of(Function<String, String> read, String manifest) {
        ObjectNode total = JSON.createObjectNode();
        COUNTS.forEach(c -> total.put(c, 0L));
        ArrayNode failedFiles = total.putArray("failedFiles");
        long failedBatches = 0;
        JsonNode files = tree(read.apply(manifest)).path("ResultFiles");
        for (JsonNode f : files.path("SUCCEEDED")) {
            for (JsonNode child : tree(read.apply(f.path("Key").asText()))) {
                JsonNode out = tree(child.path("Output").asText("{}"));
                COUNTS.forEach(c -> total.put(c, total.path(c).asLong() + out.path(c).asLong()));
                out.path("failedFiles").forEach(failedFiles::add);
            }
        }
        for (JsonNode f : files.path("FAILED")) {
            for (JsonNode child : tree(read.apply(f.path("Key").asText()))) {
                failedBatches++;
                String why = (child.path("Error").asText("") + " " + child.path("Cause").asText("")).trim();
                for (JsonNode item : tree(child.path("Input").asText("{}")).path("Items")) {
                    failedFiles.addObject().put("key", item.path("Key").asText()).put("reason", "batch failed: " + why);
                }
            }
        }
        total.put("failedBatches", failedBatches);
        return total;
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
