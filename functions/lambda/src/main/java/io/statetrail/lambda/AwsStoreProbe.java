package io.statetrail.lambda;

import io.statetrail.service.port.StoreProbe;
import io.statetrail.service.port.StoreWatch;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Looks at a weakened store where it lives (issue 19): {@code GetBucketVersioning}; {@code DescribeTimeToLive},
 * {@code DescribeContinuousBackups} and {@code DescribeTable} of a lock table; {@code DescribeKey}. In a member account
 * it goes through {@code STATETRAIL_LOCK_READER_ROLE}, as the lock probe does. Settings it has no read for (a bucket's
 * lifecycle or policy, a key policy, a grant) and anything that stops it from looking are UNKNOWN with the reason,
 * never RESTORED: only a change in the trail resolves those.
 */
public final class AwsStoreProbe implements StoreProbe {

    /** The clients in a region, as ours ({@code role} null) or through a member account's reader role. */
    public interface Clients {
        S3Client s3(Region region, String role);

        DynamoDbClient dynamoDb(Region region, String role);

        KmsClient kms(Region region, String role);
    }

    private final Clients clients;
    private final Function<String, String> roleFor;
    private final Region home;

    /** @param roleFor the reader role of an account, null for ours; throws IllegalStateException when there is none */
    public AwsStoreProbe(Clients clients, Function<String, String> roleFor, Region home) {
        this.clients = clients;
        this.roleFor = roleFor;
        this.home = home;
    }

    @Override
    public Check check(StoreWatch w) {
        try {
            Region region = w.region() == null ? home : Region.of(w.region());
            String role = roleFor.apply(w.account());
            return switch (w.store()) {
                case "bucket" -> bucket(w, region, role);
                case "table" -> table(w, region, role);
                case "key" -> key(w, region, role);
                default -> Check.unknown("unknown store kind '" + w.store() + "'");
            };
        } catch (IllegalStateException e) {
            return Check.unknown(e.getMessage());
        } catch (SdkException e) {
            return Check.unknown(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    private Check bucket(StoreWatch w, Region region, String role) {
        if (!"versioning".equals(w.setting())) {
            return Check.unknown("the sweeper reads only a bucket's versioning; " + w.setting() + " is resolved by a restoring change");
        }
        String status = clients.s3(region, role).getBucketVersioning(b -> b.bucket(w.name())).statusAsString();
        String seen = "Status: " + (status == null ? "(never enabled)" : status);
        return new Check("Enabled".equals(status) ? State.RESTORED : State.WEAK, seen);
    }

    private Check table(StoreWatch w, Region region, String role) {
        DynamoDbClient dynamo = clients.dynamoDb(region, role);
        String table = w.name();
        try {
            return switch (w.setting()) {
                case "ttl" -> {
                    String status = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatusAsString();
                    // ENABLING and ENABLED both let lock items expire; DISABLING stops it.
                    yield new Check("DISABLED".equals(status) || "DISABLING".equals(status) ? State.RESTORED : State.WEAK,
                            "TimeToLiveStatus: " + status);
                }
                case "point-in-time-recovery" -> {
                    var pitr = dynamo.describeContinuousBackups(b -> b.tableName(table)).continuousBackupsDescription()
                            .pointInTimeRecoveryDescription();
                    String status = pitr == null ? null : pitr.pointInTimeRecoveryStatusAsString();
                    yield new Check("ENABLED".equals(status) ? State.RESTORED : State.WEAK, "PointInTimeRecoveryStatus: " + status);
                }
                case "deletion-protection" -> {
                    Boolean on = dynamo.describeTable(b -> b.tableName(table)).table().deletionProtectionEnabled();
                    yield new Check(Boolean.TRUE.equals(on) ? State.RESTORED : State.WEAK, "DeletionProtectionEnabled: " + on);
                }
                case "table" -> {
                    String status = dynamo.describeTable(b -> b.tableName(table)).table().tableStatusAsString();
                    yield new Check(State.RESTORED, "table " + table + " exists again (TableStatus: " + status + ")");
                }
                default -> Check.unknown("the sweeper cannot read " + w.setting() + " of a lock table; a restoring change resolves it");
            };
        } catch (ResourceNotFoundException e) {
            // A deleted table stays weak; any other setting of a table that is gone cannot be restored either.
            return new Check(State.WEAK, "no table " + table + " in " + region);
        }
    }

    private Check key(StoreWatch w, Region region, String role) {
        if (!"key-state".equals(w.setting()) && !"key-deletion".equals(w.setting())) {
            return Check.unknown("the sweeper reads only a key's state; " + w.setting() + " is resolved by a restoring change");
        }
        KeyState state = clients.kms(region, role).describeKey(b -> b.keyId(w.name())).keyMetadata().keyState();
        String seen = "KeyState: " + state;
        boolean weak = "key-state".equals(w.setting())
                ? state == KeyState.DISABLED || state == KeyState.PENDING_DELETION
                : state == KeyState.PENDING_DELETION || state == KeyState.PENDING_REPLICA_DELETION;
        return new Check(weak ? State.WEAK : State.RESTORED, seen);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String t = nl < 0 ? s : s.substring(0, nl);
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}
