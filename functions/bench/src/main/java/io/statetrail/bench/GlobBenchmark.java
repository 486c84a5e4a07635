package io.statetrail.bench;

import io.statetrail.core.policy.Glob;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IAM-style glob matching, run for every policy check: a state key against a state entry, a subject against role
 * patterns, a miss on the first character, and a hostile many-star pattern (the two-pointer matcher stays linear-ish).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GlobBenchmark {

    final Glob stateEntry = Glob.of("acme-tfstate-prod/infra/*");
    final Glob subjectAny = Glob.of("repo:acme/infra:*");
    final Glob subjectExact = Glob.of("repo:acme/infra:ref:refs/heads/main");
    final Glob hostile = Glob.of("*a*a*a*a*a*a*a*b");
    final String stateKey = "acme-tfstate-prod/infra/network/terraform.tfstate";
    final String appObject = "acme-app-assets-prod/assets/img/3f2a/9c1d2e3f4a5b6c7d8e9f0a1b.webp";
    final String subject = "repo:acme/infra:ref:refs/heads/main";
    final String longA = "a".repeat(200);

    @Benchmark
    public boolean stateKeyMatches() {
        return stateEntry.matches(stateKey);
    }

    @Benchmark
    public boolean otherObjectMisses() {
        return stateEntry.matches(appObject);
    }

    @Benchmark
    public boolean subjectWildcard() {
        return subjectAny.matches(subject);
    }

    @Benchmark
    public boolean subjectLiteral() {
        return subjectExact.matches(subject);
    }

    @Benchmark
    public boolean hostilePattern() {
        return hostile.matches(longA);
    }
}
