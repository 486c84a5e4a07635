package io.statetrail.core.replay;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.cloudtrail.CloudTrailTimes;
import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.cloudtrail.Skipped;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.core.trail.Trail;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads CloudTrail files, builds the trail and runs every detection at the end. Memory grows with the relevant
 * records only: irrelevant ones are counted and dropped as they stream past.
 */
public final class Replay {

    /** Malformed records kept with their reason; the rest are only counted. */
    static final int MAX_MALFORMED_KEPT = 1000;

    /**
     * @param files                  files read
     * @param records                records (and other documents) read, whatever became of them
     * @param skippedDigests         digest files: read, recognised, not evaluated
     * @param skippedInsights        Insights records
     * @param skippedNetworkActivity network activity (VPC endpoint) events
     * @param skippedFiles           files not read: not JSON or gzip by their content
     */
    public record Counts(long files, long records, long relevant, long duplicates, long malformed, long skippedDigests,
                         long skippedInsights, long skippedNetworkActivity, long skippedFiles) {
    }

    public record Result(List<Finding> findings, Counts counts, List<Malformed> malformed, Instant now, Trail trail,
                         List<TrailFiles.SkippedFile> skippedFiles) {
    }

    /** Live counters, for a progress bar. */
    public static final class Progress {
        public final AtomicLong files = new AtomicLong();
        public final AtomicLong totalFiles = new AtomicLong();
        public final AtomicLong records = new AtomicLong();
    }

    private final Policy policy;
    private final int threads;
    private final Progress progress;

    public Replay(Policy policy, int threads, Progress progress) {
        this.policy = policy;
        this.threads = Math.max(1, threads);
        this.progress = progress == null ? new Progress() : progress;
    }

    public Replay(Policy policy) {
        this(policy, 1, null);
    }

    /** @param now when stale locks are judged; null for the latest eventTime read */
    public Result run(List<Path> paths, Instant now) {
        TrailFiles.Listing listing = TrailFiles.list(paths);
        List<Path> files = listing.files();
        progress.totalFiles.set(files.size());
        RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
        List<FileResult> results = new ArrayList<>();
        if (threads == 1 || files.size() < 2) {
            for (Path f : files) {
                results.add(readOne(reader, f));
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "statetrail-replay");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<FileResult>> futures = new ArrayList<>();
                for (Path f : files) {
                    futures.add(pool.submit(() -> readOne(reader, f)));
                }
                for (Future<FileResult> fut : futures) {
                    results.add(fut.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        Trail trail = new Trail();
        long records = 0, relevant = 0, duplicates = 0, malformedCount = 0;
        long[] skipped = new long[Skipped.values().length];
        List<Malformed> malformed = new ArrayList<>();
        String latest = null;
        for (FileResult r : results) {
            records += r.records;
            malformedCount += r.malformedCount;
            for (int k = 0; k < skipped.length; k++) {
                skipped[k] += r.skipped[k];
            }
            for (Malformed m : r.malformed) {
                if (malformed.size() < MAX_MALFORMED_KEPT) {
                    malformed.add(m);
                }
            }
            for (List<TrailEvent> events : r.relevant) {
                relevant++;
                if (trail.add(events) == Trail.Added.DUPLICATE) {
                    duplicates++;
                }
            }
            latest = later(latest, r.latestEventTime);
        }
        Instant judgedAt = now != null ? now : latest == null ? Instant.EPOCH : CloudTrailTimes.eventTime(latest);
        List<Finding> findings = Detections.run(trail, policy, judgedAt);
        Counts counts = new Counts(files.size(), records, relevant, duplicates, malformedCount, skipped[Skipped.DIGEST.ordinal()],
                skipped[Skipped.INSIGHT.ordinal()], skipped[Skipped.NETWORK_ACTIVITY.ordinal()], listing.skipped().size());
        return new Result(findings, counts, malformed, judgedAt, trail, listing.skipped());
    }

    private FileResult readOne(RecordReader reader, Path file) {
        FileResult r = new FileResult();
        reader.readFile(file, r);
        r.report();
        progress.files.incrementAndGet();
        return r;
    }

    /** Per-file collector: keeps only relevant events, so memory follows them, not the file. */
    private final class FileResult implements RecordSink {
        long records;
        /** Records already added to the progress counter; the rest are added every 1,024 and at the file's end. */
        long reported;
        long malformedCount;
        final long[] skipped = new long[Skipped.values().length];
        final List<List<TrailEvent>> relevant = new ArrayList<>();
        final List<Malformed> malformed = new ArrayList<>();
        String latestEventTime;

        @Override
        public void relevant(String source, long line, List<TrailEvent> events) {
            records++;
            report();
            relevant.add(events);
        }

        @Override
        public void irrelevant() {
            records++;
            if ((records & 1023) == 0) {
                report();
            }
        }

        @Override
        public void skipped(Skipped kind) {
            records++;
            skipped[kind.ordinal()]++;
        }

        @Override
        public void malformed(Malformed m) {
            records++;
            report();
            malformedCount++;
            if (malformed.size() < MAX_MALFORMED_KEPT) {
                malformed.add(m);
            }
        }

        void report() {
            progress.records.addAndGet(records - reported);
            reported = records;
        }

        @Override
        public void eventTime(String raw) {
            latestEventTime = later(latestEventTime, raw);
        }
    }

    /** The later of two eventTime strings, ignoring invalid ones; plain string order works for CloudTrail's fixed format. */
    static String later(String a, String b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return valid(b) ? b : null;
        }
        if (a.length() == 20 && b.length() == 20 && a.endsWith("Z") && b.endsWith("Z")) {
            // The string order is right only for valid times; "2026-11-31T25:61:00Z" sorts late too. Parsing only
            // when the latest moves on keeps this cheap (once per new second in time-ordered files).
            return b.compareTo(a) > 0 && valid(b) ? b : a;
        }
        if (!valid(b)) {
            return a;
        }
        return CloudTrailTimes.eventTime(b).isAfter(CloudTrailTimes.eventTime(a)) ? b : a;
    }

    private static boolean valid(String t) {
        try {
            CloudTrailTimes.eventTime(t);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The files under the paths that hold JSON (by their bytes, see {@link TrailFiles}), recursively, in name order. */
    public static List<Path> files(List<Path> paths) {
        return TrailFiles.list(paths).files();
    }
}
