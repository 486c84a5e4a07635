package io.statetrail.bench;

import java.util.List;

/** The fictional organisation of the generated archive: the accounts and regions of events/README.md. */
final class Accounts {

    static final String TOOLING = "111111111111";
    static final String PROD = "222222222222";
    static final String STAGING = "333333333333";

    /** One CloudTrail delivery stream: an account and region, and how busy it is relative to the others. */
    record Stream(String account, String region, double weight) {
    }

    static final List<Stream> STREAMS = List.of(
            new Stream(TOOLING, "eu-west-1", 0.8),
            new Stream(PROD, "eu-west-1", 2.0),
            new Stream(PROD, "us-east-1", 1.0),
            new Stream(STAGING, "us-east-1", 1.0),
            new Stream(STAGING, "eu-west-1", 0.6));

    private Accounts() {
    }

    static String keyPart(String account) {
        return switch (account) {
            case TOOLING -> "RZ4TQ7KX";
            case PROD -> "W6NHX2PA";
            case STAGING -> "JM3YDV5C";
            default -> "Q2ZLM4XH";
        };
    }

    static String oidcProvider(String account) {
        return "arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com";
    }
}
