package io.statetrail.cli;

import io.statetrail.store.dynamodb.DynamoAuditStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The audit table deployed in AWS, read with the analyst's own credentials (the SDK's default chain: environment,
 * {@code --profile} or {@code AWS_PROFILE} with its SSO, role or process settings, container and instance roles).
 * Reads only, and finding statuses: a request other than the reads the analyst policy grants, or a {@code PutItem} of
 * a finding-status item ({@code STATUS#…}), is refused before it is signed, whatever the credentials would allow, so a
 * dashboard on a laptop can never change the production trail itself.
 */
final class DeployedTable implements OpenTable {

    /** The DynamoDB operations the review reads with; the Terraform module's analyst policy grants exactly these. */
    static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query");

    /** The options could not make a table to read (no region, no such profile, no access): the message says which. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final DynamoDbClient client;
    private final DynamoAuditStore store;
    private final String where;
    private final AwsCredentialsProvider credentials;
    private final Region region;

    private DeployedTable(DynamoDbClient client, String table, String where, AwsCredentialsProvider credentials, Region region) {
        this.client = client;
        this.store = new DynamoAuditStore(client, table);
        this.where = where;
        this.credentials = credentials;
        this.region = region;
    }

    /**
     * Who signs with these credentials (sts:GetCallerIdentity, which needs no permission): who a status change is by.
     * Null when STS cannot be reached.
     */
    String caller() {
        try (var sts = software.amazon.awssdk.services.sts.StsClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return sts.getCallerIdentity().arn();
        } catch (SdkException e) {
            return null;
        }
    }

    static DeployedTable open(AwsTable options) {
        ProfileFile profiles = ProfileFile.defaultProfileFile();
        if (options.profile != null && profiles.profile(options.profile).isEmpty()) {
            throw new Unavailable("no profile '" + TerminalText.safe(options.profile) + "' in ~/.aws/config or ~/.aws/credentials "
                    + "(aws configure list-profiles shows them)");
        }
        Region region = region(options);
        // A named profile wins over AWS_ACCESS_KEY_ID in the environment, as with the AWS CLI's --profile (the default
        // chain would try the environment first).
        AwsCredentialsProvider credentials = options.profile != null
                ? ProfileCredentialsProvider.builder().profileFile(profiles).profileName(options.profile).build()
                : DefaultCredentialsProvider.builder().build();
        var builder = DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(new ReadsOnly()).build());
        if (options.endpointUrl != null) {
            builder.endpointOverride(options.endpointUrl);
        }
        DynamoDbClient client = builder.build();
        String table = options.tableName();
        String where = "table " + table + " in " + region.id() + (options.profile != null ? " as profile " + options.profile : "")
                + (options.endpointUrl != null ? " at " + options.endpointUrl : "");
        try {
            probe(client, table);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new DeployedTable(client, table, where, credentials, region);
    }

    /** One read the analyst policy allows, so a wrong table, region or credential is told before a server starts. */
    private static void probe(DynamoDbClient client, String table) {
        try {
            client.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("statetrail#probe"), "sk", AttributeValue.fromS("-"))));
        } catch (ResourceNotFoundException e) {
            throw new Unavailable("no table " + table + " there (the Terraform module's audit_table_name output names it; --table, --region)");
        } catch (DynamoDbException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new Unavailable("cannot read " + table + ": " + (code != null ? code + ": " : "") + message
                    + ("AccessDeniedException".equals(code) ? " (attach the module's analyst policy, output analyst_policy_arn)"
                    : "ValidationException".equals(code) ? " (is it statetrail's audit table? the module's audit_table_name output names it)" : ""));
        } catch (SdkException e) {
            throw new Unavailable("cannot reach DynamoDB: " + e.getMessage());
        }
    }

    private static Region region(AwsTable options) {
        if (options.region != null) {
            return Region.of(options.region);
        }
        try {
            DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
            if (options.profile != null) {
                chain.profileName(options.profile);
            }
            return chain.build().getRegion();
        } catch (SdkException e) {
            throw new Unavailable("no region: give --region, set AWS_REGION, or set region in the profile");
        }
    }

    @Override
    public DynamoAuditStore store() {
        return store;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void close() {
        client.close();
    }

    /** Refuses every DynamoDB request but the reads and status writes, before it is signed or sent. */
    static final class ReadsOnly implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (isStatusWrite(context.request())) {
                return;
            }
            if (!READS.contains(operation)) {
                throw new IllegalStateException("statetrail reads the deployed table only: refused a DynamoDB " + operation
                        + " (reads: " + List.copyOf(new java.util.TreeSet<>(READS)) + ", and PutItem of finding status items)");
            }
        }

        /** A finding's status or its notice: the one write the analyst policy grants ({@code dynamodb:LeadingKeys} STATUS#*). */
        static boolean isStatusWrite(software.amazon.awssdk.core.SdkRequest request) {
            if (!(request instanceof software.amazon.awssdk.services.dynamodb.model.PutItemRequest put) || put.item() == null) {
                return false;
            }
            AttributeValue pk = put.item().get("pk");
            return pk != null && pk.s() != null && pk.s().startsWith(STATUS_PARTITION);
        }
    }

    /** The partition of finding-status items ({@code store-dynamodb}'s {@code Keys.STATUS}); the analyst policy's LeadingKeys. */
    static final String STATUS_PARTITION = "STATUS#";
}
