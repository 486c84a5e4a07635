package io.statetrail.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Records the DynamoDB actions the commands make with {@code --aws} while {@link AwsTableTest} runs them (a global SDK
 * interceptor, see {@code execution.interceptors}), into {@code target/iam/analyst.dynamodb-actions}.
 * {@code IamLeastPrivilegeTest} in functions/infra-check holds the Terraform module's analyst policy to them, as it
 * holds each function's role to what the Lambda tests record. Only requests that were sent count: one refused before
 * signing ({@link DeployedTable.ReadsOnly}) is not an action the analyst needs.
 */
public final class AnalystOperations implements ExecutionInterceptor {

    static final Path FILE = Path.of("target", "iam", "analyst.dynamodb-actions");

    private static volatile boolean recording;
    private static final Set<String> ACTIONS = ConcurrentHashMap.newKeySet();

    static AutoCloseable record() {
        recording = true;
        return () -> {
            recording = false;
            try {
                Files.createDirectories(FILE.getParent());
                Files.write(FILE, new TreeSet<>(ACTIONS));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    static Set<String> actions() {
        return new TreeSet<>(ACTIONS);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (recording && context.request().getClass().getPackageName().equals(GetItemRequest.class.getPackageName())) {
            ACTIONS.add("dynamodb:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }
}
