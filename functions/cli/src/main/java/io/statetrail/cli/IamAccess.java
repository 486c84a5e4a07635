package io.statetrail.cli;

import io.statetrail.core.iam.AccountInventory;
import io.statetrail.lambda.AwsClients;
import io.statetrail.lambda.AwsRoleInventory;
import io.statetrail.service.port.RoleInventory;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * How {@code posture} and {@code policy draft} reach IAM from a laptop: the caller's credentials (the SDK's default chain,
 * or {@code --profile}), its own account unless {@code --accounts} names others, which are read through
 * {@code --member-role} (the role the statetrail-member module creates). The same {@link AwsRoleInventory} as the sweeper's.
 */
final class IamAccess {

    @Option(names = "--aws", description = "read the roles and OIDC providers from IAM (ListRoles, GetRole, ListOpenIDConnectProviders)")
    boolean aws;

    @Option(names = "--profile", paramLabel = "P", description = "AWS profile to use (default: the SDK's default credentials chain)")
    String profile;

    @Option(names = "--accounts", split = ",", paramLabel = "ACCOUNT", description = "accounts to read, comma-separated (default: the caller's own)")
    List<String> accounts;

    @Option(names = "--member-role", paramLabel = "NAME",
            description = "role assumed in the --accounts that are not the caller's (the statetrail-member module's, e.g. statetrail-member)")
    String memberRole;

    /** IAM elsewhere than AWS (a test's loopback IAM), as the AWS CLI's --endpoint-url. */
    @Option(names = "--endpoint-url", paramLabel = "URL", description = "IAM endpoint to call instead of AWS's, as the AWS CLI's option of that name")
    String endpoint;

    /** What was read: the accounts that could be, and why each other could not. */
    record Read(List<AccountInventory> accounts, List<String> failures) {
    }

    /** A usage error in these options, or null. */
    String problem() {
        if (!aws && (profile != null || accounts != null || memberRole != null)) {
            return "--profile, --accounts and --member-role need --aws";
        }
        for (String a : accounts == null ? List.<String>of() : accounts) {
            if (!a.matches("\\d{12}")) {
                return "--accounts: '" + TerminalText.safe(a) + "' is not a 12-digit AWS account id";
            }
        }
        return null;
    }

    /** Reads every account; one that cannot be read is told on stderr and left out. */
    Read read(String command, PrintStream err) {
        SdkHttpClient http = UrlConnectionHttpClient.create();
        Region region = region();
        AwsCredentialsProvider caller = DefaultCredentialsProvider.builder().profileName(profile).build();
        Supplier<String> home = AwsClients.memo(() -> sts(http, caller).getCallerIdentity().account());
        Function<String, IamClient> clients = roleArn -> {
            AwsCredentialsProvider credentials = roleArn == null ? caller : StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts(http, caller)).refreshRequest(r -> r.roleArn(roleArn).roleSessionName(AwsClients.POSTURE_SESSION)).build();
            var b = IamClient.builder().httpClient(http).region(AwsClients.iamRegion(region)).credentialsProvider(credentials);
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint));
            }
            return b.build();
        };
        RoleInventory iam = new AwsRoleInventory(clients, memberRole, home);
        List<AccountInventory> read = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // No --accounts: the caller's own, without asking STS which it is.
        for (String account : accounts == null ? Arrays.asList((String) null) : accounts) {
            try {
                read.add(iam.inventory(account));
            } catch (RoleInventory.Unavailable | IllegalStateException | SdkException e) {
                String which = account == null ? "the caller's account" : "account " + account;
                failures.add(which + ": " + e.getMessage());
                err.println("statetrail " + command + ": cannot read the roles of " + which + ": " + TerminalText.safe(e.getMessage()));
            }
        }
        return new Read(read, failures);
    }

    private StsClient sts(SdkHttpClient http, AwsCredentialsProvider caller) {
        return StsClient.builder().httpClient(http).region(region()).credentialsProvider(caller).build();
    }

    /** The profile's or environment's region (it picks the partition and STS's endpoint); us-east-1 when none is set. */
    private Region region() {
        try {
            return DefaultAwsRegionProviderChain.builder().profileName(profile).build().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }

}
