package io.statetrail.cli;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import java.io.PrintStream;
import java.util.List;

/** Prints findings as JSON Lines or as a table that fits a 100-column terminal. */
public final class FindingOutput {

    public enum Format { jsonl, table }

    private FindingOutput() {
    }

    /** JSON Lines when stdout is not a terminal, a table when a person is reading. */
    public static Format defaultFormat() {
        return System.console() == null ? Format.jsonl : Format.table;
    }

    public static void print(List<Finding> findings, Format format, PrintStream out) {
        if (format == Format.jsonl) {
            for (Finding f : findings) {
                out.println(FindingJson.toLine(f));
            }
        } else {
            table(findings, out);
        }
        out.flush();
    }

    static void table(List<Finding> findings, PrintStream out) {
        out.println(TerminalText.pad("TIME", 20) + " " + TerminalText.pad("SEVERITY", 8) + " " + TerminalText.pad("TYPE", 30) + " WHAT");
        for (Finding f : findings) {
            out.println(TerminalText.pad(f.time() == null ? "-" : f.time().toString(), 20) + " "
                    + TerminalText.pad(f.severity().label(), 8) + " " + TerminalText.pad(f.type(), 30) + " "
                    + TerminalText.fit(f.stateKey() != null ? f.stateKey() : f.roleArn(), 38));
            out.println(" ".repeat(21) + TerminalText.fit(f.summary(), 79));
        }
        out.println(findings.size() + " finding" + (findings.size() == 1 ? "" : "s"));
    }
}
