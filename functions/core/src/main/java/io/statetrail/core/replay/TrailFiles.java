package io.statetrail.core.replay;

import io.statetrail.core.cloudtrail.RecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which files hold CloudTrail, decided by their bytes, not their names: CloudTrail's {@code .json.gz}, Firehose's
 * extensionless or bare {@code .gz} objects, {@code .log} and {@code .jsonl} exports all qualify when, once inflated if
 * gzipped, they start with a JSON object or array. Anything else is listed as skipped with the reason.
 */
public final class TrailFiles {

    /** A file not read, and why. */
    public record SkippedFile(Path file, String reason) {
    }

    /** The files to read, in name order, and those skipped. */
    public record Listing(List<Path> files, List<SkippedFile> skipped) {
        public Listing {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    /** Bytes looked at to decide (a UTF-8 byte order mark and leading blank lines are passed over). */
    private static final int PEEK = 4096;

    private TrailFiles() {
    }

    /** Files under the paths, recursively, in name order; hidden files in folders are passed over silently. */
    public static Listing list(List<Path> paths) {
        List<Path> candidates = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().forEach(candidates::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                candidates.add(p);
            }
        }
        List<Path> files = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        for (Path f : candidates) {
            String why = whyNot(f);
            if (why == null) {
                files.add(f);
            } else {
                skipped.add(new SkippedFile(f, why));
            }
        }
        return new Listing(files, skipped);
    }

    /**
     * Null when the file may hold CloudTrail (it starts with a JSON object or array, or is gzip whose inflated bytes
     * do, or cannot be inflated at all: the reader reports that); else why it is skipped.
     */
    static String whyNot(Path file) {
        byte[] head;
        boolean gzip;
        try (InputStream in = RecordReader.open(file)) {
            gzip = isGzip(file);
            head = in.readNBytes(PEEK);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            return null; // gzip that is cut or corrupt: the reader reports it as malformed, with what it could read
        } catch (IOException e) {
            return "cannot open: " + e.getMessage();
        }
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
            i++;
        }
        if (i == head.length) {
            return head.length < PEEK ? (gzip ? "gzip holding nothing but blanks" : "empty file") : "over " + PEEK + " blank bytes";
        }
        if (head[i] == '{' || head[i] == '[') {
            return null;
        }
        return (gzip ? "gzip, but not JSON inside" : "not JSON or gzip") + " (starts with " + describe(head, i) + ")";
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return raw.read() == 0x1f && raw.read() == 0x8b;
        }
    }

    private static String describe(byte[] head, int at) {
        int b = head[at] & 0xff;
        if (b >= 0x20 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        return String.format("byte 0x%02x", b);
    }
}
