package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAlertSinkTest {

    @Test
    void appendsOneJsonLinePerFinding_andOneTerminalSafeLinePerAlert(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts/alerts.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FileAlertSink sink = new FileAlertSink(file, new PrintStream(err, true, StandardCharsets.UTF_8));

        sink.send(Fixtures.alert(Fixtures.hostileWrite(), Fixtures.second()));

        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals(SnsAlertSinkTest.EXPECTED_FIRST_MESSAGE, lines.get(0));
        assertEquals(Fixtures.second().id(), new ObjectMapper().readTree(lines.get(1)).get("finding").get("id").asText());
        assertEquals("ALERT critical state-write-unexpected-subject ×3 acme-tfstate-prod/infra/payments/terraform.tfstate: "
                + "subject repo:acme/infra:ref:refs/heads/<!channel> *urgent* wrote state acme-tfstate-prod/infra/payments/terraform.tfstate via gha-prod-apply"
                + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void escapeSequencesNeverReachTheTerminal() {
        assertEquals("a\\u001b[2Jb\\u202e", FileAlertSink.terminal("a\u001b[2Jb\u202e", 80));
        assertEquals("xxxx…", FileAlertSink.terminal("x".repeat(100), 5));
    }
}
