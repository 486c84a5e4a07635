package io.statetrail.lambda;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.statetrail.alerts.FileAlertSink;
import io.statetrail.alerts.SlackAlertSink;
import io.statetrail.alerts.EventBridgeAlertSink;
import io.statetrail.alerts.SnsAlertSink;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.finding.Settle;
import io.statetrail.service.port.AlertSink;
import io.statetrail.service.port.LockProbe;
import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.RoleInventory;
import io.statetrail.service.port.TrailLookup;
import io.statetrail.service.query.AuditQueries;
import io.statetrail.store.dynamodb.DynamoAuditStore;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Wires the functions from {@link Settings}: the DynamoDB store (which also answers the query API's
 * {@code AuditQueries}), the policy, the alert sinks that are configured, the lock probe and the CloudTrail lookup.
 * Every bean is created on first use, so a function builds only what it needs (the query API never loads the policy
 * nor an SNS client).
 */
@Factory
public class StatetrailFactory {

    @Singleton
    Settings settings(Environment env) {
        return Settings.from(env);
    }

    /** The system clock; a fixed one when a local run says when its records arrive ({@code ./statetrail ingest --now}). */
    @Singleton
    Clock clock(Settings settings) {
        return settings.now() == null ? Clock.systemUTC() : Clock.fixed(settings.now(), java.time.ZoneOffset.UTC);
    }

    @Singleton
    Settle settle(Settings settings) {
        return new Settle(settings.settleWindow());
    }

    /** The ingest's lanes, shared by the ingestors of every policy version the instance loads. */
    @Singleton
    @Bean(preDestroy = "close")
    io.statetrail.service.ingest.Parallel ingestLanes(Settings settings) {
        return io.statetrail.service.ingest.Parallel.of(settings.ingestConcurrency());
    }

    @Singleton
    Log log() {
        return new Log(System.out, functionName());
    }

    @Singleton
    @Bean(preDestroy = "close")
    AwsClients aws(Settings settings) {
        return new AwsClients(settings);
    }

    /**
     * The functions' store. Not made where the application brings its own queries: {@code ./statetrail serve} registers
     * its DynamoDB Local store, and this module is on the CLI's class path too (its ingest runs the Lambda handler).
     */
    @Singleton
    @Requires(missingBeans = AuditQueries.class)
    DynamoAuditStore store(Settings settings, AwsClients aws, Clock clock) {
        return new DynamoAuditStore(aws.dynamoDb(), settings.requireTable(), clock, java.time.Duration.ofDays(settings.retentionDays()));
    }

    /** Who changes a finding's status: the signer of the Function URL request. Not made for the local server, which brings its own. */
    @Singleton
    @Requires(missingProperty = io.statetrail.api.ApiServer.LOOPBACK)
    io.statetrail.api.Requesters requesters() {
        return new FunctionUrlRequesters();
    }

    @Singleton
    PolicyCache policy(Settings settings, AwsClients aws, Clock clock, Log log) {
        String location = settings.requirePolicy();
        // The live service never stops over a suppression's date: an expired entry matches no finding after its day
        // anyway, and the sweeper's daily review reports it. ./statetrail (and so a deploy pipeline) refuses it.
        return new PolicyCache(() -> PolicySource.load(location, aws, null), clock, log);
    }

    @Singleton
    AlertDispatcher dispatcher(Settings settings, DynamoAuditStore store, AwsClients aws, Settle settle) {
        List<AlertSink> sinks = new ArrayList<>();
        if (settings.topicArn() != null) {
            sinks.add(new SnsAlertSink(aws::sns, settings.topicArn()));
        }
        if (settings.eventBus() != null) {
            sinks.add(new EventBridgeAlertSink(aws::eventBridge, settings.eventBus()));
        }
        if (settings.slackSecretArn() != null || settings.slackWebhookUrl() != null) {
            Supplier<String> url = settings.slackWebhookUrl() != null ? settings::slackWebhookUrl
                    : AwsClients.memo(() -> aws.secrets().getSecretValue(b -> b.secretId(settings.slackSecretArn())).secretString());
            sinks.add(new SlackAlertSink(url));
        }
        if (settings.alertFile() != null) {
            sinks.add(new FileAlertSink(Path.of(settings.alertFile()), System.err));
        }
        return new AlertDispatcher(store, sinks, settings.alertWindow(), settings.dashboardUrl(), settle);
    }

    @Singleton
    LockProbe lockProbe(Settings settings, AwsClients aws) {
        if (settings.local()) {
            // ./statetrail ingest and demo: never reach for the user's real lock tables or buckets.
            return (stateKey, store, account, region) -> LockProbe.Probe.unknown("local run: lock tables and buckets are not reachable");
        }
        return new AwsLockProbe(aws, settings.lockReaderRole(), homeAccount(settings, aws));
    }

    /** Posture's view of the accounts' IAM roles: never in a local run, which must not touch a real account. */
    @Singleton
    RoleInventory roleInventory(Settings settings, AwsClients aws) {
        if (settings.local()) {
            return account -> {
                throw new RoleInventory.Unavailable("local run: IAM is not read (use ./statetrail posture --aws)", null);
            };
        }
        return new AwsRoleInventory(aws::iam, settings.lockReaderRole(), homeAccount(settings, aws));
    }

    /** The functions' own account: {@code STATETRAIL_ACCOUNT}, else STS's answer, asked once on first need. */
    static Supplier<String> homeAccount(Settings settings, AwsClients aws) {
        return settings.account() != null ? settings::account : AwsClients.memo(() -> aws.sts().getCallerIdentity().account());
    }

    /** Issue 19: weakened stores looked at where they live, through the lock reader role in member accounts. */
    @Singleton
    StoreProbe storeProbe(Settings settings, AwsClients aws, LockProbe locks) {
        if (settings.local() || !(locks instanceof AwsLockProbe lockProbe)) {
            return StoreProbe.NONE;
        }
        AwsStoreProbe.Clients clients = new AwsStoreProbe.Clients() {
            @Override
            public software.amazon.awssdk.services.s3.S3Client s3(software.amazon.awssdk.regions.Region region, String role) {
                return aws.s3(region, role);
            }

            @Override
            public software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb(software.amazon.awssdk.regions.Region region, String role) {
                return aws.dynamoDb(region, role);
            }

            @Override
            public software.amazon.awssdk.services.kms.KmsClient kms(software.amazon.awssdk.regions.Region region, String role) {
                return aws.kms(region, role);
            }
        };
        return new AwsStoreProbe(clients, lockProbe::roleFor, aws.home());
    }

    @Singleton
    TrailLookup trailLookup(Settings settings, AwsClients aws) {
        if (settings.local()) {
            return (accessKeyId, from, to) -> java.util.List.of();
        }
        return new CloudTrailLookup(aws, settings.regions());
    }

    static String functionName() {
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        return name == null ? "local" : name;
    }
}
