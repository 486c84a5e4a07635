package io.statetrail.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The cold-start baseline: a handler that reads the batch and reports no failure, doing nothing else. */
public final class BareHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8));
    }
}
