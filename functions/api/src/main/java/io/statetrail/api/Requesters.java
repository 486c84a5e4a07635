package io.statetrail.api;

import io.micronaut.http.HttpRequest;

/**
 * Who sent a request that changes something (a finding's status), or a refusal. Locally the operating-system user,
 * for requests from loopback that carry this process's token and no other site's origin ({@link LoopbackRequesters});
 * in AWS the IAM principal that signed the request to the Function URL (the Lambda module's implementation).
 */
public interface Requesters {

    /**
     * @return who asked, as the status history shows it
     * @throws BadQuery 403 when the request must not change anything
     */
    String who(HttpRequest<?> request);

    /** The token the served pages carry for their own requests (a meta tag), or null where none is needed. */
    default String pageToken() {
        return null;
    }
}
