package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.api.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, hostile strings in the CLI's tables: subjects, session names, state keys and lock holders are outside
 * text. Printed through {@link TablePrinter}, no raw control, C1 or bidi character reaches the terminal, no value
 * breaks its row, and long values are cut to the terminal's width.
 */
class TerminalTextHostileTest {

    static final List<String> HOSTILE = List.of(
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "<!channel> *urgent* @here",
            "line1\nfake log line {\"level\":\"ERROR\"}",
            "=HYPERLINK(\"http://x\")",
            "A".repeat(64 * 1024),
            "lone\uD800surrogate",
            "\u001b[2J\u001b]0;owned\u0007clear screen and retitle",
            "bidi \u202eevil\u202c \u2066x\u2069 c1 \u009b31m",
            "cr\rover\ttab\u007fdel");

    @Test
    void everyHostileValue_printsAsOneSafeRowPerRecord() {
        Table<String> table = new Table<String>().col("subject", 40, s -> "repo:acme/infra:ref:refs/heads/" + s)
                .col("who", 30, s -> s).col("csv-only", s -> s);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TablePrinter.print(table, HOSTILE, new PrintStream(bytes, true, StandardCharsets.UTF_8), 80, null);
        String out = bytes.toString(StandardCharsets.UTF_8);

        String[] lines = out.split("\n", -1);
        assertEquals(HOSTILE.size() + 2, lines.length, "a header, one line per row, the final newline:\n" + out);
        for (String line : lines) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                boolean unsafe = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
                        || (c >= 0x2066 && c <= 0x2069);
                assertFalse(unsafe, String.format("raw U+%04X in %s", (int) c, line));
            }
            assertTrue(line.length() <= 80, "cut to the terminal's width: " + line.length());
        }
        assertTrue(out.contains("\\u001b[2J"), "the escape is shown, not executed");
        assertTrue(out.contains("\\u202e"), "bidi override shown");
        assertFalse(out.contains("A".repeat(100)), "64 KB cut");
    }
}
