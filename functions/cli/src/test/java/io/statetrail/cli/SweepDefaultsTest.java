package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.statetrail.lambda.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/** Issue 17, first hour: {@code ./statetrail sweep} reminds and waits as the deployed sweeper does when nothing is set. */
class SweepDefaultsTest {

    @Test
    void theLocalSweepHasTheDeployedSweepersDefaults() {
        Settings deployed;
        try (ApplicationContext context = ApplicationContext.builder().properties(Map.of()).deduceEnvironment(false).banner(false).start()) {
            deployed = Settings.from(context.getEnvironment());
        }
        CommandSpec sweep = Main.commandLine().getSubcommands().get("sweep").getCommandSpec();
        assertEquals(deployed.staleLockReminder(), Duration.parse(sweep.findOption("--remind-every").defaultValueString()));
        assertEquals(deployed.unattributedGrace(), Duration.parse(sweep.findOption("--grace").defaultValueString()));
        assertEquals(Duration.ofHours(1), deployed.staleLockReminder(), "docs/configuration.md says PT1H");
    }
}
