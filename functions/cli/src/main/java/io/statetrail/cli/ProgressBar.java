package io.statetrail.cli;

import io.statetrail.core.replay.Replay;
import java.io.PrintStream;

/** Files, records and rate on stderr while a replay runs, only when a person is watching. */
final class ProgressBar {
    private final Thread thread;

    private ProgressBar(Thread thread) {
        this.thread = thread;
    }

    static ProgressBar startIfTerminal(Replay.Progress progress, PrintStream err) {
        if (System.console() == null || System.getenv("CI") != null) {
            return new ProgressBar(null);
        }
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(250);
                    long records = progress.records.get();
                    double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
                    long total = progress.totalFiles.get();
                    long done = progress.files.get();
                    int width = 30;
                    int filled = total == 0 ? 0 : (int) (width * done / total);
                    err.printf("\r[%s%s] %d/%d files  %,d records  %,.0f records/s ", "#".repeat(filled), ".".repeat(width - filled),
                            done, total, records, records / secs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "statetrail-progress");
        t.setDaemon(true);
        t.start();
        return new ProgressBar(t);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.print("\r" + " ".repeat(90) + "\r");
        }
    }
}
