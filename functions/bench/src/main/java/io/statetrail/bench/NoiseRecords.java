package io.statetrail.bench;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The 99%: everyday calls of a busy account that statetrail must read past. Shapes follow published CloudTrail
 * records (EC2 Describe*, KMS by services, S3 data events on application buckets, CloudWatch, Lambda, SSM agents,
 * GetCallerIdentity, DynamoDB on application tables, ECR, Secrets Manager). None touches a Terraform state, a
 * {@code .tflock} or a lock table, and none is a role assumption (those are always relevant, as lineage).
 */
final class NoiseRecords {

    /** Cumulative shares of the categories, in per mille of irrelevant records. */
    private static final int EC2 = 210, KMS = 400, S3 = 560, CLOUDWATCH = 670, LAMBDA = 730, SSM = 830, STS = 890,
            DYNAMODB = 940;

    private static final String[] EC2_CALLS = {"DescribeInstances", "DescribeInstanceStatus", "DescribeVolumes",
            "DescribeSecurityGroups", "DescribeNetworkInterfaces", "DescribeTags", "DescribeSubnets"};
    private static final String[] APP_BUCKETS = {"acme-app-assets-prod", "acme-data-lake-raw", "acme-data-lake-curated",
            "acme-build-artifacts", "acme-user-uploads", "cdk-hnb659fds-assets", "acme-athena-results", "acme-backups"};
    private static final String[] TABLES = {"orders", "sessions", "idempotency-keys", "feature-flags", "carts", "audit-log"};
    private static final String[] FUNCTIONS = {"orders-api", "payments-webhook", "catalog-indexer", "thumbnailer",
            "nightly-report", "slack-notifier"};
    private static final String[] PARAMS = {"/app/prod/db-url", "/app/prod/redis-url", "/app/shared/feature-flags",
            "/cwagent/config", "/app/prod/api-base-url"};

    private NoiseRecords() {
    }

    static void write(Json j, SplittableRandom r, Accounts.Stream stream, Instant time, List<Principal> pool) {
        int c = r.nextInt(1000);
        String account = stream.account();
        String region = stream.region();
        Principal p = Principal.pick(pool, r);
        if (c < EC2) {
            ec2(j, r, account, region, time, p.isService() ? pool.get(0) : p);
        } else if (c < KMS) {
            kms(j, r, account, region, time, p);
        } else if (c < S3) {
            s3(j, r, account, region, time, p.isService() ? pool.get(1) : p);
        } else if (c < CLOUDWATCH) {
            cloudwatch(j, r, account, region, time, p.isService() ? pool.get(2) : p);
        } else if (c < LAMBDA) {
            lambda(j, r, account, region, time, p.isService() ? pool.get(3) : p);
        } else if (c < SSM) {
            ssm(j, r, account, region, time, p.isService() ? pool.get(0) : p);
        } else if (c < STS) {
            getCallerIdentity(j, r, account, region, time, p.isService() ? pool.get(4) : p);
        } else if (c < DYNAMODB) {
            dynamodb(j, r, account, region, time, p.isService() ? pool.get(3) : p);
        } else {
            other(j, r, account, region, time, p.isService() ? pool.get(1) : p);
        }
    }

    private static void head(Json j, SplittableRandom r, Principal p, String invokedBy, Instant time, String source,
            String name, String region) {
        j.o().ks("eventVersion", r.nextInt(4) == 0 ? "1.09" : "1.08");
        p.write(j, invokedBy);
        j.ks("eventTime", Ids.time(time)).ks("eventSource", source).ks("eventName", name).ks("awsRegion", region);
        if (invokedBy != null) {
            j.ks("sourceIPAddress", invokedBy).ks("userAgent", invokedBy);
        } else {
            j.ks("sourceIPAddress", p.sourceIp()).ks("userAgent", p.userAgent());
        }
    }

    private static void maybeError(Json j, SplittableRandom r, Principal p, String action) {
        if (r.nextInt(100) < 2) {
            j.ks("errorCode", "AccessDenied").ks("errorMessage", "User: " + p.arn() + " is not authorized to perform: " + action
                    + " because no identity-based policy allows the " + action + " action");
        }
    }

    private static void ids(Json j, SplittableRandom r, String requestId, boolean readOnly) {
        j.ks("requestID", requestId).ks("eventID", Ids.uuid(r)).kb("readOnly", readOnly);
    }

    private static void management(Json j, String account, boolean management) {
        j.ks("eventType", "AwsApiCall").kb("managementEvent", management).ks("recipientAccountId", account)
                .ks("eventCategory", management ? "Management" : "Data");
    }

    private static void tls(Json j, String host) {
        j.k("tlsDetails").o().ks("tlsVersion", "TLSv1.3").ks("cipherSuite", "TLS_AES_128_GCM_SHA256")
                .ks("clientProvidedHostHeader", host).c();
    }

    private static void ec2(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        String name = Ids.pick(r, EC2_CALLS);
        head(j, r, p, null, time, "ec2.amazonaws.com", name, region);
        j.k("requestParameters").o();
        switch (name) {
            case "DescribeInstances" -> {
                j.k("instancesSet").o().k("items").a();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    j.o().ks("instanceId", Ids.instanceId(r)).c();
                }
                j.ca().c().k("filterSet").o().c();
            }
            case "DescribeInstanceStatus" -> j.k("instancesSet").o().c().k("filterSet").o().c().kb("includeAllInstances", false);
            case "DescribeVolumes" -> j.k("volumeSet").o().c().k("filterSet").o().k("items").a().o()
                    .ks("name", "attachment.instance-id").k("valueSet").o().k("items").a().o().ks("value", Ids.instanceId(r)).c()
                    .ca().c().c().ca().c();
            case "DescribeSecurityGroups" -> j.k("securityGroupSet").o().c().k("securityGroupIdSet").o().k("items").a().o()
                    .ks("groupId", "sg-0" + Ids.hex(r, 16)).c().ca().c().k("filterSet").o().c();
            case "DescribeNetworkInterfaces" -> j.k("networkInterfaceIdSet").o().c().k("filterSet").o().k("items").a().o()
                    .ks("name", "vpc-id").k("valueSet").o().k("items").a().o().ks("value", "vpc-0" + Ids.hex(r, 16)).c()
                    .ca().c().c().ca().c();
            case "DescribeTags" -> j.k("filterSet").o().k("items").a().o().ks("name", "resource-id").k("valueSet").o()
                    .k("items").a().o().ks("value", Ids.instanceId(r)).c().ca().c().c().ca().c();
            default -> j.k("subnetSet").o().c().k("filterSet").o().k("items").a().o().ks("name", "tag:kubernetes.io/role/internal-elb")
                    .k("valueSet").o().k("items").a().o().ks("value", "1").c().ca().c().c().ca().c();
        }
        j.c();
        j.k("responseElements").nul();
        ids(j, r, Ids.uuid(r), true);
        management(j, account, true);
        tls(j, "ec2." + region + ".amazonaws.com");
        j.c();
    }

    private static void kms(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        boolean decrypt = r.nextInt(3) != 0;
        String via = p.isService() ? null : Ids.pick(r, new String[] {"s3.amazonaws.com", "secretsmanager.amazonaws.com",
                "ssm.amazonaws.com", "lambda.amazonaws.com", "dynamodb.amazonaws.com"});
        String keyArn = "arn:aws:kms:" + region + ":" + account + ":key/" + Ids.uuid(r);
        head(j, r, p, via, time, "kms.amazonaws.com", decrypt ? "Decrypt" : "GenerateDataKey", region);
        j.k("requestParameters").o();
        if (!decrypt) {
            j.ks("keyId", keyArn);
        }
        j.k("encryptionContext").o();
        if ("s3.amazonaws.com".equals(via)) {
            j.ks("aws:s3:arn", "arn:aws:s3:::" + Ids.pick(r, APP_BUCKETS) + "/" + objectKey(r));
        } else if ("lambda.amazonaws.com".equals(via)) {
            j.ks("aws:lambda:FunctionArn", "arn:aws:lambda:" + region + ":" + account + ":function:" + Ids.pick(r, FUNCTIONS));
        } else {
            j.ks("aws:ssm:parameterName", Ids.pick(r, PARAMS)).ks("PARAMETER_ARN", "arn:aws:ssm:" + region + ":" + account
                    + ":parameter" + Ids.pick(r, PARAMS));
        }
        j.c();
        if (decrypt) {
            j.ks("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        } else {
            j.ks("keySpec", "AES_256");
        }
        j.c();
        j.k("responseElements").nul();
        ids(j, r, Ids.uuid(r), true);
        j.k("resources").a().o().ks("accountId", account).ks("type", "AWS::KMS::Key").ks("ARN", keyArn).c().ca();
        management(j, account, true);
        if (via == null) {
            tls(j, "kms." + region + ".amazonaws.com");
        }
        j.c();
    }

    static String objectKey(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> "assets/img/" + Ids.hex(r, 4) + "/" + Ids.hex(r, 24) + ".webp";
            case 1 -> "raw/2026/11/" + (10 + r.nextInt(20)) + "/part-" + String.format("%05d", r.nextInt(20000)) + "-" + Ids.uuid(r) + ".c000.snappy.parquet";
            case 2 -> "uploads/" + Ids.uuid(r) + "/invoice-" + r.nextInt(1_000_000) + ".pdf";
            case 3 -> "builds/" + Ids.hex(r, 40) + "/lambda.zip";
            default -> "exports/orders/dt=2026-11-" + (10 + r.nextInt(20)) + "/orders-" + Ids.hex(r, 8) + ".json";
        };
    }

    private static void s3(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        int op = r.nextInt(100);
        String name = op < 55 ? "GetObject" : op < 80 ? "PutObject" : op < 92 ? "HeadObject" : "ListObjects";
        String bucket = Ids.pick(r, APP_BUCKETS) + (r.nextBoolean() ? "" : "-" + account);
        String host = bucket + ".s3." + region + ".amazonaws.com";
        head(j, r, p, null, time, "s3.amazonaws.com", name, region);
        j.k("requestParameters").o().ks("bucketName", bucket).ks("Host", host);
        String key = null;
        if ("ListObjects".equals(name)) {
            j.ks("prefix", "raw/2026/11/").ks("list-type", "2").ks("max-keys", "1000");
        } else {
            key = objectKey(r);
            j.ks("key", key);
            if ("PutObject".equals(name)) {
                j.ks("x-id", "PutObject");
            }
        }
        j.c();
        if ("PutObject".equals(name)) {
            j.k("responseElements").o().ks("x-amz-server-side-encryption", "aws:kms")
                    .ks("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:" + region + ":" + account + ":key/" + Ids.uuid(r))
                    .ks("x-amz-version-id", Ids.alnum(r, 32)).c();
        } else {
            j.k("responseElements").nul();
        }
        long in = "PutObject".equals(name) ? 1000 + r.nextInt(4_000_000) : 0;
        long out = "GetObject".equals(name) ? 1000 + r.nextInt(4_000_000) : 0;
        j.k("additionalEventData").o().ks("SignatureVersion", "SigV4").ks("CipherSuite", "TLS_AES_128_GCM_SHA256")
                .k("bytesTransferredIn").d(in).ks("AuthenticationMethod", "AuthHeader").ks("x-amz-id-2", Ids.amzId2(r))
                .k("bytesTransferredOut").d(out).c();
        ids(j, r, Ids.s3RequestId(r), !"PutObject".equals(name));
        j.k("resources").a();
        if (key != null) {
            j.o().ks("type", "AWS::S3::Object").ks("ARN", "arn:aws:s3:::" + bucket + "/" + key).c();
        }
        j.o().ks("accountId", account).ks("type", "AWS::S3::Bucket").ks("ARN", "arn:aws:s3:::" + bucket).c().ca();
        management(j, account, false);
        tls(j, host);
        j.c();
    }

    private static void cloudwatch(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        int c = r.nextInt(4);
        if (c < 2) {
            String name = c == 0 ? "GetMetricData" : "DescribeAlarms";
            head(j, r, p, null, time, "monitoring.amazonaws.com", name, region);
            j.k("requestParameters").o();
            if (c == 0) {
                j.k("metricDataQueries").a();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    j.o().ks("id", "m" + i).k("metricStat").o().k("metric").o().ks("namespace", "AWS/ApplicationELB")
                            .ks("metricName", i == 0 ? "TargetResponseTime" : "HTTPCode_Target_5XX_Count")
                            .k("dimensions").a().o().ks("name", "LoadBalancer").ks("value", "app/" + Ids.pick(r, FUNCTIONS) + "-alb/" + Ids.hex(r, 16)).c().ca()
                            .c().kn("period", 60).ks("stat", "p99").c().kb("returnData", true).c();
                }
                j.ca().ks("startTime", Ids.time(time.minusSeconds(3 * 3600))).ks("endTime", Ids.time(time));
            } else {
                j.k("alarmNames").a().s(Ids.pick(r, FUNCTIONS) + "-5xx-high").s(Ids.pick(r, FUNCTIONS) + "-latency-p99").ca();
            }
            j.c().k("responseElements").nul();
            ids(j, r, Ids.uuid(r), true);
            management(j, account, true);
            tls(j, "monitoring." + region + ".amazonaws.com");
        } else {
            String fn = Ids.pick(r, FUNCTIONS);
            String name = c == 2 ? "CreateLogStream" : "DescribeLogStreams";
            head(j, r, p, null, time, "logs.amazonaws.com", name, region);
            j.k("requestParameters").o().ks("logGroupName", "/aws/lambda/" + fn);
            if (c == 2) {
                j.ks("logStreamName", "2026/11/20/[$LATEST]" + Ids.hex(r, 32));
            } else {
                j.ks("orderBy", "LastEventTime").kb("descending", true).kn("limit", 50);
            }
            j.c().k("responseElements").nul();
            ids(j, r, Ids.uuid(r), c != 2);
            management(j, account, true);
            tls(j, "logs." + region + ".amazonaws.com");
        }
        j.c();
    }

    private static void lambda(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        String fn = Ids.pick(r, FUNCTIONS);
        String[] names = {"GetFunction20150331v2", "ListFunctions20150331", "GetFunctionConfiguration20150331v2", "ListTags20170331"};
        String name = Ids.pick(r, names);
        head(j, r, p, null, time, "lambda.amazonaws.com", name, region);
        maybeError(j, r, p, "lambda:" + name.replaceAll("20\\d+.*", ""));
        String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + fn;
        j.k("requestParameters").o();
        if (name.startsWith("List")) {
            if (name.startsWith("ListTags")) {
                j.ks("resource", arn);
            }
        } else {
            j.ks("functionName", fn);
        }
        j.c().k("responseElements").nul();
        ids(j, r, Ids.uuid(r), true);
        management(j, account, true);
        tls(j, "lambda." + region + ".amazonaws.com");
        j.c();
    }

    private static void ssm(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        int c = r.nextInt(3);
        String name = c == 0 ? "UpdateInstanceInformation" : c == 1 ? "GetParameter" : "ListInstanceAssociations";
        head(j, r, p, null, time, "ssm.amazonaws.com", name, region);
        j.k("requestParameters").o();
        String az = region + (char) ('a' + r.nextInt(3));
        switch (c) {
            case 0 -> j.ks("instanceId", p.sessionName.startsWith("i-") ? p.sessionName : Ids.instanceId(r))
                    .ks("agentVersion", "3.3.1142.0").ks("agentStatus", "Active").ks("platformType", "Linux")
                    .ks("platformName", "Amazon Linux").ks("platformVersion", "2023").ks("iPAddress", Ids.privateIp(r))
                    .ks("computerName", "ip-10-" + r.nextInt(256) + "-" + r.nextInt(256) + "-" + r.nextInt(256) + "." + region + ".compute.internal")
                    .ks("agentName", "amazon-ssm-agent").ks("availabilityZone", az)
                    .ks("availabilityZoneId", (region.startsWith("eu") ? "euw1" : "use1") + "-az" + (1 + r.nextInt(3)))
                    .ks("sSMConnectionChannel", "ssmmessages");
            case 1 -> j.ks("name", Ids.pick(r, PARAMS)).kb("withDecryption", true);
            default -> j.ks("instanceId", Ids.instanceId(r)).kn("maxResults", 20);
        }
        j.c().k("responseElements").nul();
        ids(j, r, Ids.uuid(r), c != 0);
        if (c == 1) {
            j.k("resources").a().o().ks("accountId", account).ks("type", "AWS::SSM::Parameter")
                    .ks("ARN", "arn:aws:ssm:" + region + ":" + account + ":parameter" + Ids.pick(r, PARAMS)).c().ca();
        }
        management(j, account, true);
        tls(j, "ssm." + region + ".amazonaws.com");
        j.c();
    }

    private static void getCallerIdentity(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        head(j, r, p, null, time, "sts.amazonaws.com", "GetCallerIdentity", region);
        j.k("requestParameters").nul().k("responseElements").nul();
        ids(j, r, Ids.uuid(r), true);
        management(j, account, true);
        tls(j, "sts." + region + ".amazonaws.com");
        j.c();
    }

    private static void dynamodb(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        int c = r.nextInt(10);
        // PutItem is data-event noise the classifier must look into (table is not a lock table), so keep it.
        String name = c < 4 ? "GetItem" : c < 7 ? "Query" : c < 9 ? "PutItem" : "UpdateItem";
        String table = Ids.pick(r, TABLES);
        head(j, r, p, null, time, "dynamodb.amazonaws.com", name, region);
        j.k("requestParameters").o().ks("tableName", table);
        String pk = "ORDER#" + Ids.uuid(r);
        switch (name) {
            case "Query" -> j.ks("indexName", "gsi1").ks("keyConditionExpression", "#pk = :pk AND begins_with(#sk, :prefix)")
                    .kn("limit", 25).kb("consistentRead", false);
            case "GetItem" -> j.k("key").o().ks("pk", pk).ks("sk", "META").c().kb("consistentRead", r.nextBoolean());
            case "PutItem" -> j.k("key").o().ks("pk", pk).ks("sk", "META").c().k("item").a().s("pk").s("sk").s("status")
                    .s("total").s("updatedAt").ca().ks("conditionExpression", "attribute_not_exists(pk)");
            default -> j.k("key").o().ks("pk", pk).ks("sk", "META").c().ks("updateExpression", "SET #s = :s, updatedAt = :t");
        }
        j.c().k("responseElements").nul();
        ids(j, r, Ids.dynamoRequestId(r), name.startsWith("G") || name.startsWith("Q"));
        j.k("resources").a().o().ks("accountId", account).ks("type", "AWS::DynamoDB::Table")
                .ks("ARN", "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table).c().ca();
        j.ks("eventType", "AwsApiCall").ks("apiVersion", "2012-08-10").kb("managementEvent", false)
                .ks("recipientAccountId", account).ks("eventCategory", "Data");
        tls(j, "dynamodb." + region + ".amazonaws.com");
        j.c();
    }

    private static void other(Json j, SplittableRandom r, String account, String region, Instant time, Principal p) {
        int c = r.nextInt(4);
        switch (c) {
            case 0 -> {
                head(j, r, p, null, time, "ecr.amazonaws.com", "GetAuthorizationToken", region);
                j.k("requestParameters").nul().k("responseElements").nul();
                ids(j, r, Ids.uuid(r), true);
                management(j, account, true);
                tls(j, "api.ecr." + region + ".amazonaws.com");
            }
            case 1 -> {
                head(j, r, p, null, time, "ecr.amazonaws.com", "BatchGetImage", region);
                String repo = Ids.pick(r, FUNCTIONS);
                j.k("requestParameters").o().ks("registryId", account).ks("repositoryName", repo).k("imageIds").a().o()
                        .ks("imageTag", "sha-" + Ids.hex(r, 7)).c().ca().k("acceptedMediaTypes").a()
                        .s("application/vnd.docker.distribution.manifest.v2+json").s("application/vnd.oci.image.manifest.v1+json").ca().c();
                j.k("responseElements").nul();
                ids(j, r, Ids.uuid(r), true);
                j.k("resources").a().o().ks("accountId", account).ks("ARN", "arn:aws:ecr:" + region + ":" + account + ":repository/" + repo).c().ca();
                management(j, account, true);
                tls(j, "api.ecr." + region + ".amazonaws.com");
            }
            case 2 -> {
                head(j, r, p, null, time, "secretsmanager.amazonaws.com", "GetSecretValue", region);
                j.k("requestParameters").o().ks("secretId", "arn:aws:secretsmanager:" + region + ":" + account + ":secret:prod/"
                        + Ids.pick(r, TABLES) + "/db-" + Ids.alnum(r, 6)).c().k("responseElements").nul();
                ids(j, r, Ids.uuid(r), true);
                management(j, account, true);
                tls(j, "secretsmanager." + region + ".amazonaws.com");
            }
            default -> {
                head(j, r, p, null, time, "elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", region);
                j.k("requestParameters").o().ks("targetGroupArn", "arn:aws:elasticloadbalancing:" + region + ":" + account
                        + ":targetgroup/" + Ids.pick(r, FUNCTIONS) + "-tg/" + Ids.hex(r, 16)).c().k("responseElements").nul();
                ids(j, r, Ids.uuid(r), true);
                management(j, account, true);
                tls(j, "elasticloadbalancing." + region + ".amazonaws.com");
            }
        }
        j.c();
    }
}
