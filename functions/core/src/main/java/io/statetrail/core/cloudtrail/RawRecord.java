package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.Actor;

import com.fasterxml.jackson.databind.JsonNode;

/** The fields of one CloudTrail record that statetrail reads, as the streaming parser found them. */
final class RawRecord {
    final long line;
    String eventVersion;
    String eventTime;
    String eventSource;
    String eventName;
    String eventId;
    String recipientAccountId;
    String sharedEventId;
    String awsRegion;
    String sourceIp;
    String userAgent;
    String errorCode;
    String errorMessage;
    String eventCategory;
    /** Read leniently (a value of another type is ignored): who made the call, not whether the record is readable. */
    String vpcEndpointId;
    String vpcEndpointAccountId;
    String eventType;
    /** Fields only Insights records ({@code insightDetails}) and digest files ({@code digestStartTime}, {@code logFiles}) have. */
    boolean insightDetails;
    boolean digestFields;
    Actor actor;
    JsonNode requestParameters;
    JsonNode responseElements;
    JsonNode resources;
    /** First problem met while reading, e.g. a field of the wrong type. */
    String problem;

    RawRecord(long line) {
        this.line = line;
    }

    void problem(String text) {
        if (problem == null) {
            problem = text;
        }
    }
}
