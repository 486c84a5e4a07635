package io.statetrail.alerts;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.Severity;
import io.statetrail.service.alert.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Findings with the hostile strings of events/scenarios/hostile-branch-name. */
final class Fixtures {
    static final String HOSTILE_SUBJECT = "repo:acme/infra:ref:refs/heads/<!channel> *urgent*";
    static final String DASHBOARD = "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/statetrail";

    private Fixtures() {
    }

    static Finding hostileWrite() {
        return new Finding("state-write-unexpected-subject-5f0c2a9d41b7e6c83a10", "state-write-unexpected-subject", Severity.CRITICAL,
                Instant.parse("2026-11-17T14:05:40Z"), "222222222222", HOSTILE_SUBJECT, "acme/infra", "refs/heads/<!channel> *urgent*",
                "arn:aws:iam::222222222222:role/gha-prod-apply", "acme-tfstate-prod/infra/payments/terraform.tfstate",
                "ASIAW6NHX2PA5XM55PNX", "ASIAW6NHX2PA5XM55PNX", List.of("arn:aws:iam::222222222222:role/gha-prod-apply"),
                List.of("7b1e0c55-3f0a-4f7e-9d8c-2a6b4c1d9e01", "c2f4a8e6-1b3d-4c5e-8f7a-9b0c1d2e3f40"),
                "subject " + HOSTILE_SUBJECT + " wrote state acme-tfstate-prod/infra/payments/terraform.tfstate via gha-prod-apply",
                1, Map.of("holder", "@here `rm -rf` _x_ ~y~ & <@U024BE7LH>"), null, false);
    }

    static Finding second() {
        Finding f = hostileWrite();
        return new Finding("state-write-unexpected-subject-0a1b2c3d4e5f60718293", f.type(), f.severity(), f.time().plusSeconds(30),
                f.account(), f.subject(), f.repository(), f.ref(), f.roleArn(), f.stateKey(), f.accessKeyId(), f.runKey(),
                f.roleChain(), List.of("d3e5f7a9-0b1c-4d2e-8f3a-4b5c6d7e8f90"), f.summary(), 2, Map.of(), null, false);
    }

    static Alert alert(Finding... findings) {
        return new Alert(io.statetrail.service.alert.AlertDispatcher.groupKey(findings[0]), findings[0].type(), findings[0].severity(),
                List.of(findings), DASHBOARD);
    }
}
