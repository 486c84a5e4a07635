package io.statetrail.cli;

import io.statetrail.core.detect.Posture;
import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.iam.AccountInventory;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyException;
import io.statetrail.core.policy.PolicyLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statetrail posture --aws}: the roles that exist, judged as the sweeper judges them once a day. */
@Command(name = "posture", mixinStandardHelpOptions = true,
        description = {"Judge the IAM roles that exist as the trail's trust-policy changes are judged.",
                "Reports every role an OIDC provider can assume too widely, with the trust-policy logic of "
                + "trust-policy-weakened (oidc-trust-too-wide), and every role a CI provider (GitHub, GitLab, HCP Terraform) can assume "
                + "that no policy entry covers (oidc-role-unlisted).",
                "Reads IAM with the caller's credentials (read-only: iam:ListRoles, iam:GetRole, iam:ListOpenIDConnectProviders). "
                        + "Findings go to stdout, one JSON object per line (a table on a terminal); counts and unreadable accounts to stderr."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ran", "1:an account could not be read (the others are reported)", "2:usage or policy error",
                "3:a finding at or above --fail-on"})
public final class PostureCommand implements Callable<Integer> {

    @Mixin
    IamAccess iam;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "policy YAML whose roles entries say which subjects each role is for (default: none, so every CI role is unlisted)")
    Path policyFile;

    @Option(names = "--format", paramLabel = "jsonl|table", description = "output format (default: jsonl unless stdout is a terminal)")
    FindingOutput.Format format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "exit 3 when a finding at or above this severity exists (low, medium, high, critical)")
    String failOn;

    /** The clock findings are stamped with (a test's fixed one). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintStream err = System.err;
        String problem = iam.aws ? iam.problem() : "posture reads IAM: give --aws (with --profile P and --accounts A,B as needed)";
        Severity threshold = null;
        if (problem == null && failOn != null) {
            try {
                threshold = Severity.parse(failOn);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            err.println("statetrail posture: " + problem);
            return Main.EXIT_USAGE;
        }
        Policy policy = Policy.empty();
        if (policyFile != null) {
            try {
                policy = PolicyLoader.load(policyFile, java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
            } catch (PolicyException e) {
                err.println("statetrail posture: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
        } else {
            err.println("statetrail posture: no --policy given: every role a CI provider can assume is reported unlisted");
        }
        IamAccess.Read read = iam.read("posture", err);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Finding> findings = new ArrayList<>();
        int roles = 0;
        int oidc = 0;
        for (AccountInventory account : read.accounts()) {
            int accountOidc = (int) account.roles().stream().filter(r -> !r.oidcTrusts().isEmpty()).count();
            roles += account.roles().size();
            oidc += accountOidc;
            String who = account.account() != null ? "account " + account.account()
                    : account.roles().isEmpty() ? "the caller's account" : "account " + account.roles().get(0).account();
            err.println("statetrail posture: " + who + ": " + account.roles().size() + " roles (" + accountOidc
                    + " an OIDC provider can assume), OIDC providers: "
                    + (account.oidcProviders().isEmpty() ? "none" : TerminalText.safe(String.join(", ", account.oidcProviders()))));
            findings.addAll(Posture.run(account, policy, now));
        }
        FindingOutput.print(findings, format != null ? format : FindingOutput.defaultFormat(), System.out);
        err.printf("statetrail: %d accounts read, %d could not be, %d roles (%d an OIDC provider can assume), %d findings%n",
                read.accounts().size(), read.failures().size(), roles, oidc, findings.size());
        err.flush();
        if (threshold != null) {
            for (Finding f : findings) {
                if (f.severity().atLeast(threshold)) {
                    return Main.EXIT_FINDINGS;
                }
            }
        }
        return read.failures().isEmpty() ? 0 : 1;
    }
}
