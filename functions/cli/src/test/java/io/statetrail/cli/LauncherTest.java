package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, first hour: the first build no longer looks hung behind one line. The launcher ({@code ./statetrail}) runs
 * against a stand-in {@code mvn} that prints what Maven prints in batch mode; it shows each module and the downloads
 * on stderr, falls back from offline to online, and on a failure shows Maven's errors and exits 2.
 */
class LauncherTest {

    static final Path LAUNCHER = Path.of("../../statetrail").toAbsolutePath().normalize();

    static final String MAVEN_OUTPUT = String.join("\n",
            "Downloading from central: https://repo.maven.apache.org/maven2/io/micronaut/platform/micronaut-parent/4.10.12/micronaut-parent-4.10.12.pom",
            "Downloaded from central: https://repo.maven.apache.org/maven2/io/micronaut/platform/micronaut-parent/4.10.12/micronaut-parent-4.10.12.pom (21 kB at 180 kB/s)",
            "[INFO] Reactor Build Order:",
            "[INFO] ------------------< io.statetrail:statetrail-core >-------------------",
            "[INFO] Building statetrail core 0.1.0-SNAPSHOT                               [2/8]",
            "Downloaded from central: https://repo.maven.apache.org/maven2/com/fasterxml/jackson/core/jackson-databind/2.21.2/jackson-databind-2.21.2.jar (1.6 MB at 2.1 MB/s)",
            "[INFO] Building jar: /repo/functions/core/target/statetrail-core-0.1.0-SNAPSHOT.jar",
            "[INFO] Building statetrail cli 0.1.0-SNAPSHOT                                [8/8]",
            "[INFO] BUILD SUCCESS", "");

    @Test
    void aFirstBuildShowsItsModulesAndDownloads(@TempDir Path dir) throws Exception {
        // Offline fails (nothing in ~/.m2 yet), online succeeds and leaves a jar.
        Result r = launch(dir, "if [[ \" $* \" == *' -o '* ]]; then echo '[ERROR] Cannot access central in offline mode'; exit 1; fi\n"
                + "printf '%s' \"$MAVEN_OUTPUT\"\nmkdir -p functions/cli/target && : > functions/cli/target/statetrail.jar\n");
        assertTrue(r.err.contains("statetrail: building the CLI"), r.err);
        assertTrue(r.err.contains("lacks some dependencies: downloading them"), r.err);
        assertTrue(r.err.contains("statetrail: building statetrail core [2/8]"), r.err);
        assertTrue(r.err.contains("statetrail: building statetrail cli [8/8] (downloaded 2 files, 2 MB)"), r.err);
        assertTrue(!r.err.contains("Building jar"), r.err);
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndExits2(@TempDir Path dir) throws Exception {
        Result r = launch(dir, "echo '[INFO] Building statetrail core 0.1.0-SNAPSHOT'\necho '[ERROR] COMPILATION ERROR: Main.java:[3,1] class expected'\nexit 1\n");
        assertEquals(2, r.exit, r.err);
        assertTrue(r.err.contains("[ERROR] COMPILATION ERROR: Main.java:[3,1] class expected"), r.err);
        assertTrue(r.err.contains("statetrail: build failed (the whole log: "), r.err);
    }

    record Result(int exit, String err) {
    }

    /** The launcher copied into {@code dir} (a repository with no jar yet), with {@code mvn} on PATH doing {@code script}. */
    private static Result launch(Path dir, String script) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.copy(LAUNCHER, repo.resolve("statetrail"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("functions/cli"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\n" + script);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("statetrail").toString(), "--version").directory(repo.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("MAVEN_OUTPUT", MAVEN_OUTPUT);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), err);
    }
}
