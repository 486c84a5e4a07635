package io.statetrail.service.backfill;

import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.service.port.IngestQueue;
import io.statetrail.service.port.TrailArchive;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One batch of a backfill: log files of the trail bucket read, their relevant records sent to the ingest queue. What
 * happens to them there is the live ingest's business; it is order- and duplicate-independent, so a batch (or a whole
 * range) may run again without harm.
 *
 * <p>A file outside the range is passed over unread (counted). A file that cannot be read, or whose records cannot all
 * be sent, is tried again ({@link #TRIES} in all, with a doubling pause) and then listed as failed with the reason,
 * never dropped silently. Bad records in a file are counted and kept aside (reported with their line) and never stop
 * the rest of the file or batch.
 */
public final class BackfillWorker {

    /** Tries per file, and per send of a file's messages. */
    public static final int TRIES = 3;
    /**
     * Log files fetched ahead of the one being read: a GET of a few hundred kilobytes waits tens of milliseconds on S3,
     * about as long as reading it takes, so fetching ahead keeps the CPU busy (docs/performance.md, "Backfill").
     */
    public static final int READ_AHEAD = 4;
    private static final long FIRST_PAUSE_MILLIS = 200;

    private final TrailArchive archive;
    private final IngestQueue queue;
    private final RelevantRecords records;
    private final Pacer pacer;

    public BackfillWorker(TrailArchive archive, IngestQueue queue, RelevantRecords records, Pacer pacer) {
        this.archive = archive;
        this.queue = queue;
        this.records = records;
        this.pacer = pacer;
    }

    /** A file not read or not sent in full, and why. */
    public record FailedFile(String key, String reason) {
    }

    /**
     * What one batch did.
     *
     * @param files        log files read (in range)
     * @param outsideRange log files passed over, their day outside the range
     * @param records      records read, of every kind
     * @param relevant     relevant records found
     * @param sent         relevant records the queue took
     * @param messages     messages the queue took
     * @param malformed    records that could not be read
     * @param skipped      digests, Insights and network activity records
     * @param failedFiles  files given up on, with why
     */
    public record BatchResult(long files, long outsideRange, long records, long relevant, long sent, long messages, long malformed,
                              long skipped, List<FailedFile> failedFiles) {
        public BatchResult {
            failedFiles = List.copyOf(failedFiles);
        }
    }

    /**
     * @param bucket        the trail bucket
     * @param keys          the batch's log files
     * @param from          first day of the range (UTC, included)
     * @param to            last day of the range (UTC, included)
     * @param malformedSeen told of every bad record, for the log
     */
    public BatchResult run(String bucket, List<String> keys, LocalDate from, LocalDate to, Consumer<Malformed> malformedSeen) {
        Tally t = new Tally();
        List<String> inRange = new ArrayList<>();
        for (String key : keys) {
            if (LogFileDates.inRange(key, from, to)) {
                inRange.add(key);
            } else {
                t.outsideRange++;
            }
        }
        ExecutorService fetchers = Executors.newFixedThreadPool(READ_AHEAD, r -> {
            Thread th = new Thread(r, "backfill-read");
            th.setDaemon(true);
            return th;
        });
        try {
            Deque<Future<byte[]>> ahead = new ArrayDeque<>();
            int next = 0;
            for (String key : inRange) {
                while (next < inRange.size() && ahead.size() <= READ_AHEAD) {
                    String k = inRange.get(next++);
                    ahead.add(fetchers.submit(() -> readWithRetries(bucket, k)));
                }
                t.files++;
                byte[] document;
                try {
                    document = ahead.poll().get();
                } catch (ExecutionException e) {
                    String why = e.getCause() instanceof TrailArchive.Unreadable u ? u.getMessage() : String.valueOf(e.getCause());
                    t.failed.add(new FailedFile(key, "cannot read: " + why));
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    t.failed.add(new FailedFile(key, "interrupted"));
                    continue;
                }
                handle(bucket, key, document, t, malformedSeen);
            }
        } finally {
            fetchers.shutdownNow();
        }
        return new BatchResult(t.files, t.outsideRange, t.records, t.relevant, t.sent, t.messages, t.malformed, t.skipped, t.failed);
    }

    private void handle(String bucket, String key, byte[] document, Tally t, Consumer<Malformed> malformedSeen) {
        RelevantRecords.FileRecords file = records.read("s3://" + bucket + "/" + key, document);
        t.records += file.records();
        t.relevant += file.relevant().size();
        t.malformed += file.malformed().size();
        t.skipped += file.skipped();
        file.malformed().forEach(malformedSeen);
        QueueMessages.Packed packed = QueueMessages.pack(file.relevant());
        String sendFailure = send(packed, t);
        if (!packed.tooLarge().isEmpty()) {
            t.failed.add(new FailedFile(key, packed.tooLarge().size() + " relevant record(s) over the queue's 256 KiB limit"));
        } else if (sendFailure != null) {
            t.failed.add(new FailedFile(key, sendFailure));
        }
    }

    private byte[] readWithRetries(String bucket, String key) {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return archive.read(bucket, key);
            } catch (TrailArchive.Unreadable e) {
                if (!e.retryable() || attempt == TRIES) {
                    throw e;
                }
            }
            pacer.pause(pause);
            pause *= 2;
        }
    }

    /** Sends a file's messages; null when the queue took them all, else why not. */
    private String send(QueueMessages.Packed packed, Tally t) {
        String failure = null;
        for (List<QueueMessages.Message> batch : QueueMessages.sends(packed.messages())) {
            pacer.acquire(batch.stream().mapToLong(QueueMessages.Message::records).sum());
            List<QueueMessages.Message> pending = batch;
            long pause = FIRST_PAUSE_MILLIS;
            String reason = null;
            for (int attempt = 1; attempt <= TRIES && !pending.isEmpty(); attempt++) {
                if (attempt > 1) {
                    pacer.pause(pause);
                    pause *= 2;
                }
                List<IngestQueue.Rejected> answer;
                try {
                    answer = queue.send(pending.stream().map(QueueMessages.Message::body).toList());
                } catch (RuntimeException e) {
                    reason = e.getMessage();
                    continue;
                }
                boolean[] refused = new boolean[pending.size()];
                boolean retryable = true;
                for (IngestQueue.Rejected r : answer) {
                    refused[r.index()] = true;
                    reason = r.reason();
                    retryable &= !r.senderFault();
                }
                List<QueueMessages.Message> again = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    if (refused[i]) {
                        again.add(pending.get(i));
                    } else {
                        t.messages++;
                        t.sent += pending.get(i).records();
                    }
                }
                pending = again;
                if (!retryable) {
                    break;
                }
            }
            if (!pending.isEmpty()) {
                failure = pending.size() + " message(s) not sent: " + reason;
            }
        }
        return failure;
    }

    private static final class Tally {
        long files;
        long outsideRange;
        long records;
        long relevant;
        long sent;
        long messages;
        long malformed;
        long skipped;
        final List<FailedFile> failed = new ArrayList<>();
    }
}
