package io.statetrail.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The physical limit for one core in Java: inflate every {@code .gz} file under the paths with
 * {@link GZIPInputStream} (the JDK's zlib, as replay uses) into a scratch buffer and nothing else.
 * Prints files, inflated bytes and seconds.
 *
 * <pre>java -cp functions/bench/target/benchmarks.jar io.statetrail.bench.InflateDrain DIR...</pre>
 */
public final class InflateDrain {

    private InflateDrain() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            try (Stream<Path> walk = Files.walk(Path.of(a))) {
                walk.filter(p -> p.getFileName().toString().endsWith(".gz")).sorted().forEach(files::add);
            }
        }
        long start = System.nanoTime();
        long bytes = drain(files);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("files=%d inflatedBytes=%d seconds=%.3f MBps=%.1f%n", files.size(), bytes, seconds, bytes / 1e6 / seconds);
    }

    static long drain(List<Path> files) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (Path f : files) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f), 1 << 16)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                }
            }
        }
        return total;
    }
}
