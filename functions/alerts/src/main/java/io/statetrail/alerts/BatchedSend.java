package io.statetrail.alerts;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.port.AlertSink.AlertException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends an alert's findings to an AWS service in batches within what one request may carry, and reports the findings
 * that went out when one fails, so the dispatcher retries only the refused ones (and those after them).
 */
final class BatchedSend {

    /** One request: the findings of a batch in, the entries the service refused out (empty when it took them all). */
    @FunctionalInterface
    interface Request {
        List<Refusal> send(List<Finding> batch);
    }

    /**
     * An entry the service refused in an otherwise answered request.
     *
     * @param index     the entry's place in its batch (services answer entries in request order)
     * @param error     what the service said, for the operator
     * @param retryable whether sending it again may work (throttling, the service's own faults)
     */
    record Refusal(int index, String error, boolean retryable) {
    }

    private BatchedSend() {
    }

    /**
     * @param service  the service and its action, for messages ({@code "SNS"}, {@code "Publish"})
     * @param entries  what the service calls an entry, for the message about refused ones ({@code "events"})
     * @param maxBatch the most entries one request may carry
     * @param request  one request; its refusals in batch order
     */
    static void send(String service, String action, String entries, List<Finding> findings, int maxBatch, Request request)
            throws AlertException {
        String call = service + " " + action;
        Set<String> published = new LinkedHashSet<>();
        for (int from = 0; from < findings.size(); from += maxBatch) {
            List<Finding> batch = findings.subList(from, Math.min(findings.size(), from + maxBatch));
            List<Refusal> refused;
            try {
                refused = request.send(batch);
            } catch (AwsServiceException e) {
                throw new AlertException(call + " failed (" + e.statusCode() + " "
                        + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode()) + ")", retryable(e), e, published);
            } catch (SdkException e) {
                throw new AlertException(call + " failed: " + e.getMessage(), true, e, published);
            }
            Set<Integer> refusedAt = new HashSet<>();
            refused.forEach(r -> refusedAt.add(r.index()));
            for (int i = 0; i < batch.size(); i++) {
                if (!refusedAt.contains(i)) {
                    published.add(batch.get(i).id());
                }
            }
            if (!refused.isEmpty()) {
                Refusal first = refused.get(0);
                throw new AlertException(service + " refused " + refused.size() + " of " + batch.size() + " " + entries
                        + " (" + first.error() + ")", first.retryable(), null, published);
            }
        }
    }

    /** Throttling and server errors pass; a missing target or a denied call needs an operator, retried rarely. */
    static boolean retryable(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 0 || e.retryable();
    }
}
