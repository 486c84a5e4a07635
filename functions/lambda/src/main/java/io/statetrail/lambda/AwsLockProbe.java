package io.statetrail.lambda;

import io.statetrail.service.port.LockProbe;
import io.statetrail.service.query.LockDetails;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads a Terraform lock where it lives: {@code GetItem} of its {@code LockID} in the lock table (consistent read, so
 * a lock taken a moment ago is seen) or {@code GetObject} of the {@code .tflock} object. In a member account it goes
 * through {@code STATETRAIL_LOCK_READER_ROLE}. Anything that stops it from looking (access denied, no role, throttling)
 * is UNKNOWN with the reason, never GONE: the sweeper must not resolve a lock it could not see.
 */
public final class AwsLockProbe implements LockProbe {

    private final AwsClients aws;
    private final MemberRole member;

    /** @param homeAccount the functions' own account, asked of STS on first need */
    public AwsLockProbe(AwsClients aws, String lockReaderRole, Supplier<String> homeAccount) {
        this.aws = aws;
        this.member = new MemberRole(lockReaderRole, homeAccount);
    }

    @Override
    public Probe probe(String stateKey, String lockStore, String account, String region) {
        try {
            Region r = region == null ? aws.home() : Region.of(region);
            String role = roleFor(account);
            if (lockStore != null && lockStore.startsWith("dynamodb:")) {
                return dynamo(stateKey, lockStore.substring("dynamodb:".length()), r, role);
            }
            if ("s3".equals(lockStore)) {
                if (aws.local()) {
                    return Probe.unknown("no S3 in a local run");
                }
                return s3(stateKey, r, role);
            }
            return Probe.unknown("unknown lock store '" + lockStore + "'");
        } catch (IllegalStateException e) {
            return Probe.unknown(e.getMessage());
        } catch (SdkException e) {
            return Probe.unknown(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * {@code HeadObject} of an S3 object (issue 13: what a {@code DeleteObjects} call removed), through the same
     * reader role as the lock probe. It needs {@code s3:GetObject} on the object; it never reads the body.
     */
    @Override
    public Probe object(String bucket, String key, String account, String region) {
        try {
            if (aws.local()) {
                return Probe.unknown("no S3 in a local run");
            }
            Region r = region == null ? aws.home() : Region.of(region);
            aws.s3(r, roleFor(account)).headObject(b -> b.bucket(bucket).key(key));
            return new Probe(State.HELD, Optional.empty(), "object s3://" + bucket + "/" + key);
        } catch (NoSuchKeyException e) {
            return new Probe(State.GONE, Optional.empty(), "no object s3://" + bucket + "/" + key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return new Probe(State.GONE, Optional.empty(), "no object s3://" + bucket + "/" + key);
            }
            return Probe.unknown(e.getClass().getSimpleName() + " " + e.statusCode() + ": " + firstLine(e.getMessage()));
        } catch (IllegalStateException e) {
            return Probe.unknown(e.getMessage());
        } catch (SdkException e) {
            return Probe.unknown(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    /** Null for our own account; the member account's lock-reader role otherwise. */
    String roleFor(String account) {
        return member.arnFor(account, "lock");
    }

    private Probe dynamo(String stateKey, String table, Region region, String role) {
        GetItemResponse item;
        try {
            item = aws.dynamoDb(region, role).getItem(b -> b.tableName(table)
                    .key(Map.of("LockID", AttributeValue.fromS(stateKey)))
                    .consistentRead(true));
        } catch (ResourceNotFoundException e) {
            return Probe.unknown("lock table " + table + " not found in " + region);
        }
        if (!item.hasItem() || item.item().isEmpty()) {
            return new Probe(State.GONE, Optional.empty(), "no item " + stateKey + " in " + table);
        }
        AttributeValue info = item.item().get("Info");
        Optional<LockDetails> details = info == null ? Optional.empty() : LockInfo.parse(info.s());
        return new Probe(State.HELD, details, "item " + stateKey + " in " + table);
    }

    private Probe s3(String stateKey, Region region, String role) {
        int slash = stateKey.indexOf('/');
        if (slash <= 0) {
            return Probe.unknown("state key '" + stateKey + "' has no bucket");
        }
        String bucket = stateKey.substring(0, slash);
        String key = stateKey.substring(slash + 1) + ".tflock";
        try {
            byte[] body = aws.s3(region, role).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            return new Probe(State.HELD, LockInfo.parse(new String(body, StandardCharsets.UTF_8)), "object s3://" + bucket + "/" + key);
        } catch (NoSuchKeyException e) {
            return new Probe(State.GONE, Optional.empty(), "no object s3://" + bucket + "/" + key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return new Probe(State.GONE, Optional.empty(), "no object s3://" + bucket + "/" + key);
            }
            throw e;
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String t = nl < 0 ? s : s.substring(0, nl);
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}
