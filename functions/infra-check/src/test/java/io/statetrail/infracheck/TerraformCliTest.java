package io.statetrail.infracheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Terraform itself, where it can run without the registry: a {@code terraform} binary on PATH and a local copy of the
 * AWS provider (a plugin directory as {@code terraform providers mirror} writes it: {@code TF_PLUGIN_DIR}, else
 * {@code /opt/tf-plugins}, else {@code ~/.terraform.d/plugins}). Then {@code fmt -check}, {@code init -plugin-dir}
 * and {@code validate} of every module and example, and the modules' {@code terraform test} files (mocked provider,
 * no AWS account). Each test is skipped, saying what is missing, where they are not: the hcl4j-based tests are the
 * ones that always run. See docs/testing.md.
 */
class TerraformCliTest {

    static final String PROVIDER = "registry.terraform.io/hashicorp/aws";

    static String terraform;
    static Path pluginDir;

    @BeforeAll
    static void findTerraformAndTheProvider() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "terraform");
            if (Files.isExecutable(p)) {
                terraform = p.toString();
                break;
            }
        }
        pluginDir = pluginDirectories().stream().filter(d -> Files.isDirectory(d.resolve(PROVIDER))).findFirst().orElse(null);
    }

    /** Where a local AWS provider is looked for, in order. */
    static List<Path> pluginDirectories() {
        List<Path> dirs = new ArrayList<>();
        String env = System.getenv("TF_PLUGIN_DIR");
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env));
        }
        dirs.add(Path.of("/opt/tf-plugins"));
        dirs.add(Path.of(System.getProperty("user.home"), ".terraform.d", "plugins"));
        return dirs;
    }

    static void assumeTerraform() {
        assumeTrue(terraform != null, "no terraform binary on PATH: terraform fmt, validate and test not run (docs/testing.md)");
    }

    static void assumeProvider() {
        assumeTerraform();
        assumeTrue(pluginDir != null, "no local AWS provider (" + PROVIDER + ") in " + pluginDirectories()
                + ": terraform validate and test not run; make one with `terraform providers mirror DIR` and set TF_PLUGIN_DIR (docs/testing.md)");
    }

    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(terraform);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        // No user configuration (network mirrors, credentials): the plugin directory is all it may use.
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
        assumeTerraform();
        run(Repo.infra(), "fmt", "-check", "-recursive", "-diff");
    }

    @Test
    void modulesValidateAndPassTheirTerraformTests() throws Exception {
        assumeProvider();
        Path infra = copyOfInfra();
        for (String module : List.of("statetrail", "statetrail-member", "statetrail-events", "statetrail-store-access")) {
            Path dir = infra.resolve("modules").resolve(module);
            init(dir);
            run(dir, "validate", "-no-color");
            if (Files.isDirectory(dir.resolve("tests"))) {
                String out = run(dir, "test", "-no-color");
                assertTrue(out.contains("Success!"), out);
            }
        }
    }

    @Test
    void examplesValidate() throws Exception {
        assumeProvider();
        Path infra = copyOfInfra();
        try (Stream<Path> examples = Files.list(infra.resolve("examples"))) {
            List<Path> dirs = examples.filter(Files::isDirectory).sorted().toList();
            assertTrue(dirs.size() >= 2, dirs.toString());
            for (Path dir : dirs) {
                init(dir);
                String out = run(dir, "validate", "-no-color");
                assertTrue(out.contains("The configuration is valid"), dir + ": " + out);
            }
        }
    }

    /** The offline init that infra/README.md describes: providers from the plugin directory only, no backend. */
    static void init(Path dir) throws IOException, InterruptedException {
        run(dir, "init", "-backend=false", "-input=false", "-no-color", "-plugin-dir=" + pluginDir);
    }

    /** The whole infra/ (examples call the modules by relative path), so .terraform/ and lock files never land in the repository. */
    static Path copyOfInfra() throws IOException {
        Path copy = Files.createTempDirectory("statetrail-infra").resolve("infra");
        copyTree(Repo.infra(), copy);
        return copy;
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
