package io.statetrail.infracheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locations in the repository, found from the module's working directory (Surefire runs in functions/infra-check). */
final class Repo {
    private Repo() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("infra")) && Files.isDirectory(p.resolve("functions"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with infra/ and functions/) above " + dir);
    }

    static Path infra() {
        return root().resolve("infra");
    }

    static Path module(String name) {
        return infra().resolve("modules").resolve(name);
    }

    static Path events() {
        return root().resolve("events");
    }

    static Path functions() {
        return root().resolve("functions");
    }

    /** Every .tf file under infra/, skipping Terraform's working directories. */
    static List<Path> terraformFiles() {
        try (Stream<Path> s = Files.walk(infra())) {
            return s.filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Directories under infra/ that hold .tf files (modules and examples). */
    static List<Path> terraformDirectories() {
        return terraformFiles().stream().map(Path::getParent).distinct().sorted().toList();
    }
}
