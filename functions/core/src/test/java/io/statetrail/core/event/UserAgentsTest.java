package io.statetrail.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run context configure-aws-credentials writes into the user agent, and client families, read defensively. */
class UserAgentsTest {

    /** As the action's STS client sends it since v6.2.0 (aws-sdk-js v3 renders {@code ['md','run_id#…']} as {@code md/run_id#…}). */
    static final String V6_2 = "aws-sdk-js/3.1111.0 ua/2.1 os/linux#6.11.0-1018-azure lang/js md/nodejs#24.4.0 api/sts#3.1111.0 m/N,E,e"
            + " configure-aws-credentials-for-github-actions md/action#__aws-actions_configure-aws-credentials md/run_id#16016216621"
            + " md/attempt#3";

    @Test
    void theActionsTokensGiveActionRunIdAndAttempt() {
        assertEquals(new UserAgents.RunContext("__aws-actions_configure-aws-credentials", "16016216621", "3"), UserAgents.runContext(V6_2));
        assertEquals(new UserAgents.RunContext(null, "16016216621", "3"), UserAgents.runContext("[" + V6_2.replace(
                " md/action#__aws-actions_configure-aws-credentials", "") + "]"), "the console's brackets");
    }

    @Test
    void absentCutOffOrHostileContextGivesNothingWrong() {
        assertEquals(UserAgents.RunContext.NONE, UserAgents.runContext(null));
        assertEquals(UserAgents.RunContext.NONE, UserAgents.runContext("aws-sdk-nodejs/2.1112.0 linux/v20.19.0 configure-aws-credentials-for-github-actions promise"));
        // Without the action's token, md/run_id is someone else's.
        assertEquals(UserAgents.RunContext.NONE, UserAgents.runContext("curl/8.5.0 md/run_id#1 md/attempt#1"));
        // Cut off after the run id (the attempt always follows it): the run id may be cut too.
        assertEquals(new UserAgents.RunContext("deploy", null, null),
                UserAgents.runContext("configure-aws-credentials-for-github-actions md/action#deploy md/run_id#1601621"));
        assertEquals(new UserAgents.RunContext(null, null, null), UserAgents.runContext(
                "configure-aws-credentials-for-github-actions md/action#<script>alert(1)</script> md/run_id#12ab md/attempt#9999999999999"));
        assertEquals("16016216621", UserAgents.runContext(V6_2 + " md/run_id#999").runId(), "the first one counts");
    }

    @Test
    void familiesNameTheClient() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("APN/1.0 HashiCorp/1.0 Terraform/1.5.2 (+https://www.terraform.io) terraform-provider-aws/5.7.0 aws-sdk-go-v2/1.18.1", "terraform"),
                Map.entry("OpenTofu/1.8.0 aws-sdk-go-v2/1.30.3", "opentofu"),
                Map.entry(V6_2, "configure-aws-credentials"),
                Map.entry("aws-cli/2.15.33 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off command/sts.assume-role", "aws-cli"),
                Map.entry("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux", "boto3"),
                Map.entry("aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.1", "aws-sdk-go"),
                Map.entry("aws-sdk-java/2.30.21 md/io#async ua/2.1", "aws-sdk-java"),
                Map.entry("curl/8.5.0", "curl"),
                Map.entry("python-requests/2.32.3", "python-requests"),
                Map.entry("Mozilla/5.0 (X11; Linux x86_64)", "browser"),
                Map.entry("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750]", "console"),
                Map.entry("AWS Internal", "aws-service"),
                Map.entry("cloudformation.amazonaws.com", "aws-service"),
                Map.entry("stratus-red-team_5c59eb79", "other"),
                Map.entry("", "none"));
        cases.forEach((ua, family) -> assertEquals(family, UserAgents.family(ua), ua));
    }
}
