package io.statetrail.alerts;

import io.statetrail.core.finding.Finding;
import io.statetrail.service.alert.Alert;
import io.statetrail.service.port.AlertSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Local alerts: one JSON line per finding (the SNS message, {@code docs/alerts.md}) appended to a file, and one short
 * line per alert on stderr with control characters shown as a backslash, u and four hex digits, so a branch name with an escape sequence
 * cannot rewrite the operator's terminal.
 */
public final class FileAlertSink implements AlertSink {

    public static final String NAME = "file";

    private final Path file;
    private final PrintStream err;

    public FileAlertSink(Path file, PrintStream err) {
        this.file = file;
        this.err = err;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized String send(Alert alert) throws AlertException {
        StringBuilder lines = new StringBuilder();
        for (Finding f : alert.findings()) {
            lines.append(AlertJson.messageText(alert, f)).append('\n');
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new AlertException("cannot append to " + file + ": " + e.getMessage(), true, e);
        }
        if (err != null) {
            err.println(line(alert));
        }
        return null;
    }

    /** {@code ALERT critical state-write-unexpected-subject ×2 acme/state/key: summary}, terminal-safe and short. */
    static String line(Alert alert) {
        Finding f = alert.first();
        String where = f.stateKey() != null ? f.stateKey() : f.roleArn() != null ? f.roleArn() : f.subject();
        String kind = alert.isFollowUp() || alert.isStatusChange() ? alert.notice().toUpperCase(java.util.Locale.ROOT) : "ALERT";
        String status = alert.isStatusChange() && f.statusChange() != null
                ? " [" + f.status().label() + " by " + terminal(f.statusChange().by(), 120)
                + (f.statusChange().note() == null ? "" : ": " + terminal(f.statusChange().note(), 240)) + "]" : "";
        return kind + " " + alert.severity().label() + " " + alert.type() + (alert.count() > 1 ? " ×" + alert.count() : "")
                + (where == null ? "" : " " + terminal(where, 120)) + ": " + terminal(f.summary(), 240) + status;
    }

    static String terminal(String s, int width) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < width; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= width && out.length() < s.length()) {
            out.setLength(width - 1);
            out.append('…');
        }
        return out.toString();
    }
}
