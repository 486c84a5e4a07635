package io.statetrail.cli;

import io.statetrail.store.dynamodb.DynamoAuditStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --aws}: the options of a command that can read the deployed audit table instead of the local one, signed by
 * the standard AWS credentials chain as other AWS tools are ({@link DeployedTable}).
 */
final class AwsTable {

    @Option(names = "--aws", description = "read the audit table deployed in AWS (read-only, standard credentials chain) instead of --data-dir")
    boolean aws;

    @Option(names = "--table", paramLabel = "NAME", description = "with --aws: the audit table, the Terraform module's audit_table_name "
            + "(default: " + DynamoAuditStore.DEFAULT_TABLE + ")")
    String table;

    @Option(names = "--region", paramLabel = "REGION", description = "with --aws: the table's region (default: AWS_REGION, then the profile's region)")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "with --aws: the profile in ~/.aws/config to sign with (default: AWS_PROFILE, "
            + "then the standard chain)")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "with --aws: another DynamoDB endpoint (an interface VPC endpoint; "
            + "DynamoDB Local in tests)")
    URI endpointUrl;

    /** What is wrong with these options as given (a usage error), or null. */
    String problem(CommandSpec spec) {
        var given = spec.commandLine().getParseResult();
        if (!aws) {
            List<String> stray = new ArrayList<>();
            for (String name : List.of("--table", "--region", "--profile", "--endpoint-url")) {
                if (given.hasMatchedOption(name)) {
                    stray.add(name);
                }
            }
            return stray.isEmpty() ? null : String.join(", ", stray) + " only apply with --aws (the local table is in --data-dir)";
        }
        if (given.hasMatchedOption("--data-dir")) {
            return "--aws reads the deployed table: --data-dir does not apply";
        }
        if (table != null && !table.matches("[A-Za-z0-9_.-]{3,255}")) {
            return "--table '" + TerminalText.safe(table) + "' is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)";
        }
        if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            return "--region '" + TerminalText.safe(region) + "' is not an AWS region such as eu-west-1";
        }
        if (endpointUrl != null && (endpointUrl.getScheme() == null || !endpointUrl.getScheme().matches("https?") || endpointUrl.getHost() == null)) {
            return "--endpoint-url '" + TerminalText.safe(endpointUrl.toString()) + "' is not an http(s) URL";
        }
        return null;
    }

    String tableName() {
        return table != null ? table : DynamoAuditStore.DEFAULT_TABLE;
    }
}
