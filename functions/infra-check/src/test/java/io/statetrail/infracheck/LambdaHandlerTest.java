package io.statetrail.infracheck;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Lambda handler named in the Terraform exists in functions/: the class source
 * functions/(module)/src/main/java/io/statetrail/lambda/(Class).java, with a method of that name.
 */
class LambdaHandlerTest {
    static final Pattern HANDLER = Pattern.compile("(io\\.statetrail\\.[A-Za-z0-9_.]+)::([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * Library base classes that declare {@code handleRequest} themselves, so a handler extending one (and importing it)
     * has the method without writing it. Like the IAM allow-list: each entry needs a reason.
     */
    static final Map<String, String> HANDLER_BASES = Map.of(
            "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction",
            "Micronaut AWS: implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>.handleRequest (Function URL payload 2.0)",
            "io.micronaut.function.aws.MicronautRequestHandler",
            "Micronaut AWS: implements RequestHandler<I, O>.handleRequest and delegates to execute(I)",
            "io.micronaut.function.aws.MicronautRequestStreamHandler",
            "Micronaut AWS: implements RequestStreamHandler.handleRequest");

    /** Handlers named anywhere in infra/ (attributes, locals, docs in .tf comments). */
    static Set<String> handlersInTerraform() {
        Set<String> out = new TreeSet<>();
        for (Path f : Repo.terraformFiles()) {
            try {
                Matcher m = HANDLER.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(m.group());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Test
    void terraformNamesTheSixContractedHandlers() {
        Set<String> fromFunctions = new TreeSet<>();
        for (TerraformModule.Instance f : TestInputs.module("statetrail", "full").instances("aws_lambda_function")) {
            fromFunctions.add(f.text("handler"));
        }
        Set<String> expected = Set.of(
                "io.statetrail.lambda.IngestHandler::handleRequest",
                "io.statetrail.lambda.LockStreamHandler::handleRequest",
                "io.statetrail.lambda.SweeperHandler::handleRequest",
                "io.statetrail.lambda.QueryApiHandler::handleRequest",
                "io.statetrail.lambda.BackfillHandler::handleRequest",
                "io.statetrail.lambda.BackfillSummaryHandler::handleRequest");
        assertEquals(expected, fromFunctions);
        assertEquals(expected, handlersInTerraform());
    }

    @TestFactory
    Stream<DynamicTest> everyHandlerNamedInTerraformExistsInFunctions() {
        Set<String> handlers = handlersInTerraform();
        assertFalse(handlers.isEmpty());
        return handlers.stream().map(h -> DynamicTest.dynamicTest(h, () -> {
            Matcher m = HANDLER.matcher(h);
            assertTrue(m.matches());
            String className = m.group(1);
            String method = m.group(2);
            String relative = "src/main/java/" + className.replace('.', '/') + ".java";
            List<Path> sources = sources(relative);
            assertFalse(sources.isEmpty(), "no functions/*/" + relative + " for handler " + h);
            String simpleName = className.substring(className.lastIndexOf('.') + 1);
            boolean found = false;
            for (Path source : sources) {
                String text = Files.readString(source);
                String pkg = className.substring(0, className.lastIndexOf('.'));
                assertTrue(text.contains("package " + pkg + ";"), source + " is not in package " + pkg);
                assertTrue(Pattern.compile("\\bclass\\s+" + simpleName + "\\b").matcher(text).find(), source + " does not declare class " + simpleName);
                found |= Pattern.compile("\\b" + Pattern.quote(method) + "\\s*\\(").matcher(text).find()
                        || ("handleRequest".equals(method) && extendsKnownHandlerBase(text, simpleName));
            }
            assertTrue(found, "method " + method + " not found in " + sources + " (declared, or inherited from one of " + HANDLER_BASES.keySet() + ")");
        }));
    }

    /** The class extends (and imports) a library base class that declares handleRequest. */
    static boolean extendsKnownHandlerBase(String source, String simpleName) {
        Matcher m = Pattern.compile("\\bclass\\s+" + simpleName + "\\s+extends\\s+([A-Za-z0-9_.]+)").matcher(source);
        if (!m.find()) {
            return false;
        }
        String base = m.group(1);
        for (String fqn : HANDLER_BASES.keySet()) {
            String simple = fqn.substring(fqn.lastIndexOf('.') + 1);
            if (base.equals(fqn) || (base.equals(simple) && source.contains("import " + fqn + ";"))) {
                return true;
            }
        }
        return false;
    }

    /** functions/(any module, any depth)/src/main/java/... excluding build output. */
    static List<Path> sources(String relative) throws IOException {
        try (Stream<Path> s = Files.walk(Repo.functions())) {
            return s.filter(p -> p.toString().replace('\\', '/').endsWith("/" + relative))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
    }
}
