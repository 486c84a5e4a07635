package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, first hour: Ctrl-C on {@code ./statetrail demo} (and {@code serve}) exits 0, as its help says, where the
 * JVM's default for SIGINT is 130. The demo runs in a JVM of its own, which gets a real SIGINT.
 */
class DemoStopTest {

    @Test
    void ctrlCStopsTheDemosServerWithExitZero(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo", "--port", "0",
                "--data-dir", dir.resolve("demo").toString(), "--events", QueryCommandTest.EVENTS.toString(),
                "--policy", QueryCommandTest.EVENTS.resolve("policy.yaml").toString(), "--format", "jsonl"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DDB_LOCAL_TELEMETRY", "0");
        Process demo = pb.start();
        // A JVM started with SIGINT ignored (a background job of a non-interactive shell) never sees Ctrl-C: fail, not hang.
        java.util.concurrent.CompletableFuture.delayedExecutor(4, TimeUnit.MINUTES).execute(demo::destroyForcibly);
        try {
            StringBuilder stderr = new StringBuilder();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(demo.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    stderr.append(line).append('\n');
                    if (line.startsWith("statetrail: serving the dashboard at ")) {
                        break;
                    }
                }
                assertTrue(demo.isAlive(), "the demo serves: " + stderr);
                Process kill = new ProcessBuilder("bash", "-c", "kill -INT " + demo.pid()).start(); // what Ctrl-C sends
                assertEquals(0, kill.waitFor());
                while ((line = err.readLine()) != null) {
                    stderr.append(line).append('\n');
                }
            }
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "stopped on Ctrl-C");
            assertEquals(0, demo.exitValue(), stderr.toString());
            assertTrue(stderr.toString().contains("statetrail: stopped"), stderr.toString());
        } finally {
            demo.destroyForcibly();
        }
    }
}
