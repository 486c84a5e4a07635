package io.statetrail.bench;

import io.statetrail.core.cloudtrail.Malformed;
import io.statetrail.core.cloudtrail.RecordClassifier;
import io.statetrail.core.cloudtrail.RecordReader;
import io.statetrail.core.cloudtrail.RecordSink;
import io.statetrail.core.event.TrailEvent;

import io.statetrail.bench.GenerateArchive;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.terraform.StateObjects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Record parsing and classification, the hot path of replay: single records through the Jackson path (as SQS and
 * EventBridge messages are read) and through the log-file fast path, and whole log files (700 records, 1% relevant,
 * the generator's mix) in memory and gzipped on disk. Per-record times: the log-file benchmarks count one operation
 * per record. In this package to reach the fast path directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordReaderBenchmark {

    static final int RECORDS = 700;

    RecordReader reader;
    String login;
    String ec2;
    byte[] loginFile;
    byte[] ec2File;
    byte[] s3File;
    byte[] logFile;
    Path gzFile;
    Path dir;

    /** Counts what comes out, so that nothing is optimised away. */
    static final class Sink implements RecordSink {
        final Blackhole bh;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void relevant(String source, long line, List<TrailEvent> events) {
            bh.consume(events);
        }

        @Override
        public void irrelevant() {
            bh.consume(1);
        }

        @Override
        public void malformed(Malformed malformed) {
            throw new IllegalStateException(malformed.toString());
        }

        @Override
        public void eventTime(String raw) {
            bh.consume(raw);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Policy policy;
        try (InputStream in = GenerateArchive.class.getResourceAsStream("/bench-policy.yaml")) {
            policy = PolicyLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bench-policy.yaml");
        }
        reader = new RecordReader(new RecordClassifier(new StateObjects(policy)));
        login = GenerateArchive.Samples.oidcLogin(1);
        ec2 = GenerateArchive.Samples.noise("ec2.amazonaws.com", "DescribeInstances", 1);
        String s3 = GenerateArchive.Samples.noise("s3.amazonaws.com", "GetObject", 1);
        loginFile = ("{\"Records\":[" + login + "]}").getBytes(StandardCharsets.UTF_8);
        ec2File = ("{\"Records\":[" + ec2 + "]}").getBytes(StandardCharsets.UTF_8);
        s3File = ("{\"Records\":[" + s3 + "]}").getBytes(StandardCharsets.UTF_8);
        logFile = GenerateArchive.Samples.logFile(RECORDS, 10, 1);
        dir = Files.createTempDirectory("statetrail-jmh");
        gzFile = dir.resolve("222222222222_CloudTrail_eu-west-1_20261120T1205Z_jmh.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzFile), 1 << 16)) {
            out.write(logFile);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(gzFile);
        Files.deleteIfExists(dir);
    }

    private void scan(byte[] doc, Blackhole bh) {
        if (!reader.fastPathOnly("jmh", new ByteArrayInputStream(doc), new Sink(bh))) {
            throw new IllegalStateException("fast path gave up");
        }
    }

    /** A GitHub OIDC login read by the Jackson path and classified (session, subject, expiry). */
    @Benchmark
    public void relevantRecordJackson(Blackhole bh) {
        reader.readString("jmh", login, new Sink(bh));
    }

    /** The same login in a one-record log file: the fast path hands it to the Jackson path. */
    @Benchmark
    public void relevantRecordFastPath(Blackhole bh) {
        scan(loginFile, bh);
    }

    /** An EC2 DescribeInstances (irrelevant) read by the Jackson path. */
    @Benchmark
    public void irrelevantRecordJackson(Blackhole bh) {
        reader.readString("jmh", ec2, new Sink(bh));
    }

    /** The same record in a one-record log file: scanned and dropped by the fast path. */
    @Benchmark
    public void irrelevantRecordFastPath(Blackhole bh) {
        scan(ec2File, bh);
    }

    /** An S3 GetObject on an application bucket: the fast path checks it is no state, lock or malformed record. */
    @Benchmark
    public void irrelevantS3RecordFastPath(Blackhole bh) {
        scan(s3File, bh);
    }

    /** A 700-record log file in memory, fast path: time per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void logFileFastPath(Blackhole bh) {
        scan(logFile, bh);
    }

    /** The same log file through the Jackson path only (what replay did before the fast path): time per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void logFileJacksonPath(Blackhole bh) {
        reader.read("jmh", new ByteArrayInputStream(logFile), 0, new Sink(bh));
    }

    /** The same log file gzipped on disk, as replay reads it (inflate included): time per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void logFileGzipped(Blackhole bh) {
        reader.readFile(gzFile, new Sink(bh));
    }

    /** Inflating that file and nothing else: the floor for {@link #logFileGzipped}. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long logFileInflateOnly() throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzFile), 1 << 16)) {
            int k;
            while ((k = in.read(buf)) > 0) {
                n += k;
            }
        }
        return n;
    }
}
