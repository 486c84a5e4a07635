package io.statetrail.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.statetrail.service.ingest.Parallel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code STATETRAIL_INGEST_CONCURRENCY} (issue 18): its default, its bounds, and the instance's lanes it sets. */
class IngestConcurrencySettingTest {

    @Test
    void unsetIsEightLanes_andTheInstanceJudgesOnThem() {
        try (ApplicationContext context = TestStack.context(TestStack.table(), Map.of())) {
            assertEquals(Settings.DEFAULT_INGEST_CONCURRENCY, context.getBean(Settings.class).ingestConcurrency());
            assertEquals(8, context.getBean(Parallel.class).lanes());
        }
    }

    @Test
    void oneLaneIsTheSequentialIngest() {
        try (ApplicationContext context = TestStack.context(TestStack.table(), Map.of("statetrail.ingest-concurrency", "1"))) {
            assertEquals(1, context.getBean(Parallel.class).lanes());
        }
    }

    @Test
    void outOfBoundsOrNotANumberIsRefusedWithTheVariableNamed() {
        for (String bad : new String[] {"0", "65", "-3", "eight", "2.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.ingestConcurrency(bad), bad);
            assertTrue(e.getMessage().startsWith("STATETRAIL_INGEST_CONCURRENCY '" + bad + "'"), e.getMessage());
        }
        assertEquals(64, Settings.ingestConcurrency("64"));
    }

    @Test
    void theJdkKeepsAnIdleConnectionPerLane() {
        // The JVM's own setting wins; this JVM may have set it already (another context), so only its rule is checked.
        String before = System.getProperty("http.maxConnections");
        try {
            System.clearProperty("http.maxConnections");
            AwsClients.keepConnectionsFor(4);
            assertEquals(null, System.getProperty("http.maxConnections"), "5 is the JDK's default: nothing to set");
            AwsClients.keepConnectionsFor(16);
            assertEquals("16", System.getProperty("http.maxConnections"));
            AwsClients.keepConnectionsFor(32);
            assertEquals("16", System.getProperty("http.maxConnections"), "a value already set is kept");
        } finally {
            if (before == null) {
                System.clearProperty("http.maxConnections");
            } else {
                System.setProperty("http.maxConnections", before);
            }
        }
    }
}
