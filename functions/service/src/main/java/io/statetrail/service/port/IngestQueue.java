package io.statetrail.service.port;

import java.util.List;

/**
 * The live ingest's queue, send-only: the backfill hands it the relevant records of old log files, which the ingest
 * then judges like any other delivery (order- and duplicate-independent, so a rerun is harmless).
 */
public interface IngestQueue {

    /** At most this many messages go in one send ({@code SendMessageBatch}). */
    int MAX_BATCH_MESSAGES = 10;
    /** At most this many bytes of bodies go in one send: SQS's classic batch payload limit, 256 KiB. */
    int MAX_BATCH_BYTES = 256 * 1024;

    /**
     * Sends one batch of message bodies.
     *
     * @return the positions (in {@code bodies}) of the messages that were not accepted, with why; empty when all were
     * @throws RuntimeException when the whole send failed
     */
    List<Rejected> send(List<String> bodies);

    /** A message the queue did not take: its position in the batch and the queue's reason. */
    record Rejected(int index, String reason, boolean senderFault) {
    }
}
