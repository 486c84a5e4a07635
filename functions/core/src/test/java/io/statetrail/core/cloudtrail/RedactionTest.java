package io.statetrail.core.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void sessionTokenAndSecretKeyValuesAreReplaced() {
        String raw = "{\"credentials\": {\"accessKeyId\": \"ASIAW6NHX2PAEYKH2CMZ\", \"sessionToken\": \"IQoJb3JpZ2luX2VjEPc+/x==\", "
                + "\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG\", \"expiration\": \"Nov 2, 2026, 9:00:09 AM\"}}";

        assertEquals("{\"credentials\": {\"accessKeyId\": \"ASIAW6NHX2PAEYKH2CMZ\", \"sessionToken\": \"<redacted>\", "
                + "\"secretAccessKey\":\"<redacted>\", \"expiration\": \"Nov 2, 2026, 9:00:09 AM\"}}", Redaction.scrub(raw));
    }

    @Test
    void tokensInsideAnEmbeddedJsonStringAreReplacedToo() {
        String raw = "{\"CloudTrailEvent\": \"{\\\"credentials\\\":{\\\"SessionToken\\\": \\\"IQoJb3JpZ2lu\\\\/abc\\\",\\\"x\\\":1}}\"}";

        String scrubbed = Redaction.scrub(raw);

        assertEquals("{\"CloudTrailEvent\": \"{\\\"credentials\\\":{\\\"SessionToken\\\": \\\"<redacted>\\\",\\\"x\\\":1}}\"}", scrubbed);
    }

    @Test
    void everyOccurrenceIsReplacedAndOtherTextIsKept() {
        String raw = "a \"sessionToken\":\"one\" b \"SESSIONTOKEN\" : \"two\" c \"sessionToken\": \"\" d";

        assertEquals("a \"sessionToken\":\"<redacted>\" b \"SESSIONTOKEN\" : \"<redacted>\" c \"sessionToken\": \"<redacted>\" d",
                Redaction.scrub(raw));
    }

    @Test
    void truncatedValueIsReplacedToTheEnd() {
        assertEquals("{\"sessionToken\": \"<redacted>", Redaction.scrub("{\"sessionToken\": \"IQoJb3JpZ2luX2VjEPcnXf6Mcv05v2ZL7"));
    }

    /** Found by RecordReaderFuzzTest: a long token in a broken embedded document overflowed the regex's stack. */
    @Test
    void veryLongTokenIsReplacedWithoutOverflowingTheStack() {
        for (String value : List.of("A".repeat(200_000), "a\\b".repeat(50_000))) {
            String raw = "{\"CloudTrailEvent\": \"{\\\"sessionToken\\\": \\\"" + value + "\\\", \\\"eventName\\\": \\\"AssumeRole";

            String scrubbed = Redaction.scrub(raw);

            assertFalse(scrubbed.contains(value.substring(0, 50)));
            assertTrue(scrubbed.endsWith("<redacted>\\\", \\\"eventName\\\": \\\"AssumeRole"), scrubbed);
        }
    }

    @Test
    void excerptIsScrubbedThenCut() {
        String raw = "{\"sessionToken\": \"" + "T".repeat(500) + "\", \"eventName\": \"AssumeRole\"}";

        String excerpt = Redaction.excerpt(raw, 40);

        assertEquals("{\"sessionToken\": \"<redacted>\", \"eventNam…", excerpt);
        assertEquals("", Redaction.excerpt(null, 40));
        assertNull(Redaction.scrub(null));
    }
}
