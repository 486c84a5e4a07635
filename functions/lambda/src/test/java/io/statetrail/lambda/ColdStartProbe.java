package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.crac.Resource;

/**
 * Run in a fresh JVM by {@link ColdStartTest}: builds the handler the way the Lambda runtime does (no-argument
 * constructor), processes one SQS batch, and prints the time from the JVM process start to the batch's response.
 * {@code ingest-primed} first runs the function's SnapStart priming ({@code beforeCheckpoint} of what it registered, as
 * the runtime does before the snapshot) and then prints the time of the first batch alone: what an invocation after a
 * restore costs, less the restore itself.
 */
public final class ColdStartProbe {
    public static void main(String[] args) throws Exception {
        String event = Files.readString(Path.of(args[1]));
        Instant start = ProcessHandle.current().info().startInstant().orElseThrow();
        long main = Duration.between(start, Instant.now()).toMillis();
        RequestStreamHandler handler = args[0].startsWith("ingest") ? new IngestHandler() : new BareHandler();
        long built = Duration.between(start, Instant.now()).toMillis();
        long primed = 0;
        if (args[0].equals("ingest-primed")) {
            prime();
            primed = Duration.between(start, Instant.now()).toMillis();
        }
        Instant batch = Instant.now();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        System.err.println("PHASES main=" + main + " constructed=" + built + (primed > 0 ? " primed=" + primed : ""));
        long ms = Duration.between(primed > 0 ? batch : start, Instant.now()).toMillis();
        System.err.println("COLDSTART " + args[0] + " " + ms + " " + out.toString(StandardCharsets.UTF_8));
        System.exit(0);
    }

    /** Priming's resources, by reflection: the jar measured may be an older build, whose Priming has no accessor. */
    private static void prime() throws Exception {
        Field registered = Class.forName("io.statetrail.lambda.Priming").getDeclaredField("REGISTERED");
        registered.setAccessible(true);
        for (Object resource : List.copyOf((List<?>) registered.get(null))) {
            ((Resource) resource).beforeCheckpoint(null);
        }
    }
}
