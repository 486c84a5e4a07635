package io.statetrail.core.cloudtrail;

/**
 * A record (or a stretch of a file) that could not be read. It is counted, reported with its place and kept
 * aside; the rest of the batch goes on.
 *
 * @param source  file name, or message id for live input
 * @param line    1-based line where the problem starts, 0 when unknown
 * @param reason  what is wrong, in one line
 * @param excerpt the start of the offending text, with session tokens and secrets removed
 */
public record Malformed(String source, long line, String reason, String excerpt) {

    public String where() {
        return line > 0 ? source + ":" + line : source;
    }
}
