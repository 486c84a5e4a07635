package io.statetrail.core.policy;

/** An invalid policy file: the message names the file, the line and the problem. */
public class PolicyException extends RuntimeException {
    public PolicyException(String message) {
        super(message);
    }
}
