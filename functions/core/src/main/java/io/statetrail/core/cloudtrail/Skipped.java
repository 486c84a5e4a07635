package io.statetrail.core.cloudtrail;

/**
 * A document read and recognised, but never evaluated: it is not an API call by the caller it names. Counted apart from
 * irrelevant and malformed records.
 */
public enum Skipped {
    /** A CloudTrail digest file ({@code *-Digest.json.gz}): hashes of log files, no records. */
    DIGEST("digest"),
    /** An Insights record ({@code eventCategory} Insight): a rate anomaly; its event source and name are inside {@code insightDetails}. */
    INSIGHT("insights"),
    /**
     * A network activity event ({@code eventCategory} NetworkActivity, {@code eventType} AwsVpceEvent): a VPC endpoint's view
     * of a call, often with an {@code AWSAccount} identity and no key; the call itself, if it reached the service, has
     * its own record.
     */
    NETWORK_ACTIVITY("network-activity");

    private final String label;

    Skipped(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
