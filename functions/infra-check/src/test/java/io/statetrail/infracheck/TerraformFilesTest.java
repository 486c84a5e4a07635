package io.statetrail.infracheck;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every .tf file parses; modules are documented, versioned and free of hard-coded accounts. */
class TerraformFilesTest {
    static final List<String> MODULES = List.of("statetrail", "statetrail-member");
    /** Modules a user may read the inputs and outputs of: the two above and the ones they share. */
    static final List<String> DOCUMENTED = List.of("statetrail", "statetrail-member", "statetrail-events", "statetrail-store-access");

    @Test
    void infraHasTheModulesAndExamples() {
        for (String dir : List.of("modules/statetrail", "modules/statetrail-member", "modules/statetrail-events", "examples/single-account",
                "examples/organization")) {
            Path p = Repo.infra().resolve(dir);
            assertTrue(Files.isDirectory(p), p.toString());
            assertTrue(Files.isRegularFile(p.resolve("README.md")), p + "/README.md");
        }
        for (String f : List.of("versions.tf", "variables.tf", "main.tf", "outputs.tf")) {
            assertTrue(Files.isRegularFile(Repo.module("statetrail").resolve(f)), f);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTerraformFileParses() {
        List<Path> files = Repo.terraformFiles();
        assertTrue(files.size() >= 20, "expected the Terraform files of infra/, found " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(Repo.infra().relativize(f).toString(), () -> {
            Map<String, Object> parsed = TerraformModule.parseFile(f);
            assertFalse(parsed.isEmpty(), f + " declares nothing");
            String text = Files.readString(f);
            assertFalse(text.contains("\t"), f + " has tabs (terraform fmt uses two spaces)");
            assertTrue(text.endsWith("\n") && !text.endsWith("\n\n"), f + " must end with exactly one newline");
            for (String line : text.split("\n")) {
                assertFalse(line.endsWith(" "), f + " has trailing whitespace: " + line);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyModuleAndExampleParsesAsAWhole() {
        return Repo.terraformDirectories().stream().map(dir -> DynamicTest.dynamicTest(Repo.infra().relativize(dir).toString(), () -> {
            TerraformModule m = TerraformModule.load(dir, Map.of());
            assertFalse(m.raw.isEmpty());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyVariableAndOutputIsDescribedAndListedInTheReadme() {
        return DOCUMENTED.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = Repo.module(name);
            TerraformModule m = TerraformModule.load(dir, Map.of());
            String readme = Files.readString(dir.resolve("README.md"));
            Map<String, Object> variables = TerraformModule.asMap(m.raw.get("variable"));
            Map<String, Object> outputs = TerraformModule.asMap(m.raw.get("output"));
            assertFalse(variables.isEmpty());
            assertFalse(outputs.isEmpty());
            variables.forEach((v, body) -> {
                assertTrue(String.valueOf(TerraformModule.asMap(body).get("description")).length() > 10, name + ": variable " + v + " needs a description");
                assertTrue(readme.contains("| `" + v + "` |"), name + "/README.md does not list input " + v);
            });
            outputs.forEach((o, body) -> {
                assertTrue(String.valueOf(TerraformModule.asMap(body).get("description")).length() > 10, name + ": output " + o + " needs a description");
                assertTrue(readme.contains("| `" + o + "` |"), name + "/README.md does not list output " + o);
            });
            // And nothing in the README tables that the module no longer has.
            Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(readme);
            while (row.find()) {
                assertTrue(variables.containsKey(row.group(1)) || outputs.containsKey(row.group(1)), name + "/README.md lists unknown " + row.group(1));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> modulesRequireAwsProvider570() {
        return MODULES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Map<String, Object> versions = TerraformModule.parseFile(Repo.module(name).resolve("versions.tf"));
            Map<String, Object> aws = TerraformModule.asMap(TerraformModule.asMap(TerraformModule.asMap(versions.get("terraform"))
                    .get("required_providers")).get("aws"));
            assertEquals("hashicorp/aws", aws.get("source"));
            assertEquals(">= 5.70", aws.get("version"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> noHardCodedAccountIds() {
        Pattern account = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
        return Repo.terraformFiles().stream().map(f -> DynamicTest.dynamicTest(Repo.infra().relativize(f).toString(), () -> {
            String text = Files.readString(f);
            Matcher m = account.matcher(text);
            assertFalse(m.find(), f + " hard-codes an account ID: " + (m.hitEnd() ? "" : m.group()));
        }));
    }
}
