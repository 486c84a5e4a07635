package io.statetrail.core.event;

import java.time.Instant;

/**
 * What every relevant CloudTrail record carries, whatever it did.
 *
 * @param sourceIp             {@code sourceIPAddress}: an address, or an AWS service's name ({@code s3.amazonaws.com},
 *                             {@code AWS Internal}) when a service made the call on the caller's behalf
 * @param vpcEndpointId        {@code vpcEndpointId}: the VPC endpoint the call came through (its source address is then a
 *                             private one of that VPC), else null
 * @param vpcEndpointAccountId {@code vpcEndpointAccountId}: the account that owns that endpoint, when logged
 */
public record EventMeta(
        String eventId,
        String recipientAccountId,
        String sharedEventId,
        Instant time,
        String eventSource,
        String eventName,
        String region,
        String sourceIp,
        String userAgent,
        String errorCode,
        String errorMessage,
        Actor actor,
        String vpcEndpointId,
        String vpcEndpointAccountId) {

    public boolean failed() {
        return errorCode != null;
    }

    /**
     * The idempotency key. One API call logged in two accounts (cross-account AssumeRole, S3 access to another
     * account's bucket) has one {@code sharedEventID} and an {@code eventID} per copy; everything else is
     * identified by {@code eventID} within the receiving account. Never the EventBridge envelope id.
     */
    public String callKey() {
        return sharedEventId != null ? "shared:" + sharedEventId : eventId + "@" + recipientAccountId;
    }

    /** Account the call happened in, as seen by whoever logged it. */
    public String account() {
        return recipientAccountId != null ? recipientAccountId : actor.accountId();
    }
}
