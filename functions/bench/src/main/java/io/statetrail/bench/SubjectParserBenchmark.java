package io.statetrail.bench;

import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** OIDC subject parsing, done once per web-identity login (GitHub classic and immutable forms, GitLab, HCP Terraform). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubjectParserBenchmark {

    @Param({
        "repo:acme/infra:ref:refs/heads/main",
        "repo:acme/infra:environment:production",
        "repo:acme/infra:pull_request",
        "repo:acme@1234567/infra@89012345:ref:refs/heads/main",
        "project_path:acme/platform:ref_type:branch:ref:main",
        "organization:acme:project:Default Project:workspace:prod:run_phase:apply"})
    public String subject;

    @Benchmark
    public Subject parse() {
        return SubjectParser.parse(subject, "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com");
    }
}
