package io.statetrail.core.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statetrail.core.event.Arns;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.terraform.StateObjects;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The store's own calls (issue 19): changes of the bucket that holds state, of the lock table and of the KMS key, kept
 * as {@link StoreChange}s with the request as logged. Failed calls changed nothing and are dropped.
 *
 * <p>CloudTrail's names are not always the API's: {@code PutBucketLifecycleConfiguration} is logged as
 * {@code PutBucketLifecycle}, {@code PutPublicAccessBlock} as {@code PutBucketPublicAccessBlock}; both spellings are read.
 */
final class StoreRecords {

    static final Set<String> S3_BUCKET = Set.of("CreateBucket", "DeleteBucket", "PutBucketVersioning",
            "PutBucketLifecycle", "PutBucketLifecycleConfiguration", "DeleteBucketLifecycle",
            "PutBucketPolicy", "DeleteBucketPolicy",
            "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutPublicAccessBlock", "DeletePublicAccessBlock",
            "PutBucketEncryption", "DeleteBucketEncryption", "PutBucketReplication", "DeleteBucketReplication",
            "PutBucketAcl", "PutObjectAcl");
    static final Set<String> DYNAMODB_TABLE = Set.of("CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive",
            "UpdateContinuousBackups", "RestoreTableFromBackup", "RestoreTableToPointInTime");
    static final Set<String> KMS = Set.of("CreateKey", "DisableKey", "EnableKey", "ScheduleKeyDeletion", "CancelKeyDeletion",
            "PutKeyPolicy", "CreateGrant", "RevokeGrant", "RetireGrant");

    /** A bare key id: a UUID, or a multi-Region key's {@code mrk-…} id. */
    private static final Pattern BARE_KEY_ID = Pattern.compile("(mrk-)?[0-9A-Fa-f-]{8,64}");

    private final StateObjects stateObjects;

    StoreRecords(StateObjects stateObjects) {
        this.stateObjects = stateObjects;
    }

    static boolean mayMatter(String eventSource, String eventName) {
        return switch (eventSource) {
            case "s3.amazonaws.com" -> S3_BUCKET.contains(eventName);
            case "dynamodb.amazonaws.com" -> DYNAMODB_TABLE.contains(eventName);
            case "kms.amazonaws.com" -> KMS.contains(eventName);
            default -> false;
        };
    }

    /** The store change in this record, or nothing when it failed or names no store. */
    List<TrailEvent> classify(EventMeta meta, RawRecord r) {
        if (meta.failed()) {
            return List.of();
        }
        StoreChange c = switch (meta.eventSource()) {
            case "s3.amazonaws.com" -> bucket(meta, r);
            case "dynamodb.amazonaws.com" -> table(meta, r);
            case "kms.amazonaws.com" -> key(meta, r);
            default -> null;
        };
        return c == null ? List.of() : List.of(c);
    }

    private StoreChange bucket(EventMeta meta, RawRecord r) {
        String bucket = RecordClassifier.text(r.requestParameters, "bucketName");
        if (bucket == null) {
            bucket = resourceArn(r.resources, "AWS::S3::Bucket") == null ? null : Arns.s3Bucket(resourceArn(r.resources, "AWS::S3::Bucket"));
        }
        String objectKey = null;
        if ("PutObjectAcl".equals(meta.eventName())) {
            objectKey = RecordClassifier.text(r.requestParameters, "key");
            if (objectKey == null) {
                String[] o = Arns.s3Object(resourceArn(r.resources, "AWS::S3::Object"));
                objectKey = o == null ? null : o[1];
                bucket = bucket != null ? bucket : o == null ? null : o[0];
            }
            // Only a state object's ACL is the store's business; every other object's is not kept.
            if (stateObjects.classifyObject(bucket, objectKey).kind() != StateObjects.Kind.STATE) {
                return null;
            }
        }
        return bucket == null ? null : change(meta, StoreChange.Store.BUCKET, bucket, objectKey, r);
    }

    private StoreChange table(EventMeta meta, RawRecord r) {
        JsonNode req = r.requestParameters;
        String table = switch (meta.eventName()) {
            // A restore creates the table it names as its target: that is the table it changes.
            case "RestoreTableFromBackup", "RestoreTableToPointInTime" -> first(req, "targetTableName", "TargetTableName");
            default -> first(req, "tableName", "TableName");
        };
        if (table == null && r.responseElements != null) {
            JsonNode d = r.responseElements.has("tableDescription") ? r.responseElements.get("tableDescription")
                    : r.responseElements.get("TableDescription");
            table = first(d, "tableName", "TableName");
        }
        if (table == null) {
            // UpdateTable as the Developer Guide shows it names the table only in its response; some only in resources.
            String arn = resourceArn(r.resources, "AWS::DynamoDB::Table");
            int at = arn == null ? -1 : arn.indexOf(":table/");
            table = at < 0 ? null : arn.substring(at + ":table/".length()).split("/")[0];
        }
        if (table != null && table.startsWith("arn:") && table.contains(":table/")) {
            table = table.substring(table.indexOf(":table/") + ":table/".length()).split("/")[0]; // the API accepts a table ARN
        }
        return table == null || table.isEmpty() ? null : change(meta, StoreChange.Store.TABLE, table, null, r);
    }

    private StoreChange key(EventMeta meta, RawRecord r) {
        String arn = keyArn(meta, r);
        return arn == null ? null : change(meta, StoreChange.Store.KEY, arn, null, r);
    }

    /**
     * The key's ARN: {@code keyId} when it is one; a bare key id with the record's account and region; else (an alias)
     * the {@code AWS::KMS::Key} resource or the key ARN KMS put in the response ({@code keyId}, or for CreateKey
     * {@code keyMetadata.arn}).
     */
    static String keyArn(EventMeta meta, RawRecord r) {
        String keyId = RecordClassifier.text(r.requestParameters, "keyId");
        if (keyId != null && keyId.startsWith("arn:") && keyId.contains(":key/")) {
            return keyId;
        }
        if (keyId != null && BARE_KEY_ID.matcher(keyId).matches() && meta.region() != null && meta.account() != null) {
            return "arn:" + partition(meta.region()) + ":kms:" + meta.region() + ":" + meta.account() + ":key/" + keyId;
        }
        String fromResources = resourceArn(r.resources, "AWS::KMS::Key");
        if (fromResources != null && fromResources.contains(":key/")) {
            return fromResources;
        }
        JsonNode resp = r.responseElements;
        String fromResponse = RecordClassifier.text(resp, "keyId");
        if (fromResponse == null && resp != null) {
            fromResponse = RecordClassifier.text(resp.get("keyMetadata"), "arn");
        }
        return fromResponse != null && fromResponse.startsWith("arn:") && fromResponse.contains(":key/") ? fromResponse : null;
    }

    static String partition(String region) {
        String r = region.toLowerCase(Locale.ROOT);
        return r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    private static StoreChange change(EventMeta meta, StoreChange.Store store, String name, String objectKey, RawRecord r) {
        JsonNode req = r.requestParameters;
        String request;
        if (req instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            copy.remove("Host"); // the endpoint the client used: the same for every call on the bucket
            copy.remove("host");
            request = copy.toString();
        } else {
            request = "{}";
        }
        String response = r.responseElements == null || r.responseElements.isNull() ? null : r.responseElements.toString();
        return new StoreChange(meta, store, name, objectKey, request, response);
    }

    private static String first(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = RecordClassifier.text(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The ARN of the first resource of this type ({@code ARN}, or {@code arn} as some exports spell it). */
    private static String resourceArn(JsonNode resources, String type) {
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                if (type.equals(RecordClassifier.text(res, "type"))) {
                    String arn = RecordClassifier.text(res, "ARN");
                    return arn != null ? arn : RecordClassifier.text(res, "arn");
                }
            }
        }
        return null;
    }
}
