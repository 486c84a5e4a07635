package io.statetrail.core.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrailTest {

    private static List<TrailEvent> parse(String json) {
        List<TrailEvent> out = new ArrayList<>();
        new RecordReader(new RecordClassifier(new StateObjects(Policy.empty()))).readString("test", json, new RecordSink() {
            @Override
            public void relevant(String source, long line, List<TrailEvent> events) {
                out.addAll(events);
            }

            @Override
            public void irrelevant() {
            }

            @Override
            public void malformed(Malformed m) {
                throw new AssertionError(m.reason());
            }
        });
        return out;
    }

    private static String write(String eventId, String sharedEventId, String accessKey, String key) {
        return """
                {"eventVersion":"1.10","eventTime":"2026-11-03T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject",
                 "eventID":"%s",%s"recipientAccountId":"222222222222",
                 "userIdentity":{"type":"AssumedRole","accessKeyId":%s,"arn":"arn:aws:sts::111111111111:assumed-role/r/s"},
                 "requestParameters":{"bucketName":"acme-tfstate-prod","key":"%s"}}"""
                .formatted(eventId, sharedEventId == null ? "" : "\"sharedEventID\":\"" + sharedEventId + "\",",
                        accessKey == null ? "null" : "\"" + accessKey + "\"", key);
    }

    private static String stored(List<String> arrivals) {
        Trail trail = new Trail();
        arrivals.forEach(a -> trail.add(parse(a)));
        StateAccess s = (StateAccess) trail.events().get(0);
        return s.objectKey() + " " + s.meta().actor().accessKeyId() + " " + trail.eventIdsOf(s);
    }

    @Test
    void aCorrectedRedeliveryOfOneRecordKeepsTheSameVersionWhateverArrivesFirst() {
        String original = write("e-1", null, "ASIAAAAAAAAAAAAAAAA1", "app/terraform.tfstate");
        String corrected = write("e-1", null, "ASIAAAAAAAAAAAAAAAA1", "app/prod.tfstate");

        assertEquals(stored(List.of(original, corrected)), stored(List.of(corrected, original)));
    }

    @Test
    void theCallerAccountsCopyOfACrossAccountCallIsKeptWithBothEventIds() {
        String callerCopy = write("e-caller", "shared-1", "ASIAAAAAAAAAAAAAAAA1", "app/terraform.tfstate");
        String ownerCopy = write("e-owner", "shared-1", null, "app/terraform.tfstate");

        String expected = "app/terraform.tfstate ASIAAAAAAAAAAAAAAAA1 [e-caller, e-owner]";
        assertEquals(expected, stored(List.of(callerCopy, ownerCopy)));
        assertEquals(expected, stored(List.of(ownerCopy, callerCopy)));
    }

    @Test
    void aSecondDeliveryIsADuplicateAndTheOtherAccountsCopyIsNot() {
        Trail trail = new Trail();
        String callerCopy = write("e-caller", "shared-1", "ASIAAAAAAAAAAAAAAAA1", "app/terraform.tfstate");

        assertEquals(Trail.Added.NEW, trail.add(parse(callerCopy)));
        assertEquals(Trail.Added.DUPLICATE, trail.add(parse(callerCopy)));
        assertEquals(Trail.Added.OTHER_COPY, trail.add(parse(write("e-owner", "shared-1", null, "app/terraform.tfstate"))));
        assertEquals(1, trail.size());
    }
}
