package io.statetrail.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The 1%: what statetrail follows. GitHub Actions runs log in with OIDC, some hop through the tooling account,
 * take a lock ({@code .tflock} object or DynamoDB {@code LockID} item), read and write their state and release the
 * lock; AWS services assume their roles (relevant too: every successful AssumeRole is lineage). Runs on one state
 * never overlap, so benign runs raise nothing; a handful of planted anomalies each raise known findings.
 */
final class TerraformRuns {

    /** One relevant record, to be placed in the log file of its account, region and five minutes. */
    record Rec(String account, String region, Instant time, String json) {
    }

    /** A session that makes calls: a web-identity or chained role session, or an IAM user. */
    private record Session(String account, String roleName, String roleId, String sessionName, String key, Instant created,
            String provider, String ip, boolean iamUser) {
        String arn() {
            return iamUser ? "arn:aws:iam::" + account + ":user/" + sessionName
                    : "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
        }
    }

    static final String PROD_BUCKET = "acme-tfstate-prod";
    static final String STAGING_BUCKET = "acme-tfstate-staging";
    static final String LOCK_TABLE = "acme-tf-locks";
    static final String TF_UA = "APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) aws-sdk-go-v2/1.36.3 ua/2.1 "
            + "os/linux lang/go#1.23.8 md/GOOS#linux md/GOARCH#amd64 api/%s m/E,G,Z";
    static final String GHA_UA = "aws-sdk-js/3.699.0 ua/2.1 os/linux#6.8.0-1021-azure lang/js md/nodejs#20.18.1 api/sts#3.699.0 "
            + "m/E,N configure-aws-credentials-for-github-actions";

    private static final String[] INFRA = {"network", "dns", "eks", "rds", "iam", "monitoring", "cdn", "queues", "storage",
            "vpc", "secrets", "payments", "search", "cache", "edge", "mail", "backup", "bastion", "kms", "ecr"};
    private static final String[] PLATFORM = {"shared-services", "observability", "ci-runners", "artifact-store", "sso",
            "org-policies", "guardrails", "cost"};
    private static final String[] WORKSPACES = {"staging", "qa", "perf", "demo", "load", "sandbox"};
    private static final String[] SERVICE_ROLES = {"lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com"};

    private final SplittableRandom r;
    private final Instant dayStart;
    private final Instant dayEnd;
    private final List<Rec> out = new ArrayList<>();
    private final Map<String, List<Instant[]>> busy = new HashMap<>();
    private final Map<String, String> roleIds = new HashMap<>();
    private int anomalies;

    private TerraformRuns(SplittableRandom r, Instant dayStart) {
        this.r = r;
        this.dayStart = dayStart;
        this.dayEnd = dayStart.plus(Duration.ofDays(1));
    }

    /** About {@code target} relevant records over the day: ~70% Terraform runs, ~30% service role sessions. */
    static List<Rec> plan(SplittableRandom r, Instant dayStart, long target) {
        TerraformRuns runs = new TerraformRuns(r, dayStart);
        runs.anomalies();
        long terraform = target * 7 / 10;
        int guard = 0;
        while (runs.out.size() < terraform && guard++ < 10_000_000) {
            runs.randomRun();
        }
        while (runs.out.size() < target) {
            runs.serviceAssumeRole(runs.randomTime(0, 24 * 3600 - 1));
        }
        return runs.out;
    }

    int anomalyCount() {
        return anomalies;
    }

    // ---- runs ---------------------------------------------------------------------------------------------------

    private void randomRun() {
        int kind = r.nextInt(100);
        Instant t = randomTime(300, 23 * 3600 + 1800);
        if (kind < 35) {
            String key = "infra/" + Ids.pick(r, INFRA) + "/terraform.tfstate";
            Instant start = reserve(PROD_BUCKET + "/" + key, t, 360);
            if (start != null) {
                s3LockedRun(start, Accounts.PROD, "eu-west-1", "gha-prod-apply", "repo:acme/infra:ref:refs/heads/main",
                        PROD_BUCKET, key, true);
            }
        } else if (kind < 65) {
            String key = "infra/" + Ids.pick(r, INFRA) + "/terraform.tfstate";
            Instant start = reserve(PROD_BUCKET + "/" + key, t, 180);
            if (start != null) {
                s3LockedRun(start, Accounts.PROD, "eu-west-1", "gha-prod-plan", "repo:acme/infra:pull_request",
                        PROD_BUCKET, key, false);
            }
        } else if (kind < 85) {
            boolean prod = r.nextInt(3) != 0;
            String bucket = prod ? PROD_BUCKET : STAGING_BUCKET;
            String key = "platform/" + Ids.pick(r, PLATFORM) + "/terraform.tfstate";
            Instant start = reserve(bucket + "/" + key, t, 420);
            if (start != null) {
                toolingHopRun(start, prod ? Accounts.PROD : Accounts.STAGING, prod ? "eu-west-1" : "us-east-1", bucket, key);
            }
        } else {
            String key = "env:/" + Ids.pick(r, WORKSPACES) + "/app/terraform.tfstate";
            Instant start = reserve(STAGING_BUCKET + "/" + key, t, 360);
            if (start != null) {
                s3LockedRun(start, Accounts.STAGING, "us-east-1", "gha-staging-apply", "repo:acme/infra:environment:staging",
                        STAGING_BUCKET, key, true);
            }
        }
    }

    /** Runs on one state never overlap (Terraform's lock would refuse the second): a run waits for a free slot. */
    private Instant reserve(String stateKey, Instant wanted, int seconds) {
        List<Instant[]> taken = busy.computeIfAbsent(stateKey, k -> new ArrayList<>());
        Instant start = wanted;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Instant[] slot : taken) {
                if (start.isBefore(slot[1]) && start.plusSeconds(seconds).isAfter(slot[0])) {
                    start = slot[1].plusSeconds(30 + r.nextInt(600));
                    moved = true;
                }
            }
        }
        if (start.plusSeconds(seconds + 60).isAfter(dayEnd.minusSeconds(1800))) {
            return null;
        }
        taken.add(new Instant[] {start.minusSeconds(60), start.plusSeconds(seconds + 60)});
        return start;
    }

    /** Keeps a state to a planted anomaly, from {@code from} to the end of the day. */
    private void block(String stateKey, Instant from) {
        busy.computeIfAbsent(stateKey, k -> new ArrayList<>()).add(new Instant[] {from.minusSeconds(600), dayEnd.plusSeconds(3600)});
    }

    /** Keeps a state to a planted anomaly for a while. */
    private void block(String stateKey, Instant from, int seconds) {
        busy.computeIfAbsent(stateKey, k -> new ArrayList<>()).add(new Instant[] {from.minusSeconds(600), from.plusSeconds(seconds)});
    }

    /** Login, S3-native lock, read, (write), unlock. */
    private Session s3LockedRun(Instant t, String account, String region, String role, String subject, String bucket, String key,
            boolean apply) {
        Session s = webLogin(t, account, region, role, subject, false);
        t = t.plusSeconds(8 + r.nextInt(20));
        s3(t, s, region, "PutObject", bucket, key + ".tflock");
        t = t.plusSeconds(1);
        s3(t, s, region, "GetObject", bucket, key);
        t = t.plusSeconds(20 + r.nextInt(60));
        if (apply) {
            t = t.plusSeconds(30 + r.nextInt(180));
            s3(t, s, region, "PutObject", bucket, key);
            t = t.plusSeconds(1);
        }
        s3(t, s, region, "DeleteObject", bucket, key + ".tflock");
        return s;
    }

    /** Login to tooling, AssumeRole into a workload account (both copies), DynamoDB lock, read, write, digest, unlock. */
    private void toolingHopRun(Instant t, String account, String region, String bucket, String key) {
        Session tooling = webLogin(t, Accounts.TOOLING, "eu-west-1", "gha-tooling", "repo:acme/platform:ref:refs/heads/main", false);
        t = t.plusSeconds(20 + r.nextInt(30));
        String role = account.equals(Accounts.PROD) ? "terraform-prod" : "terraform-staging";
        Session s = assumeRole(t, tooling, account, role, "eu-west-1");
        String lockId = bucket + "/" + key;
        t = t.plusSeconds(5 + r.nextInt(10));
        dynamo(t, s, region, "PutItem", lockId, true);
        t = t.plusSeconds(1);
        s3(t, s, region, "GetObject", bucket, key);
        t = t.plusSeconds(60 + r.nextInt(240));
        s3(t, s, region, "PutObject", bucket, key);
        dynamo(t, s, region, "PutItem", lockId + "-md5", false);
        t = t.plusSeconds(1);
        dynamo(t, s, region, "DeleteItem", lockId, false);
    }

    // ---- anomalies ----------------------------------------------------------------------------------------------

    private void anomalies() {
        // unexpected-subject: a feature branch assumes the apply role and plans.
        Instant t = at(3, 10);
        block(PROD_BUCKET + "/infra/eks/terraform.tfstate", t, 1200);
        s3LockedRun(t, Accounts.PROD, "eu-west-1", "gha-prod-apply", "repo:acme/infra:ref:refs/heads/feature/faster-plans",
                PROD_BUCKET, "infra/eks/terraform.tfstate", false);
        anomalies++;

        // web-identity-denied: a burst of refused logins.
        t = at(5, 0);
        for (int i = 0; i < 3; i++) {
            webLogin(t.plusSeconds(i * 7L), Accounts.PROD, "eu-west-1", "gha-prod-apply",
                    "repo:acme/infra:ref:refs/heads/renovate/aws-provider-6.x", true);
        }
        anomalies++;

        // unlocked-state-write: an apply with -lock=false.
        t = at(8, 20);
        block(PROD_BUCKET + "/infra/cdn/terraform.tfstate", t, 1200);
        Session s = webLogin(t, Accounts.PROD, "eu-west-1", "gha-prod-apply", "repo:acme/infra:ref:refs/heads/main", false);
        s3(t.plusSeconds(15), s, "eu-west-1", "GetObject", PROD_BUCKET, "infra/cdn/terraform.tfstate");
        s3(t.plusSeconds(140), s, "eu-west-1", "PutObject", PROD_BUCKET, "infra/cdn/terraform.tfstate");
        anomalies++;

        // force-unlock: run A locks and dies; run B deletes A's lock, then applies normally.
        t = at(11, 0);
        block(PROD_BUCKET + "/infra/storage/terraform.tfstate", t, 2 * 3600);
        Session a = webLogin(t, Accounts.PROD, "eu-west-1", "gha-prod-apply", "repo:acme/infra:ref:refs/heads/main", false);
        s3(t.plusSeconds(19), a, "eu-west-1", "PutObject", PROD_BUCKET, "infra/storage/terraform.tfstate.tflock");
        s3(t.plusSeconds(20), a, "eu-west-1", "GetObject", PROD_BUCKET, "infra/storage/terraform.tfstate");
        t = at(12, 15);
        Session b = webLogin(t, Accounts.PROD, "eu-west-1", "gha-prod-apply", "repo:acme/infra:environment:production", false);
        s3(t.plusSeconds(30), b, "eu-west-1", "DeleteObject", PROD_BUCKET, "infra/storage/terraform.tfstate.tflock");
        s3(t.plusSeconds(40), b, "eu-west-1", "PutObject", PROD_BUCKET, "infra/storage/terraform.tfstate.tflock");
        s3(t.plusSeconds(41), b, "eu-west-1", "GetObject", PROD_BUCKET, "infra/storage/terraform.tfstate");
        s3(t.plusSeconds(200), b, "eu-west-1", "PutObject", PROD_BUCKET, "infra/storage/terraform.tfstate");
        s3(t.plusSeconds(201), b, "eu-west-1", "DeleteObject", PROD_BUCKET, "infra/storage/terraform.tfstate.tflock");
        anomalies++;

        // non-federated-state-write (and unlocked-state-write): a legacy IAM user uploads a state by hand.
        t = at(13, 30);
        block(PROD_BUCKET + "/infra/legacy-dns/terraform.tfstate", t, 1200);
        Session user = new Session(Accounts.PROD, null, Ids.userId(r, Accounts.PROD), "ci-legacy", Ids.userKey(r, Accounts.PROD),
                null, null, Ids.publicIp(r), true);
        s3(t, user, "eu-west-1", "PutObject", PROD_BUCKET, "infra/legacy-dns/terraform.tfstate");
        anomalies++;

        // state-deleted: a workspace cleanup deletes its state after releasing the lock.
        t = at(16, 45);
        String ws = "env:/feature-login/app/terraform.tfstate";
        block(STAGING_BUCKET + "/" + ws, t, 1200);
        Session c = s3LockedRun(t, Accounts.STAGING, "us-east-1", "gha-staging-apply", "repo:acme/infra:ref:refs/heads/main",
                STAGING_BUCKET, ws, false);
        s3(t.plusSeconds(170), c, "us-east-1", "DeleteObject", STAGING_BUCKET, ws);
        anomalies++;

        // state-read-unexpected-subject: a website pull request reads the prod network state.
        t = at(19, 5);
        Session w = webLogin(t, Accounts.PROD, "eu-west-1", "gha-website", "repo:acme/website:pull_request", false);
        s3(t.plusSeconds(25), w, "eu-west-1", "GetObject", PROD_BUCKET, "infra/vpc/terraform.tfstate");
        anomalies++;

        // stale-lock: an apply takes its lock late in the day and never releases it.
        t = at(21, 30);
        block(PROD_BUCKET + "/infra/queues/terraform.tfstate", t);
        Session st = webLogin(t, Accounts.PROD, "eu-west-1", "gha-prod-apply", "repo:acme/infra:ref:refs/heads/main", false);
        s3(t.plusSeconds(14), st, "eu-west-1", "PutObject", PROD_BUCKET, "infra/queues/terraform.tfstate.tflock");
        s3(t.plusSeconds(15), st, "eu-west-1", "GetObject", PROD_BUCKET, "infra/queues/terraform.tfstate");
        anomalies++;
    }

    private Instant at(int hour, int minute) {
        return dayStart.plusSeconds(hour * 3600L + minute * 60L + r.nextInt(50));
    }

    private Instant randomTime(int fromSecond, int toSecond) {
        return dayStart.plusSeconds(fromSecond + r.nextInt(toSecond - fromSecond));
    }

    // ---- records ------------------------------------------------------------------------------------------------

    private String roleId(String account, String role) {
        return roleIds.computeIfAbsent(account + role, k -> Ids.roleId(r, account));
    }

    private Session webLogin(Instant t, String account, String region, String role, String subject, boolean denied) {
        String provider = Accounts.oidcProvider(account);
        String roleArn = "arn:aws:iam::" + account + ":role/" + role;
        String ip = Ids.runnerIp(r);
        Session s = new Session(account, role, roleId(account, role), "GitHubActions", Ids.sessionKey(r, account), t, provider, ip, false);
        Json j = begin("1.08");
        j.k("userIdentity").o().ks("type", "WebIdentityUser").ks("principalId", provider + ":sts.amazonaws.com:" + subject)
                .ks("userName", subject).ks("identityProvider", provider).c();
        j.ks("eventTime", Ids.time(t)).ks("eventSource", "sts.amazonaws.com").ks("eventName", "AssumeRoleWithWebIdentity")
                .ks("awsRegion", region).ks("sourceIPAddress", ip).ks("userAgent", GHA_UA);
        if (denied) {
            j.ks("errorCode", "AccessDenied").ks("errorMessage", "Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: " + roleArn);
            j.k("requestParameters").nul().k("responseElements").nul();
        } else {
            j.k("requestParameters").o().ks("roleArn", roleArn).ks("roleSessionName", "GitHubActions").kn("durationSeconds", 3600).c();
            j.k("responseElements").o();
            credentials(j, s.key, t);
            j.ks("subjectFromWebIdentityToken", subject);
            j.k("assumedRoleUser").o().ks("assumedRoleId", s.roleId + ":GitHubActions").ks("arn", s.arn()).c();
            j.ks("provider", provider).ks("audience", "sts.amazonaws.com").c();
        }
        j.k("additionalEventData").o().ks("identityProviderConnectionVerificationMethod", "IAMTrustStore")
                .k("RequestDetails").o().ks("awsServingRegion", region).ks("endpointType", "regional").c().c();
        j.ks("requestID", Ids.uuid(r)).ks("eventID", Ids.uuid(r)).kb("readOnly", true);
        if (!denied) {
            j.k("resources").a().o().ks("accountId", account).ks("type", "AWS::IAM::Role").ks("ARN", roleArn).c().ca();
        }
        end(j, account, null, true, "sts." + region + ".amazonaws.com");
        add(account, region, t, j);
        return s;
    }

    /** A chained AssumeRole: the caller account's copy, and the role account's copy (same sharedEventID). */
    private Session assumeRole(Instant t, Session caller, String account, String role, String region) {
        String roleArn = "arn:aws:iam::" + account + ":role/" + role;
        Session s = new Session(account, role, roleId(account, role), role, Ids.sessionKey(r, account), t, null, caller.ip, false);
        String requestId = Ids.uuid(r);
        String shared = Ids.uuid(r);
        String token = Ids.sessionToken(r);
        for (int copy = 0; copy < 2; copy++) {
            String recipient = copy == 0 ? caller.account : account;
            Json j = begin("1.08");
            if (copy == 0) {
                sessionIdentity(j, caller);
            } else {
                j.k("userIdentity").o().ks("type", "AWSAccount").ks("principalId", caller.roleId + ":" + caller.sessionName)
                        .ks("accountId", caller.account).c();
            }
            j.ks("eventTime", Ids.time(t)).ks("eventSource", "sts.amazonaws.com").ks("eventName", "AssumeRole")
                    .ks("awsRegion", region).ks("sourceIPAddress", caller.ip).ks("userAgent", String.format(TF_UA, "sts#1.33.18"));
            j.k("requestParameters").o().ks("roleArn", roleArn).ks("roleSessionName", role).kn("durationSeconds", 3600).c();
            j.k("responseElements").o();
            j.k("credentials").o().ks("accessKeyId", s.key).ks("sessionToken", token)
                    .ks("expiration", Ids.EXPIRATION.format(t.plusSeconds(3600))).c();
            j.k("assumedRoleUser").o().ks("assumedRoleId", s.roleId + ":" + role).ks("arn", s.arn()).c().c();
            j.k("additionalEventData").o().k("RequestDetails").o().ks("awsServingRegion", region).ks("endpointType", "regional").c().c();
            j.ks("requestID", requestId).ks("eventID", Ids.uuid(r)).kb("readOnly", true);
            j.k("resources").a().o().ks("accountId", account).ks("type", "AWS::IAM::Role").ks("ARN", roleArn).c().ca();
            end(j, recipient, shared, true, "sts." + region + ".amazonaws.com");
            add(recipient, region, t, j);
        }
        return s;
    }

    /** An AWS service assuming a workload's role (Lambda, ECS tasks, EC2 instance profiles). */
    private void serviceAssumeRole(Instant t) {
        Accounts.Stream stream = Accounts.STREAMS.get(r.nextInt(Accounts.STREAMS.size()));
        String service = Ids.pick(r, SERVICE_ROLES);
        String role = Ids.pick(r, new String[] {"orders", "payments", "catalog", "search", "ledger", "ingest"})
                + (service.startsWith("lambda") ? "-api-lambda-role" : service.startsWith("ecs") ? "-worker-task" : "-ec2-role");
        String roleArn = "arn:aws:iam::" + stream.account() + ":role/" + role;
        String sessionName = service.startsWith("ec2") ? Ids.instanceId(r) : service.startsWith("ecs") ? Ids.hex(r, 32)
                : role.replace("-lambda-role", "");
        String key = Ids.sessionKey(r, stream.account());
        Json j = begin("1.08");
        j.k("userIdentity").o().ks("type", "AWSService").ks("invokedBy", service).c();
        j.ks("eventTime", Ids.time(t)).ks("eventSource", "sts.amazonaws.com").ks("eventName", "AssumeRole")
                .ks("awsRegion", stream.region()).ks("sourceIPAddress", service).ks("userAgent", service);
        j.k("requestParameters").o().ks("roleArn", roleArn).ks("roleSessionName", sessionName).c();
        j.k("responseElements").o();
        credentials(j, key, t);
        j.k("assumedRoleUser").o().ks("assumedRoleId", roleId(stream.account(), role) + ":" + sessionName)
                .ks("arn", "arn:aws:sts::" + stream.account() + ":assumed-role/" + role + "/" + sessionName).c().c();
        j.ks("requestID", Ids.uuid(r)).ks("eventID", Ids.uuid(r)).kb("readOnly", true);
        j.k("resources").a().o().ks("accountId", stream.account()).ks("type", "AWS::IAM::Role").ks("ARN", roleArn).c().ca();
        j.ks("eventType", "AwsApiCall").kb("managementEvent", true).ks("recipientAccountId", stream.account())
                .ks("sharedEventID", Ids.uuid(r)).ks("eventCategory", "Management").c();
        add(stream.account(), stream.region(), t, j);
    }

    private void s3(Instant t, Session s, String region, String name, String bucket, String key) {
        String host = bucket + ".s3." + region + ".amazonaws.com";
        Json j = begin("1.11");
        sessionIdentity(j, s);
        j.ks("eventTime", Ids.time(t)).ks("eventSource", "s3.amazonaws.com").ks("eventName", name).ks("awsRegion", region)
                .ks("sourceIPAddress", s.ip).ks("userAgent", s.iamUser ? "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0 md/command#s3.cp"
                        : "[" + String.format(TF_UA, "s3#1.79.2 ft/s3-transfer") + "]");
        j.k("requestParameters").o().ks("bucketName", bucket).ks("Host", host).ks("key", key);
        if (name.equals("PutObject")) {
            j.ks("x-id", "PutObject");
        }
        j.c();
        if (name.equals("PutObject")) {
            j.k("responseElements").o().ks("x-amz-server-side-encryption", "AES256").ks("x-amz-version-id", Ids.alnum(r, 32)).c();
        } else {
            j.k("responseElements").nul();
        }
        boolean state = key.endsWith(".tfstate");
        long in = name.equals("PutObject") ? (state ? 40_000 + r.nextInt(400_000) : 220 + r.nextInt(40)) : 0;
        long outBytes = name.equals("GetObject") ? 40_000 + r.nextInt(400_000) : 0;
        j.k("additionalEventData").o().ks("SignatureVersion", "SigV4").ks("CipherSuite", "TLS_AES_128_GCM_SHA256")
                .k("bytesTransferredIn").d(in).ks("SSEApplied", "SSE_S3").ks("AuthenticationMethod", "AuthHeader")
                .ks("x-amz-id-2", Ids.amzId2(r)).k("bytesTransferredOut").d(outBytes).c();
        j.ks("requestID", Ids.s3RequestId(r)).ks("eventID", Ids.uuid(r)).kb("readOnly", name.equals("GetObject"));
        String bucketAccount = bucket.equals(PROD_BUCKET) ? Accounts.PROD : Accounts.STAGING;
        j.k("resources").a().o().ks("type", "AWS::S3::Object").ks("ARN", "arn:aws:s3:::" + bucket + "/" + key).c()
                .o().ks("accountId", bucketAccount).ks("type", "AWS::S3::Bucket").ks("ARN", "arn:aws:s3:::" + bucket).c().ca();
        end(j, bucketAccount, null, false, host);
        add(bucketAccount, region, t, j);
    }

    private void dynamo(Instant t, Session s, String region, String name, String lockId, boolean lock) {
        Json j = begin("1.11");
        sessionIdentity(j, s);
        j.ks("eventTime", Ids.time(t)).ks("eventSource", "dynamodb.amazonaws.com").ks("eventName", name).ks("awsRegion", region)
                .ks("sourceIPAddress", s.ip).ks("userAgent", String.format(TF_UA, "dynamodb#1.42.1"));
        j.k("requestParameters").o().ks("tableName", LOCK_TABLE).k("key").o().ks("LockID", lockId).c();
        if (name.equals("PutItem")) {
            j.k("item").a().s("LockID").s(lock ? "Info" : "Digest").ca();
            if (lock) {
                j.ks("conditionExpression", "attribute_not_exists(LockID)");
            }
        }
        j.c().k("responseElements").nul();
        j.ks("requestID", Ids.dynamoRequestId(r)).ks("eventID", Ids.uuid(r)).kb("readOnly", false);
        j.k("resources").a().o().ks("accountId", s.account).ks("type", "AWS::DynamoDB::Table")
                .ks("ARN", "arn:aws:dynamodb:" + region + ":" + s.account + ":table/" + LOCK_TABLE).c().ca();
        j.ks("eventType", "AwsApiCall").ks("apiVersion", "2012-08-10").kb("managementEvent", false)
                .ks("recipientAccountId", s.account).ks("eventCategory", "Data");
        tls(j, "dynamodb." + region + ".amazonaws.com");
        j.c();
        add(s.account, region, t, j);
    }

    private void sessionIdentity(Json j, Session s) {
        j.k("userIdentity").o();
        if (s.iamUser) {
            j.ks("type", "IAMUser").ks("principalId", s.roleId).ks("arn", s.arn()).ks("accountId", s.account)
                    .ks("accessKeyId", s.key).ks("userName", s.sessionName).c();
            return;
        }
        j.ks("type", "AssumedRole").ks("principalId", s.roleId + ":" + s.sessionName).ks("arn", s.arn())
                .ks("accountId", s.account).ks("accessKeyId", s.key);
        j.k("sessionContext").o();
        j.k("sessionIssuer").o().ks("type", "Role").ks("principalId", s.roleId).ks("arn", "arn:aws:iam::" + s.account + ":role/" + s.roleName)
                .ks("accountId", s.account).ks("userName", s.roleName).c();
        if (s.provider != null) {
            j.k("webIdFederationData").o().ks("federatedProvider", s.provider).kEmpty("attributes").c();
        } else {
            j.kEmpty("webIdFederationData");
        }
        j.k("attributes").o().ks("creationDate", Ids.time(s.created)).ks("mfaAuthenticated", "false").c();
        j.c().c();
    }

    private void credentials(Json j, String key, Instant issued) {
        j.k("credentials").o().ks("accessKeyId", key).ks("sessionToken", Ids.sessionToken(r))
                .ks("expiration", Ids.EXPIRATION.format(issued.plusSeconds(3600))).c();
    }

    private Json begin(String version) {
        return new Json(new StringBuilder(2048)).o().ks("eventVersion", version);
    }

    private static void end(Json j, String recipient, String shared, boolean management, String host) {
        j.ks("eventType", "AwsApiCall").kb("managementEvent", management).ks("recipientAccountId", recipient);
        if (shared != null) {
            j.ks("sharedEventID", shared);
        }
        j.ks("eventCategory", management ? "Management" : "Data");
        tls(j, host);
        j.c();
    }

    private static void tls(Json j, String host) {
        j.k("tlsDetails").o().ks("tlsVersion", "TLSv1.3").ks("cipherSuite", "TLS_AES_128_GCM_SHA256")
                .ks("clientProvidedHostHeader", host).c();
    }

    private void add(String account, String region, Instant t, Json j) {
        out.add(new Rec(account, region, t, j.toString()));
    }
}
