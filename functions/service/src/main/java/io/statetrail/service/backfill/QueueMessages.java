package io.statetrail.service.backfill;

import io.statetrail.service.port.IngestQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs relevant records into ingest-queue messages: each message is a CloudTrail log file of its own
 * ({@code {"Records":[…]}}, a shape the ingest reads in an SQS body), of at most {@link #MESSAGE_BYTES} (SQS bills a
 * request per 64 KiB of payload) unless one record alone is bigger; the messages go in sends of at most ten messages
 * and 256 KiB ({@link IngestQueue}). A record too big for a send on its own is set aside, never cut.
 */
public final class QueueMessages {

    /** SQS counts every 64 KiB of a payload as one request. */
    public static final int MESSAGE_BYTES = 64 * 1024;
    private static final String HEAD = "{\"Records\":[";
    private static final String TAIL = "]}";
    private static final int FRAME = HEAD.length() + TAIL.length();

    /** One message: its body and how many records it carries. */
    public record Message(String body, int records) {
    }

    /** The messages, and the records no message can carry. */
    public record Packed(List<Message> messages, List<String> tooLarge) {
        public Packed {
            messages = List.copyOf(messages);
            tooLarge = List.copyOf(tooLarge);
        }
    }

    private QueueMessages() {
    }

    public static Packed pack(List<String> records) {
        List<Message> bodies = new ArrayList<>();
        List<String> tooLarge = new ArrayList<>();
        StringBuilder body = new StringBuilder(HEAD);
        int bytes = FRAME;
        int count = 0;
        for (String r : records) {
            int size = utf8(r);
            if (size + FRAME > IngestQueue.MAX_BATCH_BYTES) {
                tooLarge.add(r);
                continue;
            }
            if (count > 0 && bytes + 1 + size > MESSAGE_BYTES) {
                bodies.add(new Message(body.append(TAIL).toString(), count));
                body = new StringBuilder(HEAD);
                bytes = FRAME;
                count = 0;
            }
            if (count > 0) {
                body.append(',');
                bytes++;
            }
            body.append(r);
            bytes += size;
            count++;
        }
        if (count > 0) {
            bodies.add(new Message(body.append(TAIL).toString(), count));
        }
        return new Packed(bodies, tooLarge);
    }

    /** Consecutive messages grouped into sends of at most ten messages and 256 KiB. */
    public static List<List<Message>> sends(List<Message> messages) {
        List<List<Message>> sends = new ArrayList<>();
        List<Message> current = new ArrayList<>();
        int bytes = 0;
        for (Message b : messages) {
            int size = utf8(b.body());
            if (!current.isEmpty() && (current.size() == IngestQueue.MAX_BATCH_MESSAGES || bytes + size > IngestQueue.MAX_BATCH_BYTES)) {
                sends.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(b);
            bytes += size;
        }
        if (!current.isEmpty()) {
            sends.add(current);
        }
        return sends;
    }

    static int utf8(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
