package io.statetrail.infracheck;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When a terraform binary and a local AWS provider mirror are on the machine (TF_PLUGIN_DIR, default /opt/tf-plugins),
 * also run terraform itself: fmt, validate, and the modules' `terraform test` files (mocked provider, no AWS account).
 * Skipped where they are missing: the hcl4j-based tests above are the ones that always run.
 */
class TerraformCliTest {
    static String terraform;
    static Path pluginDir;

    @BeforeAll
    static void findTerraform() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "terraform");
            if (Files.isExecutable(p)) {
                terraform = p.toString();
                break;
            }
        }
        pluginDir = Path.of(System.getenv().getOrDefault("TF_PLUGIN_DIR", "/opt/tf-plugins"));
    }

    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(terraform);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        pb.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("terraform " + String.join(" ", args) + " timed out");
        }
        assertEquals(0, p.exitValue(), "terraform " + String.join(" ", args) + " in " + dir + ":\n" + out);
        return out;
    }

    @Test
    void terraformFmtFindsNothingToChange() throws Exception {
        assumeTrue(terraform != null, "no terraform binary on PATH");
        run(Repo.infra(), "fmt", "-check", "-recursive", "-diff");
    }

    @Test
    void modulesValidateAndPassTheirTerraformTests() throws Exception {
        assumeTrue(terraform != null, "no terraform binary on PATH");
        assumeTrue(Files.isDirectory(pluginDir.resolve("registry.terraform.io/hashicorp/aws")), "no local AWS provider mirror in " + pluginDir);
        for (String module : List.of("statetrail", "statetrail-member")) {
            // Work on a copy, so that .terraform/ and the lock file never land in the repository.
            Path copy = Files.createTempDirectory("tf-" + module);
            copyTree(Repo.module(module), copy);
            run(copy, "init", "-backend=false", "-input=false", "-plugin-dir=" + pluginDir);
            run(copy, "validate", "-no-color");
            if (Files.isDirectory(copy.resolve("tests"))) {
                String out = run(copy, "test", "-no-color");
                assertTrue(out.contains("Success!"), out);
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(x -> !x.toString().contains("/.terraform")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
