package io.statetrail.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records the IAM actions of the DynamoDB requests each function's handler makes while a test runs it (a global SDK
 * interceptor, see {@code execution.interceptors}), into {@code target/iam/<function>.dynamodb-actions}; and those of
 * its EventBridge requests (findings out) into {@code <function>.events-actions}.
 * {@code IamLeastPrivilegeTest} in functions/infra-check then holds each function's Terraform policy to them, so a
 * request the code makes and the role does not allow fails the build instead of a deployment.
 */
public final class DynamoDbOperations implements ExecutionInterceptor {

    static final Path DIR = Path.of("target", "iam");

    private static volatile String function;
    private static final Map<String, Set<String>> ACTIONS = new ConcurrentHashMap<>();
    private static final Map<String, Set<String>> EVENTS = new ConcurrentHashMap<>();

    /** Records what runs until the returned recording is closed as requests of {@code fn} (Terraform's function key). */
    static Recording as(String fn) {
        function = fn;
        return new Recording(fn);
    }

    /** Ends a recording and writes what the function has been seen to do in this test run. */
    record Recording(String fn) implements AutoCloseable {
        @Override
        public void close() {
            function = null;
            try {
                Files.createDirectories(DIR);
                Files.write(DIR.resolve(fn + ".dynamodb-actions"), new TreeSet<>(ACTIONS.getOrDefault(fn, Set.of())));
                if (EVENTS.containsKey(fn)) {
                    Files.write(DIR.resolve(fn + ".events-actions"), new TreeSet<>(EVENTS.get(fn)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String fn = function;
        if (fn != null && context.request().getClass().getPackageName().equals(PutEventsRequest.class.getPackageName())) {
            EVENTS.computeIfAbsent(fn, k -> ConcurrentHashMap.newKeySet())
                    .add("events:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            return;
        }
        if (fn == null || !context.request().getClass().getPackageName().equals(TransactWriteItemsRequest.class.getPackageName())) {
            return;
        }
        Set<String> actions = ACTIONS.computeIfAbsent(fn, k -> ConcurrentHashMap.newKeySet());
        actions.addAll(actionsOf(context.request(), attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
    }

    /** IAM checks a transaction's items by their own actions; every other operation is its own action. */
    static Set<String> actionsOf(SdkRequest request, String operation) {
        Set<String> out = new TreeSet<>();
        if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem i : t.transactItems()) {
                out.add("dynamodb:" + (i.put() != null ? "PutItem" : i.update() != null ? "UpdateItem"
                        : i.delete() != null ? "DeleteItem" : "ConditionCheckItem"));
            }
        } else {
            out.add("dynamodb:" + operation);
        }
        return out;
    }
}
