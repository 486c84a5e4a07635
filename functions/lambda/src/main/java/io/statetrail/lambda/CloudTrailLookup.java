package io.statetrail.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.service.port.TrailLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * Finds the {@code AssumeRoleWithWebIdentity} / {@code AssumeRole} that issued a session with CloudTrail
 * {@code LookupEvents} (management events, 90 days, this account): by event name in the time window, keeping the
 * records whose {@code responseElements.credentials.accessKeyId} is the key. LookupEvents cannot filter on the issued
 * key (its {@code AccessKeyId} attribute is the key that made the call), hence the scan; it allows 2 calls a second per
 * region, so the pages read per lookup are capped. STS logs in the region of the endpoint used: every configured region
 * is searched ({@code STATETRAIL_REGIONS}).
 */
public final class CloudTrailLookup implements TrailLookup {

    static final List<String> ISSUERS = List.of("AssumeRoleWithWebIdentity", "AssumeRole");
    static final int MAX_PAGES = 10;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AwsClients aws;
    private final List<String> regions;

    public CloudTrailLookup(AwsClients aws, List<String> regions) {
        this.aws = aws;
        this.regions = regions;
    }

    @Override
    public List<String> issuingEvents(String accessKeyId, Instant from, Instant to) {
        Set<String> regionsToSearch = new LinkedHashSet<>(regions);
        if (regionsToSearch.isEmpty()) {
            regionsToSearch.add(aws.home().id());
        }
        List<String> out = new ArrayList<>();
        if (aws.local()) {
            return out;
        }
        for (String region : regionsToSearch) {
            CloudTrailClient ct = aws.cloudTrail(Region.of(region));
            for (String name : ISSUERS) {
                String token = null;
                for (int page = 0; page < MAX_PAGES; page++) {
                    String t = token;
                    LookupEventsResponse r;
                    try {
                        r = ct.lookupEvents(b -> b.startTime(from).endTime(to).maxResults(50).nextToken(t)
                                .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue(name)));
                    } catch (SdkException e) {
                        break;
                    }
                    for (Event e : r.events()) {
                        if (issues(e.cloudTrailEvent(), accessKeyId)) {
                            out.add(e.cloudTrailEvent());
                        }
                    }
                    if (!out.isEmpty()) {
                        return out;
                    }
                    token = r.nextToken();
                    if (token == null) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    static boolean issues(String record, String accessKeyId) {
        if (record == null || !record.contains(accessKeyId)) {
            return false;
        }
        try {
            JsonNode n = MAPPER.readTree(record);
            return accessKeyId.equals(n.path("responseElements").path("credentials").path("accessKeyId").asText(null));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
