package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Cold start, issue 6: time from JVM start to the first SQS batch processed by the ingest handler against DynamoDB
 * Local (running in this JVM, reached over HTTP like the real endpoint), and the same for {@link BareHandler}, in the
 * same run, each in a fresh JVM on the shaded jar; and the first batch alone after the function's SnapStart priming
 * ran in the same JVM. Run after {@code package}:
 * {@code mvn -B -o -pl functions/lambda test -Dtest=ColdStartTest -Dcoldstart=true}; with
 * {@code -Dcoldstart.before=OLD.jar} an older build of the jar is measured alternately with the current one.
 */
@EnabledIfSystemProperty(named = "coldstart", matches = "true")
class ColdStartTest {

    static final int RUNS = Integer.getInteger("coldstart.runs", 7);
    /** Each jar also with an application class-data archive (AppCDS) of its ingest path, made by one training run first. */
    static final boolean CDS = Boolean.getBoolean("coldstart.cds");
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
        // The probe in a jar of its own: class-data sharing refuses a directory on the class path.
        String classpath = jar + File.pathSeparator + probeJar();
        List<String> flags = new ArrayList<>(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        String extra = System.getProperty("coldstart.flags", "").trim(); // e.g. -Xlog:class+load:file=target/classes.log
        if (!extra.isEmpty()) {
            flags.addAll(List.of(extra.split("\\s+")));
        }
        // With -Dcoldstart.before=JAR (an older build of statetrail-lambda.jar), both jars are measured alternately in the
        // same run, so that the machine's load weighs on both alike.
        Map<String, String> jars = new LinkedHashMap<>();
        String before = System.getProperty("coldstart.before", "").trim();
        if (!before.isEmpty()) {
            assertTrue(Files.exists(Path.of(before)), "no " + before);
            jars.put("before", Path.of(before).toAbsolutePath() + File.pathSeparator + probeJar());
        }
        jars.put(before.isEmpty() ? "current" : "after", classpath);
        Map<String, List<String>> variants = new LinkedHashMap<>();
        for (String name : jars.keySet()) {
            variants.put(name, flags);
        }
        if (CDS) {
            // Each jar also with an application class-data archive of its own ingest path, made by one training run.
            for (Map.Entry<String, String> measured : jars.entrySet()) {
                Path archive = Path.of("target/coldstart-" + measured.getKey() + ".jsa").toAbsolutePath();
                Files.deleteIfExists(archive);
                List<String> training = new ArrayList<>(flags);
                training.add("-XX:ArchiveClassesAtExit=" + archive);
                run(measured.getValue(), training, "ingest", event, table);
                assertTrue(Files.exists(archive), "the training run wrote no archive");
                List<String> withArchive = new ArrayList<>(flags);
                withArchive.add("-XX:SharedArchiveFile=" + archive);
                withArchive.add("-Xshare:on"); // fail rather than silently run without the archive
                variants.put(measured.getKey() + " AppCDS", withArchive);
            }
        }
        Map<String, Map<String, List<Long>>> times = new LinkedHashMap<>();
        for (int i = 0; i < RUNS; i++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                String cp = jars.get(variant.getKey().replace(" AppCDS", ""));
                Map<String, List<Long>> t = times.computeIfAbsent(variant.getKey(), k -> new LinkedHashMap<>());
                for (String which : List.of("bare", "ingest", "ingest-primed")) {
                    t.computeIfAbsent(which, k -> new ArrayList<>()).add(run(cp, variant.getValue(), which, event, table));
                }
            }
        }
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, Map<String, List<Long>>> variant : times.entrySet()) {
            Map<String, List<Long>> t = variant.getValue();
            report.append(variant.getKey()).append('\n')
                    .append("  bare   ms: ").append(t.get("bare")).append(" median ").append(median(t.get("bare"))).append('\n')
                    .append("  ingest ms: ").append(t.get("ingest")).append(" median ").append(median(t.get("ingest"))).append('\n')
                    .append("  ratio: ").append(String.format("%.2f", (double) median(t.get("ingest")) / median(t.get("bare")))).append('\n')
                    .append("  first batch after priming ms: ").append(t.get("ingest-primed")).append(" median ")
                    .append(median(t.get("ingest-primed"))).append('\n');
        }
        for (String suffix : List.of("", " AppCDS")) {
            Map<String, List<Long>> b = times.get("before" + suffix);
            Map<String, List<Long>> a = times.get("after" + suffix);
            if (a != null && b != null) {
                for (String which : List.of("bare", "ingest", "ingest-primed")) {
                    report.append(String.format("after/before%s %s: %.2f%n", suffix, which, (double) median(a.get(which)) / median(b.get(which))));
                }
            }
        }
        report.append(String.join("\n", PHASES)).append('\n');
        Files.writeString(Path.of("target/coldstart.txt"), report);
        System.out.print(report);
    }

    private long run(String classpath, List<String> flags, String which, Path event, String table) throws Exception {
        // A fresh table per ingest run, so that no run finds the events already stored.
        String fresh = which.startsWith("ingest") ? TestStack.table() : table;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName(), which, event.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
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
                PHASES.add(which + " " + classpath.substring(0, classpath.indexOf(File.pathSeparator)) + " " + line);
            }
            if (line.startsWith("COLDSTART ")) {
                String[] parts = line.split(" ", 4);
                if (which.startsWith("ingest") && !parts[3].contains("\"batchItemFailures\":[]")) {
                    throw new IllegalStateException("ingest failed: " + line + "\n" + Files.readString(err));
                }
                return Long.parseLong(parts[2]);
            }
        }
        throw new IllegalStateException(which + " printed no result:\n" + Files.readString(err));
    }

    private static Path probeJar() throws java.io.IOException {
        Path out = Path.of("target/coldstart-probe.jar").toAbsolutePath();
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(out))) {
            for (Class<?> c : List.of(ColdStartProbe.class, BareHandler.class)) {
                String name = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new java.util.jar.JarEntry(name));
                jar.write(Files.readAllBytes(Path.of("target/test-classes", name)));
                jar.closeEntry();
            }
        }
        return out;
    }

    static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
