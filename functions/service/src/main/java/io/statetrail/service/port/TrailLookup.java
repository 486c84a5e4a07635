package io.statetrail.service.port;

import java.time.Instant;
import java.util.List;

/**
 * CloudTrail {@code LookupEvents} (management events only, 90 days): finds the {@code AssumeRoleWithWebIdentity} /
 * {@code AssumeRole} that issued a session, around its creation time, by the access key in its response.
 */
public interface TrailLookup {

    /** Raw CloudTrail records (JSON strings) that issued this access key, searched in [from, to]. */
    List<String> issuingEvents(String accessKeyId, Instant from, Instant to);
}
