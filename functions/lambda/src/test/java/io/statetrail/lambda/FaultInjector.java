package io.statetrail.lambda;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A global SDK interceptor (registered in {@code software/amazon/awssdk/global/handlers/execution.interceptors} of the
 * test classpath, so it is on the client {@code AwsClients} builds inside the function). Inert until {@link #arm};
 * armed, it fails a seeded share of DynamoDB requests with throttling ({@code ProvisionedThroughputExceededException})
 * or a 500/503 {@code SdkServiceException}.
 *
 * <p>Half of the faults are thrown before the request is sent (nothing written), half after the response arrived (the
 * write happened, the caller sees a failure: a lost response). Both are thrown outside the SDK's retry loop
 * ({@code beforeExecution}/{@code afterExecution}), so no SDK retry ever hides them: every fault reaches our code.
 */
public final class FaultInjector implements ExecutionInterceptor {

    private static volatile Plan plan;

    /** What an armed injector does; counts what it injected. */
    static final class Plan {
        private final SplittableRandom random;
        private final double share;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();
        final Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();
        /** Requests by operation ({@code QueryRequest}, {@code PutItemRequest}...), faulted or not. */
        final Map<String, AtomicInteger> byOperation = new ConcurrentHashMap<>();
        /** Throw an Error from the n-th request (1-based, counting from arming); 0: never. */
        volatile int crashAt;
        /** Lose the response of every write that creates a finding (the finding is written, the caller sees a 500). */
        volatile boolean loseFindingCreations;
        /** Wait this long before each request: DynamoDB's network round trip, which DynamoDB Local on loopback lacks. */
        volatile long latencyMillis;

        Plan(long seed, double share) {
            this.random = new SplittableRandom(seed);
            this.share = share;
        }

        synchronized double next() {
            return random.nextDouble();
        }

        private void count(String kind) {
            faults.incrementAndGet();
            byKind.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Thrown to simulate the function dying mid-batch (an Error: nothing in the handler catches it). */
    static final class Crash extends Error {
        Crash(String message) {
            super(message);
        }
    }

    static Plan arm(long seed, double share) {
        Plan p = new Plan(seed, share);
        plan = p;
        return p;
    }

    /** Arms a plan made earlier (its counts go on). */
    static void rearm(Plan p) {
        plan = p;
    }

    static void disarm() {
        plan = null;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Plan p = active(attributes);
        if (p == null) {
            return;
        }
        int n = p.requests.incrementAndGet();
        p.byOperation.computeIfAbsent(operation(context.request()), k -> new AtomicInteger()).incrementAndGet();
        if (p.latencyMillis > 0) {
            try {
                Thread.sleep(p.latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (p.crashAt > 0 && n == p.crashAt) {
            throw new Crash("injected: the function died at DynamoDB request " + n);
        }
        double r = p.next();
        if (r < p.share / 2) {
            throw fault(p, r < p.share / 4 ? 0 : 1, context.request(), "before sending");
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Plan p = active(attributes);
        if (p == null) {
            return;
        }
        if (p.loseFindingCreations && createsFinding(context.request())) {
            p.count("FindingCreationResponseLost");
            throw SdkServiceException.builder().statusCode(500).message("injected: response lost after a finding was created").build();
        }
        double r = p.next();
        if (r < p.share / 2) {
            throw fault(p, r < p.share / 4 ? 2 : 1, context.request(), "response lost");
        }
    }

    /** A conditional put of a finding item ({@code FINDING#<id>} / {@code FINDING}), alone or in a transaction. */
    private static boolean createsFinding(SdkRequest request) {
        if (request instanceof PutItemRequest put) {
            return put.conditionExpression() != null && isFinding(put.item());
        }
        if (request instanceof TransactWriteItemsRequest t) {
            return t.transactItems().stream().anyMatch(i -> i.put() != null && isFinding(i.put().item()));
        }
        return false;
    }

    private static boolean isFinding(Map<String, AttributeValue> item) {
        AttributeValue pk = item.get("pk");
        AttributeValue sk = item.get("sk");
        return pk != null && pk.s() != null && pk.s().startsWith("FINDING#") && sk != null && "FINDING".equals(sk.s());
    }

    /** The request's class, and for a query its index and the prefix of its partition key ({@code Query gsi1 KEY}). */
    private static String operation(SdkRequest request) {
        String op = request.getClass().getSimpleName().replace("Request", "");
        if (request instanceof QueryRequest q) {
            String pk = q.expressionAttributeValues().values().stream().map(v -> v.s() == null ? "" : v.s())
                    .filter(v -> v.contains("#") && !v.startsWith("T#") && !Character.isDigit(v.charAt(0))).map(v -> v.substring(0, v.indexOf('#'))).sorted().findFirst()
                    .orElse("?");
            op += " " + (q.indexName() == null ? "base" : q.indexName()) + " " + pk;
        }
        return op;
    }

    private static Plan active(ExecutionAttributes attributes) {
        Plan p = plan;
        if (p == null || !"DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            return null;
        }
        return p;
    }

    private static RuntimeException fault(Plan p, int kind, SdkRequest request, String when) {
        String op = request.getClass().getSimpleName();
        switch (kind) {
            case 0 -> {
                p.count("ProvisionedThroughputExceeded");
                return ProvisionedThroughputExceededException.builder().statusCode(400)
                        .message("injected throttling (" + when + ", " + op + ")")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .serviceName("DynamoDb").errorMessage("injected throttling").build())
                        .build();
            }
            case 1 -> {
                p.count("503");
                return SdkServiceException.builder().statusCode(503).message("injected 503 (" + when + ", " + op + ")").build();
            }
            default -> {
                p.count("500");
                return SdkServiceException.builder().statusCode(500).message("injected 500 (" + when + ", " + op + ")").build();
            }
        }
    }
}
