package io.statetrail.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a day of gzipped CloudTrail log files as a trail delivers them to S3
 * ({@code AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<stamp>_<rand>.json.gz}, one
 * {@code {"Records":[…]}} per file, records not in time order), for five account/region streams in five-minute files.
 * 99% of the records are everyday noise ({@link NoiseRecords}), 1% what statetrail follows ({@link TerraformRuns}),
 * with a few planted anomalies. Same arguments, same bytes: everything is drawn from the seed.
 *
 * <pre>java -cp functions/bench/target/benchmarks.jar io.statetrail.bench.GenerateArchive --records 1000000 --out DIR</pre>
 * Also writes {@code DIR/policy.yaml} (the policy the runs were planned against) and {@code DIR/manifest.properties}.
 */
public final class GenerateArchive {

    static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    static final int SLOT_SECONDS = 300;
    static final int SLOTS = 24 * 3600 / SLOT_SECONDS;

    private GenerateArchive() {
    }

    /** One log file to write: its stream, its five minutes, how many records, and the relevant ones in it. */
    private record Plan(int index, Accounts.Stream stream, int slot, int count, List<TerraformRuns.Rec> relevant) {
    }

    public static void main(String[] args) throws Exception {
        long records = 1_000_000;
        Path out = Path.of("target/bench-data");
        long seed = 42;
        int perMille = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--records" -> { records = Long.parseLong(v); i++; }
                case "--out" -> { out = Path.of(v); i++; }
                case "--seed" -> { seed = Long.parseLong(v); i++; }
                case "--relevant-per-mille" -> { perMille = Integer.parseInt(v); i++; }
                case "--threads" -> { threads = Integer.parseInt(v); i++; }
                default -> {
                    System.err.println("usage: GenerateArchive [--records N] [--out DIR] [--seed S] [--relevant-per-mille P] [--threads T]");
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        Summary s = generate(records, out, seed, perMille, threads);
        System.err.printf("generated %d files, %d records (%d planted as the relevant share), %.1f MB gzipped, %.1f MB of JSON, in %.1f s -> %s%n",
                s.files, s.records, s.relevant, s.gzBytes / 1e6, s.rawBytes / 1e6, (System.nanoTime() - started) / 1e9, out);
    }

    record Summary(long files, long records, long relevant, long gzBytes, long rawBytes) {
    }

    public static Summary generate(long records, Path out, long seed, int perMille, int threads) throws Exception {
        SplittableRandom root = new SplittableRandom(seed);
        List<TerraformRuns.Rec> relevant = TerraformRuns.plan(root.split(), DAY, records * perMille / 1000);
        List<Plan> plans = planFiles(root.split(), records, relevant);
        Map<String, List<Principal>> pools = new HashMap<>();
        SplittableRandom poolRandom = root.split();
        for (String account : List.of(Accounts.TOOLING, Accounts.PROD, Accounts.STAGING)) {
            pools.put(account, Principal.pool(account, poolRandom.split(), DAY));
        }
        clean(out.resolve("AWSLogs"));
        AtomicLong gz = new AtomicLong(), raw = new AtomicLong(), total = new AtomicLong();
        long fileSeed = root.nextLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Plan p : plans) {
                futures.add(pool.submit(() -> {
                    long[] sizes = writeFile(out, p, new SplittableRandom(fileSeed ^ (0x9E3779B97F4A7C15L * (p.index + 1))), pools);
                    gz.addAndGet(sizes[0]);
                    raw.addAndGet(sizes[1]);
                    total.addAndGet(sizes[2]);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Files.createDirectories(out);
        try (InputStream in = GenerateArchive.class.getResourceAsStream("/bench-policy.yaml")) {
            Files.write(out.resolve("policy.yaml"), in.readAllBytes());
        }
        Summary summary = new Summary(plans.size(), total.get(), relevant.size(), gz.get(), raw.get());
        Files.writeString(out.resolve("manifest.properties"), String.join("\n",
                "# written by io.statetrail.bench.GenerateArchive",
                "seed=" + seed, "files=" + summary.files, "records=" + summary.records, "planted=" + summary.relevant,
                "relevantPerMille=" + perMille, "gzipBytes=" + summary.gzBytes, "jsonBytes=" + summary.rawBytes, ""));
        return summary;
    }

    /** Samples for benchmarks, drawn like the archive: one log file's JSON, single records. */
    public static final class Samples {
        /** {@code {"Records":[…]}} with {@code records} records of prod/eu-west-1, {@code relevantPerMille} of them relevant. */
        public static byte[] logFile(int records, int relevantPerMille, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            List<TerraformRuns.Rec> relevant = new ArrayList<>(TerraformRuns.plan(r.split(), DAY, Math.max(1, (long) records * relevantPerMille / 1000)));
            List<Principal> pool = Principal.pool(Accounts.PROD, r.split(), DAY);
            List<String> recs = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                if (i < relevant.size() && recs.size() < records * relevantPerMille / 1000 + 1) {
                    recs.add(relevant.get(i).json());
                    continue;
                }
                StringBuilder sb = new StringBuilder(2048);
                NoiseRecords.write(new Json(sb), r, Accounts.STREAMS.get(1), DAY.plusSeconds(r.nextInt(86_000)), pool);
                recs.add(sb.toString());
            }
            java.util.Collections.shuffle(recs, new java.util.Random(seed));
            return ("{\"Records\":[" + String.join(",", recs) + "]}").getBytes(StandardCharsets.UTF_8);
        }

        /** The first planted record: a GitHub OIDC login (AssumeRoleWithWebIdentity). */
        public static String oidcLogin(long seed) {
            return TerraformRuns.plan(new SplittableRandom(seed), DAY, 1).get(0).json();
        }

        /** An irrelevant record of the given event source (e.g. {@code ec2.amazonaws.com}, {@code s3.amazonaws.com}). */
        public static String noise(String eventSource, String eventName, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            List<Principal> pool = Principal.pool(Accounts.PROD, r.split(), DAY);
            for (int i = 0; i < 1_000_000; i++) {
                StringBuilder sb = new StringBuilder(2048);
                NoiseRecords.write(new Json(sb), r, Accounts.STREAMS.get(1), DAY.plusSeconds(3600), pool);
                String json = sb.toString();
                if (json.contains("\"eventSource\":\"" + eventSource + "\",\"eventName\":\"" + eventName + "\"") && !json.contains("errorCode")) {
                    return json;
                }
            }
            throw new IllegalArgumentException("no " + eventSource + " " + eventName + " in the mix");
        }

        private Samples() {
        }
    }

    /** File sizes follow each stream's weight and the time of day, like real delivery. */
    private static List<Plan> planFiles(SplittableRandom r, long records, List<TerraformRuns.Rec> relevant) {
        List<Accounts.Stream> streams = Accounts.STREAMS;
        int n = SLOTS * streams.size();
        double[] weights = new double[n];
        double sum = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            double hour = slot * SLOT_SECONDS / 3600.0;
            double diurnal = 1 + 0.5 * Math.sin(2 * Math.PI * (hour - 9) / 24);
            for (int s = 0; s < streams.size(); s++) {
                double w = streams.get(s).weight() * diurnal * (0.7 + 0.6 * r.nextDouble());
                weights[slot * streams.size() + s] = w;
                sum += w;
            }
        }
        Map<Integer, List<TerraformRuns.Rec>> byFile = new HashMap<>();
        for (TerraformRuns.Rec rec : relevant) {
            int slot = (int) Math.min(SLOTS - 1, Duration.between(DAY, rec.time()).getSeconds() / SLOT_SECONDS);
            int s = streamIndex(rec.account(), rec.region());
            byFile.computeIfAbsent(slot * streams.size() + s, k -> new ArrayList<>()).add(rec);
        }
        List<Plan> plans = new ArrayList<>(n);
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            long count = i == n - 1 ? records - assigned : Math.round(records * weights[i] / sum);
            assigned += count;
            List<TerraformRuns.Rec> rel = byFile.getOrDefault(i, List.of());
            int c = (int) Math.max(count, rel.size());
            if (c > 0) {
                plans.add(new Plan(i, streams.get(i % streams.size()), i / streams.size(), c, rel));
            }
        }
        return plans;
    }

    private static int streamIndex(String account, String region) {
        for (int i = 0; i < Accounts.STREAMS.size(); i++) {
            Accounts.Stream s = Accounts.STREAMS.get(i);
            if (s.account().equals(account) && s.region().equals(region)) {
                return i;
            }
        }
        throw new IllegalStateException("no stream for " + account + " " + region);
    }

    /** @return gzipped bytes, JSON bytes, records */
    private static long[] writeFile(Path out, Plan p, SplittableRandom r, Map<String, List<Principal>> pools) throws IOException {
        Accounts.Stream stream = p.stream;
        Instant slotStart = DAY.plusSeconds((long) p.slot * SLOT_SECONDS);
        List<String> recs = new ArrayList<>(p.count);
        for (TerraformRuns.Rec rec : p.relevant) {
            recs.add(rec.json());
        }
        List<Principal> pool = pools.get(stream.account());
        StringBuilder sb = new StringBuilder(2048);
        for (int i = p.relevant.size(); i < p.count; i++) {
            sb.setLength(0);
            NoiseRecords.write(new Json(sb), r, stream, slotStart.plusSeconds(r.nextInt(SLOT_SECONDS)), pool);
            recs.add(sb.toString());
        }
        // CloudTrail does not sort records within a file.
        for (int i = recs.size() - 1; i > 0; i--) {
            int k = r.nextInt(i + 1);
            String tmp = recs.get(i);
            recs.set(i, recs.get(k));
            recs.set(k, tmp);
        }
        Instant delivered = slotStart.plusSeconds(SLOT_SECONDS);
        String name = stream.account() + "_CloudTrail_" + stream.region() + "_" + Ids.FILE_STAMP.format(delivered) + "_"
                + Ids.alnum(r, 16) + ".json.gz";
        Path dir = out.resolve("AWSLogs").resolve(stream.account()).resolve("CloudTrail").resolve(stream.region())
                .resolve(Ids.DAY_PATH.format(slotStart));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        long rawBytes = 0;
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] head = "{\"Records\":[".getBytes(StandardCharsets.UTF_8);
            os.write(head);
            rawBytes += head.length;
            for (int i = 0; i < recs.size(); i++) {
                byte[] b = ((i == 0 ? "" : ",") + recs.get(i)).getBytes(StandardCharsets.UTF_8);
                os.write(b);
                rawBytes += b.length;
            }
            os.write("]}".getBytes(StandardCharsets.UTF_8));
            rawBytes += 2;
        }
        return new long[] {Files.size(file), rawBytes, recs.size()};
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
