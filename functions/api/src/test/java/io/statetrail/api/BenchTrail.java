package io.statetrail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * A generated trail for the query-latency benchmark: Terraform applies shaped exactly like the {@code apply-on-main}
 * sample (OIDC login, S3-native lock, state read and write, unlock: 7 records), repeated with fresh keys, event IDs,
 * subjects, state keys and times, and delivered as CloudTrail log files of five minutes each. Same seed, same trail.
 *
 * <p>Shape: {@link #REPOS} repositories with {@link #STATES_PER_REPO} states each over {@link #DAYS} days; one "hot"
 * state gets a tenth of all runs (a monorepo's shared state); one run in a hundred comes from a pull request and writes.
 */
final class BenchTrail {

    static final int REPOS = 25;
    static final int STATES_PER_REPO = 16;
    static final int DAYS = 30;
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    static final String HOT_REPO = "acme/repo-00";
    static final String HOT_STATE = "acme-tfstate-prod/bench/repo-00/shared/terraform.tfstate";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TEMPLATE_KEY = "ASIAW6NHX2PASWZA5DVD";
    private static final String TEMPLATE_SUBJECT = "repo:acme/infra:ref:refs/heads/main";
    private static final String TEMPLATE_OBJECT = "infra/network/terraform.tfstate";
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private final List<String> template = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    private final String templateLogin;
    private final String templateExpiration;

    BenchTrail(Path events) {
        Path file = events.resolve("scenarios/apply-on-main/222222222222_CloudTrail_eu-west-1_20261104T1005Z_Ou3jTJN81whDrpbC.json.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            List<JsonNode> records = new ArrayList<>();
            MAPPER.readTree(in).get("Records").forEach(records::add);
            records.sort(Comparator.comparing(r -> r.get("eventTime").asText()));
            Instant login = Instant.parse(records.get(0).get("eventTime").asText());
            templateLogin = login.toString();
            templateExpiration = EXPIRATION.format(login.plusSeconds(3600));
            for (JsonNode r : records) {
                template.add(MAPPER.writeValueAsString(r));
                offsets.add(Duration.between(login, Instant.parse(r.get("eventTime").asText())).getSeconds());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int recordsPerRun() {
        return template.size();
    }

    /** One generated run: its key, subject, state and login time. */
    record Run(String key, String repository, String subject, String stateKey, Instant login) {
    }

    List<Run> runs(int events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = (events + template.size() - 1) / template.size();
        List<Run> runs = new ArrayList<>(count);
        long span = Duration.ofDays(DAYS).getSeconds() - 3600;
        for (int i = 0; i < count; i++) {
            boolean hot = random.nextInt(10) == 0;
            int repo = hot ? 0 : random.nextInt(REPOS);
            String repository = String.format("acme/repo-%02d", repo);
            String object = hot ? "bench/repo-00/shared/terraform.tfstate"
                    : String.format("bench/repo-%02d/stack-%02d/terraform.tfstate", repo, random.nextInt(STATES_PER_REPO));
            String subject = "repo:" + repository + (random.nextInt(100) == 0 ? ":pull_request" : ":ref:refs/heads/main");
            Instant login = START.plusSeconds(random.nextLong(span));
            runs.add(new Run(String.format("ASIABENCH%011d", i), repository, subject, "acme-tfstate-prod/" + object, login));
        }
        return runs;
    }

    /** The records of one run, as CloudTrail writes them. */
    List<ObjectNode> records(Run run, SplittableRandom random) {
        String object = run.stateKey().substring("acme-tfstate-prod/".length());
        List<ObjectNode> out = new ArrayList<>(template.size());
        for (int i = 0; i < template.size(); i++) {
            Instant t = run.login().plusSeconds(offsets.get(i));
            String text = template.get(i)
                    .replace(TEMPLATE_KEY, run.key())
                    .replace(TEMPLATE_SUBJECT, run.subject())
                    .replace(TEMPLATE_OBJECT, object)
                    .replace(templateLogin, run.login().toString())
                    .replace(templateExpiration, EXPIRATION.format(run.login().plusSeconds(3600)));
            try {
                ObjectNode r = (ObjectNode) MAPPER.readTree(text);
                r.put("eventTime", t.toString());
                r.put("eventID", new UUID(random.nextLong(), random.nextLong()).toString());
                r.put("requestID", Long.toHexString(random.nextLong()).toUpperCase(Locale.ROOT));
                out.add(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Records wrapped as one CloudTrail log file. */
    static String logFile(List<ObjectNode> records) {
        ObjectNode file = MAPPER.createObjectNode();
        ArrayNode array = file.putArray("Records");
        records.forEach(array::add);
        return file.toString();
    }
}
