package io.statetrail.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import io.statetrail.core.trail.Trail;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stored form of events loses nothing: every event of every sample run comes back equal, and no token goes in. */
class TrailEventJsonTest {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    @Test
    void everySampleEventSurvivesTheRoundTrip() {
        Replay.Result result = new Replay(PolicyLoader.load(EVENTS.resolve("policy.yaml"))).run(List.of(EVENTS), null);
        Set<String> kinds = new HashSet<>();
        int n = 0;
        for (Trail.Call call : result.trail().calls()) {
            List<TrailEvent> events = call.events();
            String json = TrailEventJson.recordToJson(events);
            assertEquals(events, TrailEventJson.recordFromJson(json));
            assertFalse(json.contains("sessionToken"), json);
            for (TrailEvent e : events) {
                assertEquals(e, TrailEventJson.fromJson(TrailEventJson.toJson(e)));
                kinds.add(e.getClass().getSimpleName());
                n++;
            }
        }
        assertEquals(Set.of("RoleAssumed", "RoleAssumptionFailed", "StateAccess", "TrustPolicyChanged", "StoreChange"), kinds);
        assertTrue(n > 100);
    }
}
