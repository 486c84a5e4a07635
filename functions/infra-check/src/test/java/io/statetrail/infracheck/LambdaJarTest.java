package io.statetrail.infracheck;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jars the module deploys by default, as {@code functions/lambda} packages them: each function's handler class is in
 * the jar that function gets, and the jar of ingest, lock-stream and sweeper leaves out the query API and its HTTP stack
 * (Micronaut would initialise it at every cold start). Skipped until {@code functions/lambda} is packaged (the reactor
 * packages it before this module: see the pom).
 */
class LambdaJarTest {
    final TerraformModule m = TestInputs.module("statetrail", "full");

    /** Packages only the query API needs; none may be in the event functions' jar. */
    static final List<String> QUERY_ONLY = List.of("io/statetrail/api/", "io/statetrail/lambda/QueryApiHandler",
            "io/micronaut/http/", "io/micronaut/function/aws/proxy/", "io/micronaut/servlet/", "reactor/core/");

    /** A jar local (lambda_jar_path, query_jar_path) → the default file in this repository. */
    Path jar(String local) {
        String path = String.valueOf(m.locals.get(local));
        return Repo.root().resolve(path.substring(path.indexOf("functions/")));
    }

    ZipFile open(String local) throws IOException {
        Path jar = jar(local);
        assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn -pl functions/lambda -am package)");
        return new ZipFile(jar.toFile());
    }

    @Test
    void everyFunctionsJarHoldsItsHandler() throws IOException {
        for (TerraformModule.Instance f : m.instances("aws_lambda_function")) {
            String handler = f.text("handler");
            String entry = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
            try (ZipFile jar = open(LambdaDeploymentTest.JARS.get(f.key()))) {
                assertNotNull(jar.getEntry(entry), f.address() + ": " + entry + " is not in " + jar.getName());
            }
        }
    }

    @Test
    void theEventFunctionsJarLeavesOutTheQueryApi() throws IOException {
        try (ZipFile jar = open("lambda_jar_path")) {
            List<String> found = jar.stream().map(e -> e.getName()).filter(n -> QUERY_ONLY.stream().anyMatch(n::startsWith)).limit(5).toList();
            assertTrue(found.isEmpty(), jar.getName() + " carries the query API's stack: " + found);
        }
        try (ZipFile jar = open("query_jar_path")) {
            for (String prefix : QUERY_ONLY) {
                assertFalse(jar.stream().noneMatch(e -> e.getName().startsWith(prefix)), jar.getName() + " lacks " + prefix);
            }
        }
    }
}
