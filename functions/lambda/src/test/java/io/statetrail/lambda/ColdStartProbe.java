package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Run in a fresh JVM by {@link ColdStartTest}: builds the handler the way the Lambda runtime does (no-argument
 * constructor), processes one SQS batch, and prints the time from the JVM process start to the batch's response.
 */
public final class ColdStartProbe {
    public static void main(String[] args) throws Exception {
        String event = Files.readString(Path.of(args[1]));
        Instant start = ProcessHandle.current().info().startInstant().orElseThrow();
        long main = Duration.between(start, Instant.now()).toMillis();
        RequestStreamHandler handler = args[0].equals("ingest") ? new IngestHandler() : new BareHandler();
        long built = Duration.between(start, Instant.now()).toMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        System.err.println("PHASES main=" + main + " constructed=" + built);
        long ms = Duration.between(start, Instant.now()).toMillis();
        System.err.println("COLDSTART " + args[0] + " " + ms + " " + out.toString(StandardCharsets.UTF_8));
        System.exit(0);
    }
}
