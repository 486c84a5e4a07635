package io.statetrail.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The domain core's shape, held by its compiled classes (docs/architecture.md, "Modules, packages and ports"): no AWS,
 * Lambda or Micronaut; packages in layers, each importing only packages below it; and no package split across modules.
 */
class CoreArchitectureTest {

    /**
     * The core's packages, bottom first: each may import only those before it. {@code event} is the model every domain
     * package reasons about; {@code cloudtrail} reads CloudTrail text into it (and needs {@code terraform} to know a
     * state object); {@code replay} puts it all together for the command line.
     */
    static final List<String> LAYERS = List.of("finding", "subject", "policy", "iam", "event", "lineage", "trail", "terraform",
            "cloudtrail", "detect", "replay", "review");

    static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.statetrail.core");
    }

    @Test
    void theCoreUsesNoAwsLambdaOrMicronautCode() {
        noClasses().that().resideInAPackage("io.statetrail.core..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..", "io.micronaut..")
                .check(core);
    }

    @Test
    void everyPackageIsALayerAndImportsOnlyTheLayersBelowIt() {
        TreeSet<String> packages = new TreeSet<>();
        core.forEach(c -> packages.add(c.getPackageName().replace("io.statetrail.core.", "").split("\\.")[0]));
        packages.remove("io.statetrail.core");
        assertEquals(new TreeSet<>(LAYERS), packages, "every core package has its place in LAYERS");
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = new ArrayList<>();
            for (String p : LAYERS.subList(i + 1, LAYERS.size())) {
                above.add("io.statetrail.core." + p + "..");
            }
            if (!above.isEmpty()) {
                noClasses().that().resideInAPackage("io.statetrail.core." + LAYERS.get(i) + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(above.toArray(String[]::new))
                        .because(LAYERS.get(i) + " is below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
                        .check(core);
            }
        }
        slices().matching("io.statetrail.core.(*)..").should().beFreeOfCycles().check(core);
    }

    /**
     * A class a reader can hold in their head: none over 600 lines, but the hand-tuned log-file scanner (its
     * equivalence with the Jackson path is tested byte for byte).
     */
    @Test
    void noClassIsOverSixHundredLinesButTheScanner() throws IOException {
        Path functions = Path.of("..").toAbsolutePath().normalize();
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(functions)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList()) {
                long lines = Files.lines(f).count();
                if (lines > 600 && !f.getFileName().toString().equals("LogFileScanner.java")) {
                    tooLong.add(functions.relativize(f) + " (" + lines + " lines)");
                }
            }
        }
        assertEquals(List.of(), tooLong);
    }

    /** A package lives in one module: a class slipped into another module's package would reach its package-private parts. */
    @Test
    void noPackageIsSplitAcrossModules() throws IOException {
        Path functions = Path.of("..").toAbsolutePath().normalize();
        Map<String, TreeSet<String>> modulesOf = new TreeMap<>();
        try (Stream<Path> modules = Files.list(functions)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                Path src = module.resolve("src/main/java");
                try (Stream<Path> files = Files.walk(src)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .forEach(f -> modulesOf.computeIfAbsent(src.relativize(f.getParent()).toString().replace('/', '.'),
                                    k -> new TreeSet<>()).add(module.getFileName().toString()));
                }
            }
        }
        assertTrue(modulesOf.size() > 20, "packages found: " + modulesOf.keySet());
        modulesOf.forEach((pkg, modules) -> assertEquals(1, modules.size(), pkg + " is in " + modules));
    }
}
