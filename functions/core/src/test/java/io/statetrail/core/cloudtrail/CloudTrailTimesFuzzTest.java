package io.statetrail.core.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statetrail.core.fixture.Quickly;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** STS {@code expiration} text of any shape gives an instant or null, never an exception. */
class CloudTrailTimesFuzzTest {

    @FuzzTest
    void expirationIsAnInstantOrNull(byte[] data) {
        Quickly.run(() -> check(data));
    }

    private static void check(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);

        Instant expiration = CloudTrailTimes.expiration(text);

        if (expiration != null) {
            assertEquals(expiration, CloudTrailTimes.expiration(" " + text + " "), "surrounding blanks change nothing");
        }
        try {
            Instant t = CloudTrailTimes.eventTime(text);
            assertEquals(t, CloudTrailTimes.expiration(text), "an ISO eventTime is also a valid expiration");
        } catch (DateTimeParseException expected) {
            // the one documented failure of eventTime
        }
    }
}
