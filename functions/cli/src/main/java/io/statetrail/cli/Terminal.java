package io.statetrail.cli;

import picocli.CommandLine;

/** How wide the tables may be. */
final class Terminal {

    /** When nothing says otherwise (output to a file or a pipe): what the tables were designed for. */
    static final int DEFAULT_COLUMNS = 100;

    private Terminal() {
    }

    /**
     * {@code $COLUMNS} when set (as Python's {@code shutil} and many tools honour it; {@code COLUMNS=80 ./statetrail …}),
     * else the terminal's width when stdout is one (picocli asks {@code stty}/{@code tput}), else 100.
     */
    static int columns() {
        String env = System.getenv("COLUMNS");
        if (env != null) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 20) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // not a number: ask the terminal
            }
        }
        if (System.console() == null) {
            return DEFAULT_COLUMNS;
        }
        return new CommandLine.Model.UsageMessageSpec().width(DEFAULT_COLUMNS).autoWidth(true).width();
    }
}
