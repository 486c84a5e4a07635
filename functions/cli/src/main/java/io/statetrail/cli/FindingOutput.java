package io.statetrail.cli;

import io.statetrail.api.Tables;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.OcsfFinding;
import java.io.PrintStream;
import java.util.List;

/** Prints findings as JSON Lines, as OCSF Detection Findings (one per line), or as a table that fits the terminal. */
public final class FindingOutput {

    public enum Format { jsonl, table, ocsf }

    /** The help of every {@code --format} that takes these. */
    static final String HELP = "output: jsonl (statetrail's finding JSON), table, or ocsf (OCSF 1.1.0 Detection Finding, one per line; "
            + "docs/alerts.md); default: jsonl unless stdout is a terminal";

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
        } else if (format == Format.ocsf) {
            String version = Main.version().startsWith("(") ? null : Main.version();
            for (Finding f : findings) {
                out.println(OcsfFinding.toLine(f, version));
            }
        } else {
            table(findings, out);
        }
        out.flush();
    }

    static void table(List<Finding> findings, PrintStream out) {
        table(findings, out, Terminal.columns());
    }

    /** One line per finding (time, severity, type, where) fitted to {@code width}, its summary on the line below. */
    static void table(List<Finding> findings, PrintStream out, int width) {
        TablePrinter.print(Tables.FINDINGS, findings, out, width, FindingOutput::summaryLine);
        out.println(findings.size() + " finding" + (findings.size() == 1 ? "" : "s"));
    }

    /** The summary; a finding the policy accepts (not paged) says so first, with the entry and why, before a cut line could lose it. */
    static String summaryLine(Finding f) {
        return f.suppressed() ? "[suppressed: policy " + f.details().get(Finding.SUPPRESSED_BY) + "] " + f.summary() : f.summary();
    }
}
