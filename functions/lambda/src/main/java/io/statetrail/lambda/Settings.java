package io.statetrail.lambda;

import io.micronaut.context.env.Environment;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * The functions' configuration, from environment variables (Micronaut maps {@code STATETRAIL_TABLE} to
 * {@code statetrail.table}). Every variable is listed in {@code docs/configuration.md}; the Terraform module sets them.
 */
public record Settings(
        String table,
        String topicArn,
        String slackSecretArn,
        String slackWebhookUrl,
        String alertFile,
        String policy,
        String dashboardUrl,
        int retentionDays,
        String lockReaderRole,
        Duration alertWindow,
        List<String> regions,
        String dynamodbEndpoint,
        String region,
        Duration staleLockReminder,
        Duration unattributedGrace,
        String account,
        boolean local,
        Duration settleWindow,
        java.time.Instant now,
        List<String> postureAccounts,
        String eventBus,
        int ingestConcurrency) {

    /** Defaults of the sweeper's timing, which {@code ./statetrail sweep} takes too. */
    public static final Duration DEFAULT_STALE_LOCK_REMINDER = Duration.ofHours(1);
    public static final Duration DEFAULT_UNATTRIBUTED_GRACE = Duration.ofMinutes(15);
    /** Steps of one batch the ingest runs at once (issue 18; docs/performance.md, "Parallel judging"). */
    public static final int DEFAULT_INGEST_CONCURRENCY = 8;

    public static Settings from(Environment env) {
        return new Settings(
                text(env, "statetrail.table"),
                text(env, "statetrail.topic-arn"),
                text(env, "statetrail.slack-secret-arn"),
                text(env, "statetrail.slack-webhook-url"),
                text(env, "statetrail.alert-file"),
                text(env, "statetrail.policy"),
                text(env, "statetrail.dashboard-url"),
                Integer.parseInt(orElse(text(env, "statetrail.retention-days"), "400")),
                text(env, "statetrail.lock-reader-role"),
                duration(env, "statetrail.alert-window", "PT15M"),
                regions(text(env, "statetrail.regions")),
                text(env, "statetrail.dynamodb-endpoint"),
                orElse(text(env, "aws.region"), "eu-west-1"),
                duration(env, "statetrail.stale-lock-reminder", DEFAULT_STALE_LOCK_REMINDER.toString()),
                duration(env, "statetrail.unattributed-grace", DEFAULT_UNATTRIBUTED_GRACE.toString()),
                text(env, "statetrail.account"),
                Boolean.parseBoolean(orElse(text(env, "statetrail.local"), "false")),
                settleWindow(orElse(text(env, "statetrail.settle-window"), "PT15M")),
                instant(text(env, "statetrail.now")),
                regions(text(env, "statetrail.posture-accounts")),
                text(env, "statetrail.event-bus"),
                ingestConcurrency(orElse(text(env, "statetrail.ingest-concurrency"), Integer.toString(DEFAULT_INGEST_CONCURRENCY))));
    }

    /** 1 judges a batch's units one at a time, as before issue 18; more side by side. */
    static int ingestConcurrency(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= io.statetrail.service.ingest.Parallel.MAX_LANES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("STATETRAIL_INGEST_CONCURRENCY '" + v + "' is not a whole number between 1 and "
                + io.statetrail.service.ingest.Parallel.MAX_LANES);
    }

    /** How long provisional findings wait before they page; PT0S pages everything at once. */
    static Duration settleWindow(String v) {
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative()) {
                throw new IllegalArgumentException("STATETRAIL_SETTLE_WINDOW must not be negative: " + v);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("STATETRAIL_SETTLE_WINDOW '" + v + "' is not an ISO-8601 duration such as PT15M");
        }
    }

    /** A fixed arrival time for local runs ({@code ./statetrail ingest --now}); null: the system clock. */
    private static java.time.Instant instant(String v) {
        if (v == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("statetrail.now '" + v + "' is not an ISO-8601 instant such as 2026-11-05T15:00:00Z");
        }
    }

    /** Values under {@code statetrail.*} come from {@code STATETRAIL_*}; empty means unset (Terraform writes ""). */
    private static String text(Environment env, String key) {
        String v = env.getProperty(key, String.class).orElse(null);
        if (v == null && key.equals("aws.region")) {
            v = System.getenv("AWS_REGION");
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String orElse(String v, String fallback) {
        return v == null ? fallback : v;
    }

    private static Duration duration(Environment env, String key, String fallback) {
        String v = orElse(text(env, key), fallback);
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(key + " must be positive: " + v);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key.toUpperCase().replace('.', '_').replace('-', '_')
                    + " '" + v + "' is not an ISO-8601 duration such as PT15M");
        }
    }

    private static List<String> regions(String v) {
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String requireTable() {
        if (table == null) {
            throw new IllegalStateException("STATETRAIL_TABLE is not set: the name of the DynamoDB audit table");
        }
        return table;
    }

    public String requirePolicy() {
        if (policy == null) {
            throw new IllegalStateException("STATETRAIL_POLICY is not set: s3://bucket/key, ssm:/parameter or a file path");
        }
        return policy;
    }
}
