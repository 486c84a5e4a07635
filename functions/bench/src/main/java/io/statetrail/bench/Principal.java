package io.statetrail.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Who makes the everyday (irrelevant) calls of an account: instance roles, functions, tasks, people, services. */
final class Principal {

    enum Kind { EC2, LAMBDA, ECS, SSO, SERVICE, IAM_USER }

    final Kind kind;
    final String account;
    final String roleName;
    final String sessionName;
    final String roleId;
    final String accessKeyId;
    final String userAgent;
    final String ip;
    final String service;
    final Instant created;

    private Principal(Kind kind, String account, String roleName, String sessionName, String roleId, String accessKeyId,
            String userAgent, String ip, String service, Instant created) {
        this.kind = kind;
        this.account = account;
        this.roleName = roleName;
        this.sessionName = sessionName;
        this.roleId = roleId;
        this.accessKeyId = accessKeyId;
        this.userAgent = userAgent;
        this.ip = ip;
        this.service = service;
        this.created = created;
    }

    private static final String[] APPS = {"orders", "payments", "catalog", "search", "checkout", "ledger", "notifications",
            "inventory", "pricing", "identity", "reports", "ingest"};
    private static final String[] PEOPLE = {"alice.martin", "bob.nguyen", "carla.rossi", "dan.okafor", "eva.schmidt",
            "farid.haddad", "grace.kim", "hugo.lefevre"};
    private static final String[] SERVICES = {"autoscaling.amazonaws.com", "cloudformation.amazonaws.com",
            "elasticloadbalancing.amazonaws.com", "config.amazonaws.com", "backup.amazonaws.com", "trustedadvisor.amazonaws.com"};
    private static final String[] SDK_UAS = {
            "aws-sdk-java/2.25.60 Linux/6.1.109-118.189.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS Java/21.0.4 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard",
            "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#6.1.102-108.177.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144",
            "aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.173.0",
            "aws-sdk-nodejs/3.621.0 ua/2.1 os/linux#5.10.223-233.873.amzn2.x86_64 lang/js md/nodejs#20.16.0 api/dynamodb#3.621.0"};
    private static final String CONSOLE_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15";
    private static final String CLI_UA = "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#s3.cp";

    /** A stable pool of principals per account; the first ones are picked most often. */
    static List<Principal> pool(String account, SplittableRandom r, Instant dayStart) {
        List<Principal> out = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            Kind kind = switch (i % 8) {
                case 0, 1, 2 -> Kind.EC2;
                case 3, 4 -> Kind.LAMBDA;
                case 5 -> Kind.ECS;
                case 6 -> i % 16 == 6 ? Kind.SSO : Kind.SERVICE;
                default -> i % 24 == 7 ? Kind.IAM_USER : Kind.EC2;
            };
            String app = APPS[r.nextInt(APPS.length)];
            Instant created = dayStart.minusSeconds(r.nextInt(6 * 3600));
            out.add(switch (kind) {
                case EC2 -> new Principal(kind, account, app + "-ec2-role", Ids.instanceId(r), Ids.roleId(r, account),
                        Ids.sessionKey(r, account), SDK_UAS[r.nextInt(SDK_UAS.length)], Ids.privateIp(r), null, created);
                case LAMBDA -> new Principal(kind, account, app + "-api-lambda-role", app + "-api", Ids.roleId(r, account),
                        Ids.sessionKey(r, account), SDK_UAS[r.nextInt(SDK_UAS.length)], Ids.publicIp(r), null, created);
                case ECS -> new Principal(kind, account, app + "-worker-task", Ids.hex(r, 32), Ids.roleId(r, account),
                        Ids.sessionKey(r, account), SDK_UAS[0], Ids.privateIp(r), null, created);
                case SSO -> new Principal(kind, account, "AWSReservedSSO_DeveloperAccess_" + Ids.hex(r, 16),
                        PEOPLE[r.nextInt(PEOPLE.length)] + "@acme.example", Ids.roleId(r, account), Ids.sessionKey(r, account),
                        r.nextBoolean() ? CONSOLE_UA : CLI_UA, Ids.publicIp(r), null, created);
                case SERVICE -> new Principal(kind, account, null, null, null, null, null, null,
                        SERVICES[r.nextInt(SERVICES.length)], created);
                case IAM_USER -> new Principal(kind, account, null, "svc-" + app + "-reporter", Ids.userId(r, account),
                        Ids.userKey(r, account), SDK_UAS[1], Ids.publicIp(r), null, created);
            });
        }
        return out;
    }

    static Principal pick(List<Principal> pool, SplittableRandom r) {
        // Skewed: a few chatty principals make most calls, as in real trails.
        int i = (int) (pool.size() * Math.pow(r.nextDouble(), 2.2));
        return pool.get(Math.min(i, pool.size() - 1));
    }

    String arn() {
        return kind == Kind.IAM_USER ? "arn:aws:iam::" + account + ":user/" + sessionName
                : "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
    }

    boolean isService() {
        return kind == Kind.SERVICE;
    }

    String userAgent() {
        return isService() ? service : userAgent;
    }

    String sourceIp() {
        return isService() ? service : ip;
    }

    /** {@code userIdentity}, in CloudTrail's field order. */
    void write(Json j, String invokedBy) {
        j.k("userIdentity").o();
        switch (kind) {
            case SERVICE -> j.ks("type", "AWSService").ks("invokedBy", service);
            case IAM_USER -> j.ks("type", "IAMUser").ks("principalId", roleId)
                    .ks("arn", "arn:aws:iam::" + account + ":user/" + sessionName).ks("accountId", account)
                    .ks("accessKeyId", accessKeyId).ks("userName", sessionName);
            default -> {
                j.ks("type", "AssumedRole").ks("principalId", roleId + ":" + sessionName)
                        .ks("arn", "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName)
                        .ks("accountId", account).ks("accessKeyId", accessKeyId);
                j.k("sessionContext").o();
                j.k("sessionIssuer").o().ks("type", "Role").ks("principalId", roleId)
                        .ks("arn", "arn:aws:iam::" + account + ":role/" + (kind == Kind.SSO ? "aws-reserved/sso.amazonaws.com/" : "") + roleName)
                        .ks("accountId", account).ks("userName", roleName).c();
                j.kEmpty("webIdFederationData");
                j.k("attributes").o().ks("creationDate", Ids.time(created)).ks("mfaAuthenticated", "false").c();
                if (kind == Kind.EC2) {
                    j.ks("ec2RoleDelivery", "2.0");
                }
                j.c();
                if (invokedBy != null) {
                    j.ks("invokedBy", invokedBy);
                }
            }
        }
        j.c();
    }
}
