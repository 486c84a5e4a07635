package io.statetrail.bench;

import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.terraform.StateObjects;
import io.statetrail.service.backfill.BackfillWorker;
import io.statetrail.service.backfill.Pacer;
import io.statetrail.service.backfill.RelevantRecords;
import io.statetrail.service.port.IngestQueue;
import io.statetrail.service.port.TrailArchive;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The backfill worker's own rate: a generated archive ({@code bench/generate.sh}) held in memory as the trail bucket,
 * a queue that only counts, one thread (run it under {@code taskset -c 0}: one Lambda vCPU at 1,769 MB). S3 and SQS
 * latency are not in it (docs/performance.md says how they add up).
 *
 * <pre>taskset -c 0 java -cp functions/bench/target/benchmarks.jar io.statetrail.bench.BackfillWorkerRate DIR [ROUNDS]</pre>
 */
public final class BackfillWorkerRate {

    private BackfillWorkerRate() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Policy policy = PolicyLoader.load(dir.resolve("policy.yaml"));
        Map<String, byte[]> objects = new HashMap<>();
        long bytes = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList()) {
                byte[] b = Files.readAllBytes(f);
                objects.put(dir.relativize(f).toString(), b);
                bytes += b.length;
            }
        }
        List<String> keys = objects.keySet().stream().sorted().toList();
        TrailArchive archive = (bucket, key) -> objects.get(key);
        AtomicLong sent = new AtomicLong();
        IngestQueue queue = bodies -> {
            sent.addAndGet(bodies.size());
            return List.of();
        };
        System.out.printf("%d log files, %.1f MB gzipped%n", keys.size(), bytes / 1e6);
        var cpu = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            RecordReader reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
            BackfillWorker worker = new BackfillWorker(archive, queue, new RelevantRecords(reader), Pacer.unlimited());
            long cpu0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            BackfillWorker.BatchResult r = worker.run("bench", keys, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30"), m -> { });
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf("round %d: %d files, %d records, %d relevant, %d sent in %d messages, %d malformed: %.2f s wall, %.2f s CPU,"
                            + " %.0f records/s wall, %.0f records per CPU-second%n", round, r.files(), r.records(), r.relevant(), r.sent(),
                    r.messages(), r.malformed(), wall, cpuSeconds, r.records() / wall, r.records() / cpuSeconds);
        }
    }
}
