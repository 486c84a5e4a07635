package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Cold start, issue 6: time from JVM start to the first SQS batch processed by the ingest handler against DynamoDB
 * Local (running in this JVM, reached over HTTP like the real endpoint), and the same for {@link BareHandler}, in the
 * same run, each in a fresh JVM on the shaded jar. Run after {@code package}:
 * {@code mvn -B -o -pl functions/lambda test -Dtest=ColdStartTest -Dcoldstart=true}.
 */
@EnabledIfSystemProperty(named = "coldstart", matches = "true")
class ColdStartTest {

    static final int RUNS = Integer.getInteger("coldstart.runs", 7);
    static final List<String> PHASES = new ArrayList<>();

    @Test
    void measure() throws Exception {
        Path jar = Path.of("target/statetrail-lambda.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "package the jar first");
        String table = TestStack.table();
        Path event = Files.createTempFile("sqs", ".json");
        Files.writeString(event, TestStack.sqsEvent(List.<String[]>of(
                new String[] {"m1", TestStack.read("scenarios/bootstrap-dynamodb-lock/01-sts-assume-role-with-web-identity.json")},
                new String[] {"m2", TestStack.read("scenarios/bootstrap-dynamodb-lock/02-dynamodb-putitem-lock.json")},
                new String[] {"m3", TestStack.read("scenarios/bootstrap-dynamodb-lock/06-s3-putobject-state.json")})));
        String classpath = jar + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        List<Long> ingest = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            bare.add(run(classpath, "bare", event, table));
            ingest.add(run(classpath, "ingest", event, table));
        }
        String report = "bare   ms: " + bare + " median " + median(bare) + "\ningest ms: " + ingest + " median " + median(ingest)
                + "\nratio: " + String.format("%.2f", (double) median(ingest) / median(bare)) + "\n"
                + String.join("\n", PHASES) + "\n";
        Files.writeString(Path.of("target/coldstart.txt"), report);
        System.out.print(report);
    }

    private long run(String classpath, String which, Path event, String table) throws Exception {
        // A fresh table per ingest run, so that no run finds the events already stored.
        String fresh = which.equals("ingest") ? TestStack.table() : table;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-cp", classpath, ColdStartProbe.class.getName(), which, event.toString());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("STATETRAIL_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("STATETRAIL_TABLE", fresh);
        env.put("STATETRAIL_POLICY", TestStack.EVENTS.resolve("policy.yaml").toString());
        env.put("STATETRAIL_DYNAMODB_ENDPOINT", TestStack.dynamo().endpoint().toString());
        env.put("STATETRAIL_ACCOUNT", "111111111111");
        env.put("AWS_REGION", "eu-west-1");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = Files.createTempFile("coldstart", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(which + " did not finish");
        }
        for (String line : Files.readAllLines(err)) {
            if (line.startsWith("PHASES ")) {
                PHASES.add(which + " " + line);
            }
            if (line.startsWith("COLDSTART ")) {
                String[] parts = line.split(" ", 4);
                if (which.equals("ingest") && !parts[3].contains("\"batchItemFailures\":[]")) {
                    throw new IllegalStateException("ingest failed: " + line + "\n" + Files.readString(err));
                }
                return Long.parseLong(parts[2]);
            }
        }
        throw new IllegalStateException(which + " printed no result:\n" + Files.readString(err));
    }

    static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
