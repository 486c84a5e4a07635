package io.statetrail.core.cloudtrail;

import io.statetrail.core.event.Actor;
import io.statetrail.core.event.Arns;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.RoleAssumptionFailed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.event.WebIdentity;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.subject.SubjectParser;
import io.statetrail.core.terraform.StateObjects;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a raw CloudTrail record into the events statetrail keeps: role assumptions, state and lock operations,
 * trust-policy changes. Everything else is irrelevant. Session tokens are never copied out of the record.
 */
public final class RecordClassifier {

    static final Set<String> STS = Set.of("AssumeRoleWithWebIdentity", "AssumeRole", "AssumeRoleWithSAML");
    static final Set<String> S3 = Set.of("PutObject", "CopyObject", "CompleteMultipartUpload", "GetObject", "DeleteObject", "DeleteObjects");
    static final Set<String> DYNAMODB = Set.of("PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems",
            "ExecuteStatement", "BatchExecuteStatement");
    static final Set<String> IAM = Set.of("CreateRole", "UpdateAssumeRolePolicy");

    private final StateObjects stateObjects;
    private final StoreRecords stores;

    public RecordClassifier(StateObjects stateObjects) {
        this.stateObjects = stateObjects;
        this.stores = new StoreRecords(stateObjects);
    }

    /** For the reader's fast path, which asks the same question of S3 objects. */
    StateObjects stateObjects() {
        return stateObjects;
    }

    /** Whether a record with this source and name can matter at all; decides what the parser bothers to read. */
    static boolean mayMatter(String eventSource, String eventName) {
        if (eventSource == null || eventName == null) {
            return true;
        }
        if (StoreRecords.mayMatter(eventSource, eventName)) {
            return true;
        }
        return switch (eventSource) {
            case "sts.amazonaws.com" -> STS.contains(eventName);
            case "s3.amazonaws.com" -> S3.contains(eventName);
            case "dynamodb.amazonaws.com" -> DYNAMODB.contains(eventName);
            case "iam.amazonaws.com" -> IAM.contains(eventName);
            default -> false;
        };
    }

    /**
     * Documents that are read but never evaluated, whatever names they carry: digest files, Insights records (their
     * names are inside {@code insightDetails}) and network activity events (a VPC endpoint's copy of a call, which is
     * not the caller's API call: a network activity copy of a state write is not a write). Null for anything else.
     */
    static Skipped skipped(RawRecord r) {
        if (r.eventSource == null && r.eventName == null && r.digestFields) {
            return Skipped.DIGEST;
        }
        if (r.insightDetails || "Insight".equalsIgnoreCase(r.eventCategory) || "AwsCloudTrailInsight".equals(r.eventType)) {
            return Skipped.INSIGHT;
        }
        if ("NetworkActivity".equalsIgnoreCase(r.eventCategory) || "AwsVpceEvent".equals(r.eventType)) {
            return Skipped.NETWORK_ACTIVITY;
        }
        return null;
    }

    /** Thrown for a record that matters but cannot be read; the message is the reason shown to the user. */
    public static final class MalformedRecord extends Exception {
        MalformedRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The events in this record; empty when it is irrelevant. */
    List<TrailEvent> classify(RawRecord r) throws MalformedRecord {
        if (r.eventSource == null && r.eventName == null) {
            throw new MalformedRecord("unknown shape: no eventSource or eventName");
        }
        if (!mayMatter(r.eventSource, r.eventName)) {
            return List.of();
        }
        if (r.problem != null) {
            throw new MalformedRecord(r.problem);
        }
        if (r.eventSource == null || r.eventName == null) {
            throw new MalformedRecord("missing " + (r.eventSource == null ? "eventSource" : "eventName"));
        }
        if (r.eventVersion != null && !r.eventVersion.startsWith("1.")) {
            throw new MalformedRecord("unsupported eventVersion '" + clip(r.eventVersion) + "' (statetrail reads 1.x)");
        }
        if (r.eventId == null || r.eventId.isBlank()) {
            throw new MalformedRecord("missing eventID");
        }
        if (r.eventTime == null) {
            throw new MalformedRecord("missing eventTime");
        }
        Instant time;
        try {
            time = CloudTrailTimes.eventTime(r.eventTime);
        } catch (DateTimeParseException e) {
            throw new MalformedRecord("bad eventTime '" + clip(r.eventTime) + "'");
        }
        Actor actor = r.actor == null ? Actor.UNKNOWN : r.actor;
        String recipient = r.recipientAccountId != null ? r.recipientAccountId : actor.accountId();
        EventMeta meta = new EventMeta(r.eventId, recipient, r.sharedEventId, time, r.eventSource, r.eventName,
                r.awsRegion, r.sourceIp, r.userAgent, r.errorCode, r.errorMessage, actor, r.vpcEndpointId, r.vpcEndpointAccountId);
        if (StoreRecords.mayMatter(r.eventSource, r.eventName)) {
            return stores.classify(meta, r);
        }
        return switch (r.eventSource) {
            case "sts.amazonaws.com" -> List.of(roleAssumption(meta, r));
            case "s3.amazonaws.com" -> s3(meta, r);
            case "dynamodb.amazonaws.com" -> dynamodb(meta, r);
            case "iam.amazonaws.com" -> iam(meta, r);
            default -> List.of();
        };
    }

    private TrailEvent roleAssumption(EventMeta meta, RawRecord r) throws MalformedRecord {
        JsonNode req = r.requestParameters;
        JsonNode resp = r.responseElements;
        String roleArn = text(req, "roleArn");
        if (roleArn == null) {
            roleArn = roleArnFromResources(r.resources);
        }
        WebIdentity webIdentity = null;
        if ("AssumeRoleWithWebIdentity".equals(meta.eventName())) {
            String subject = text(resp, "subjectFromWebIdentityToken");
            if (subject == null) {
                subject = meta.actor().userName();
            }
            String provider = text(resp, "provider");
            if (provider == null) {
                provider = meta.actor().identityProvider();
            }
            String audience = text(resp, "audience");
            webIdentity = new WebIdentity(SubjectParser.parse(subject, provider), provider, audience);
        }
        if (meta.failed()) {
            if (roleArn == null) {
                roleArn = Arns.roleArnIn(meta.errorMessage());
            }
            return new RoleAssumptionFailed(meta, meta.eventName(), roleArn, webIdentity);
        }
        JsonNode credentials = resp == null ? null : resp.get("credentials");
        String issuedKey = text(credentials, "accessKeyId");
        if (issuedKey == null) {
            throw new MalformedRecord(meta.eventName() + " succeeded but has no responseElements.credentials.accessKeyId");
        }
        if (roleArn == null) {
            throw new MalformedRecord(meta.eventName() + " without a role ARN");
        }
        JsonNode user = resp.get("assumedRoleUser");
        Instant expiration = CloudTrailTimes.expiration(text(credentials, "expiration"));
        if (expiration == null) {
            JsonNode duration = req == null ? null : req.get("durationSeconds");
            long seconds = duration != null && duration.canConvertToLong() ? duration.asLong() : 3600;
            expiration = meta.time().plusSeconds(seconds);
        }
        String sourceIdentity = text(resp, "sourceIdentity");
        if (sourceIdentity == null) {
            sourceIdentity = text(req, "sourceIdentity");
        }
        return new RoleAssumed(meta, meta.eventName(), issuedKey, roleArn, text(req, "roleSessionName"),
                text(user, "arn"), text(user, "assumedRoleId"), expiration, webIdentity, sourceIdentity, SessionTags.of(req));
    }

    private List<TrailEvent> s3(EventMeta meta, RawRecord r) {
        JsonNode req = r.requestParameters;
        String bucket = text(req, "bucketName");
        String name = meta.eventName();
        List<TrailEvent> out = new ArrayList<>(1);
        List<String[]> objects = objectsInResources(r.resources);
        if ("DeleteObjects".equals(name)) {
            if (!objects.isEmpty()) {
                // A record that names its objects in resources: one DELETE per state among them.
                for (String[] o : objects) {
                    addS3(out, meta, o[0], o[1], "DeleteObject", null);
                }
                return out;
            }
            // The usual record (console deletes, aws s3 rm --recursive): bucketName, an empty "delete" and an ARNPrefix;
            // the keys deleted are not logged. Whether the bucket holds state is for the detection to say.
            String b = bucket != null ? bucket : bucketInResources(r.resources);
            if (b != null) {
                out.add(new StateAccess(meta, b + "/*", StateAccess.Operation.BULK_DELETE, null, null));
            }
            return out;
        }
        String key = text(req, "key");
        String[] copySource = "CopyObject".equals(name) ? copySource(text(req, "x-amz-copy-source")) : null;
        if (key == null || bucket == null) {
            // Some records carry the object only in resources (arn:aws:s3:::<bucket>/<key>).
            for (String[] o : objects) {
                boolean isSource = copySource != null && o[0].equals(copySource[0]) && o[1].equals(copySource[1]);
                if (!isSource && (bucket == null || bucket.equals(o[0]))) {
                    bucket = o[0];
                    key = key != null ? key : o[1];
                    break;
                }
            }
        }
        addS3(out, meta, bucket, key, name, r);
        if (copySource != null) {
            StateObjects.Classified c = stateObjects.classifyObject(copySource[0], copySource[1]);
            if (c.kind() == StateObjects.Kind.STATE) {
                out.add(new StateAccess(meta, c.stateKey(), StateAccess.Operation.READ, null, copySource[1]));
            }
        }
        return out;
    }

    /** @param r the record, for a versioned delete and the KMS key of a write; null for objects of a DeleteObjects */
    private void addS3(List<TrailEvent> out, EventMeta meta, String bucket, String key, String name, RawRecord r) {
        StateObjects.Classified c = stateObjects.classifyObject(bucket, key);
        // DeleteObject with a versionId removes that version for good; when the response says it was a delete marker,
        // the version under it is current again (CloudTrail logs x-amz-delete-marker among the response headers).
        String versionId = r == null || !"DeleteObject".equals(name) ? null : text(r.requestParameters, "versionId");
        StateAccess.Operation op = switch (c.kind()) {
            case STATE -> switch (name) {
                case "PutObject", "CopyObject", "CompleteMultipartUpload" -> StateAccess.Operation.WRITE;
                case "GetObject" -> StateAccess.Operation.READ;
                case "DeleteObject" -> versionId == null ? StateAccess.Operation.DELETE
                        : "true".equalsIgnoreCase(header(r.responseElements, "x-amz-delete-marker"))
                        ? StateAccess.Operation.DELETE_MARKER_REMOVED : StateAccess.Operation.DELETE_VERSION;
                default -> null;
            };
            case LOCK -> switch (name) {
                case "PutObject", "CopyObject", "CompleteMultipartUpload" -> StateAccess.Operation.LOCK;
                case "DeleteObject" -> StateAccess.Operation.UNLOCK;
                default -> null; // GetObject of a lock only reads who holds it
            };
            case NONE -> null;
        };
        if (op != null) {
            String kmsKey = op == StateAccess.Operation.WRITE && r != null ? kmsKeyOfWrite(r) : null;
            out.add(new StateAccess(meta, c.stateKey(), op, c.kind() == StateObjects.Kind.LOCK ? "s3" : null, key,
                    op.deletesVersion() ? versionId : null, kmsKey));
        }
    }

    /** The KMS key a write was encrypted with: the request names it when the client chose it, the response otherwise. */
    private static String kmsKeyOfWrite(RawRecord r) {
        String k = header(r.requestParameters, "x-amz-server-side-encryption-aws-kms-key-id");
        return k != null ? k : header(r.responseElements, "x-amz-server-side-encryption-aws-kms-key-id");
    }

    /** An S3 header as CloudTrail logs it: a string, or a list of one string. */
    static String header(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v != null && v.isArray() && v.size() > 0) {
            v = v.get(0);
        }
        return v != null && v.isValueNode() && !v.asText().isEmpty() ? v.asText() : null;
    }

    /**
     * Lock items written or deleted, by any of DynamoDB's write calls. A logged request that names a {@code LockID}
     * acquires (put, update, insert) or releases (delete) like PutItem/DeleteItem. One on a listed lock table that names
     * none (a parameterised PartiQL statement, an item with another key) is kept as a {@code LOCK_TABLE_CHANGE}: an
     * unexplained change of the lock table by whoever made it. Reads (ConditionCheck, SELECT) change nothing.
     */
    private List<TrailEvent> dynamodb(EventMeta meta, RawRecord r) {
        JsonNode req = r.requestParameters;
        List<TrailEvent> out = new ArrayList<>(1);
        Set<String> unexplained = new java.util.TreeSet<>();
        switch (meta.eventName()) {
            case "PutItem", "UpdateItem", "DeleteItem" -> lockItem(out, unexplained, meta, text(req, "tableName"), req == null ? null : req.get("key"),
                    "DeleteItem".equals(meta.eventName()) ? StateAccess.Operation.UNLOCK : StateAccess.Operation.LOCK);
            case "BatchWriteItem", "TransactWriteItems" -> {
                boolean read = writeRequests(out, unexplained, meta, req == null ? null : firstField(req, "requestItems", "RequestItems", "transactItems", "TransactItems"));
                if (!read) {
                    // The request could not be read: the change is at least one of the lock tables the resources name.
                    unexplained.addAll(lockTablesIn(r.resources));
                }
            }
            case "ExecuteStatement" -> statement(out, unexplained, meta, text(req, "statement"), r.resources);
            case "BatchExecuteStatement" -> {
                JsonNode statements = req == null ? null : firstField(req, "statements", "Statements");
                if (statements == null || !statements.isArray()) {
                    unexplained.addAll(lockTablesIn(r.resources));
                } else {
                    for (JsonNode st : statements) {
                        statement(out, unexplained, meta, st.isTextual() ? st.asText() : text(firstObject(st, "statement", "Statement")), r.resources);
                    }
                }
            }
            default -> {
            }
        }
        for (String table : unexplained) {
            out.add(new StateAccess(meta, "dynamodb:" + table + "/*", StateAccess.Operation.LOCK_TABLE_CHANGE, "dynamodb:" + table, null));
        }
        return out;
    }

    /** One item of a lock table: a lock operation when its key is a Terraform LockID, else an unexplained change. */
    private void lockItem(List<TrailEvent> out, Set<String> unexplained, EventMeta meta, String table, JsonNode key, StateAccess.Operation op) {
        if (table == null) {
            return;
        }
        String lockId = null;
        String attribute = null;
        if (key != null && key.isObject() && key.size() == 1) {
            attribute = key.fieldNames().next();
            lockId = scalar(key.get(attribute));
        } else if (key != null && key.isObject() && key.has(StateObjects.LOCK_ID) && key.has("Info")) {
            // A whole Terraform lock item (a batch's PutRequest as the API shapes it): its key is the LockID.
            attribute = StateObjects.LOCK_ID;
            lockId = scalar(key.get(StateObjects.LOCK_ID));
        }
        String stateKey = stateObjects.lockedStateKey(table, attribute, lockId);
        if (stateKey != null) {
            out.add(new StateAccess(meta, stateKey, op, "dynamodb:" + table, lockId));
        } else if (stateObjects.isListedLockTable(table) && !StateObjects.isDigest(attribute, lockId)) {
            unexplained.add(table);
        }
    }

    /**
     * {@code requestItems} of BatchWriteItem / TransactWriteItems, as CloudTrail logs them: a list of
     * {@code {operation, tableName, key}} (DynamoDB Developer Guide, TransactWriteItems example; key names vary in case),
     * or the API's own map of table → {@code [{PutRequest|DeleteRequest}]}. False when nothing could be read.
     */
    private boolean writeRequests(List<TrailEvent> out, Set<String> unexplained, EventMeta meta, JsonNode items) {
        if (items == null) {
            return false;
        }
        if (items.isArray()) {
            for (JsonNode item : items) {
                String op = text(firstObject(item, "operation", "Operation"));
                String table = text(firstObject(item, "tableName", "TableName"));
                JsonNode key = firstObject(item, "key", "Key");
                for (String kind : List.of("Put", "Update", "Delete", "ConditionCheck")) {
                    JsonNode nested = firstObject(item, kind, kind.toLowerCase(java.util.Locale.ROOT).charAt(0) + kind.substring(1));
                    if (nested != null && nested.isObject()) {
                        op = kind;
                        table = table != null ? table : text(firstObject(nested, "tableName", "TableName"));
                        key = key != null ? key : firstObject(nested, "key", "Key", "item", "Item");
                    }
                }
                writeRequest(out, unexplained, meta, op, table, key);
            }
            return true;
        }
        if (items.isObject()) {
            for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> tables = items.fields(); tables.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> t = tables.next();
                for (JsonNode request : list(t.getValue())) {
                    JsonNode put = firstObject(request, "putRequest", "PutRequest");
                    JsonNode delete = firstObject(request, "deleteRequest", "DeleteRequest");
                    if (put != null) {
                        writeRequest(out, unexplained, meta, "Put", t.getKey(), firstObject(put, "item", "Item", "key", "Key"));
                    } else if (delete != null) {
                        writeRequest(out, unexplained, meta, "Delete", t.getKey(), firstObject(delete, "key", "Key"));
                    } else {
                        writeRequest(out, unexplained, meta, null, t.getKey(), null);
                    }
                }
            }
            return true;
        }
        return false;
    }

    private void writeRequest(List<TrailEvent> out, Set<String> unexplained, EventMeta meta, String op, String table, JsonNode key) {
        if (op != null && op.equalsIgnoreCase("ConditionCheck")) {
            return;
        }
        if (op == null) {
            if (table != null && stateObjects.isListedLockTable(table)) {
                unexplained.add(table);
            }
            return;
        }
        lockItem(out, unexplained, meta, table, key,
                op.equalsIgnoreCase("Delete") ? StateAccess.Operation.UNLOCK : StateAccess.Operation.LOCK);
    }

    /** A PartiQL statement: which lock item it writes, when its logged text names the table and the LockID. */
    private void statement(List<TrailEvent> out, Set<String> unexplained, EventMeta meta, String statement, JsonNode resources) {
        PartiQl.Write w = PartiQl.write(statement);
        if (w == null) {
            if (statement == null) {
                unexplained.addAll(lockTablesIn(resources)); // not logged: some write on the table
            }
            return; // a read, or not a statement at all
        }
        String table = w.table();
        if (table == null) {
            unexplained.addAll(lockTablesIn(resources));
            return;
        }
        if (w.lockId() == null) {
            if (stateObjects.isListedLockTable(table)) {
                unexplained.add(table);
            }
            return;
        }
        JsonNode key = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put(StateObjects.LOCK_ID, w.lockId());
        lockItem(out, unexplained, meta, table, key, w.delete() ? StateAccess.Operation.UNLOCK : StateAccess.Operation.LOCK);
    }

    /** Listed lock tables among the {@code AWS::DynamoDB::Table} resources. */
    private List<String> lockTablesIn(JsonNode resources) {
        List<String> out = new ArrayList<>();
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                String arn = "AWS::DynamoDB::Table".equals(text(res, "type")) ? text(res, "ARN") : null;
                int at = arn == null ? -1 : arn.indexOf(":table/");
                if (at >= 0) {
                    String table = arn.substring(at + ":table/".length());
                    int slash = table.indexOf('/');
                    table = slash >= 0 ? table.substring(0, slash) : table;
                    if (stateObjects.isListedLockTable(table)) {
                        out.add(table);
                    }
                }
            }
        }
        return out;
    }

    /** A key value as logged: plain text, or a typed {@code {"S": "…"}} attribute value. */
    private static String scalar(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        return value.isObject() && value.path("S").isTextual() ? value.get("S").asText() : null;
    }

    private static JsonNode firstField(JsonNode node, String... names) {
        return firstObject(node, names);
    }

    /** The first of these fields present (CloudTrail's key casing is not consistent: key/Key, tableName/TableName). */
    private static JsonNode firstObject(JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(out::add);
        } else if (node != null && !node.isNull()) {
            out.add(node);
        }
        return out;
    }

    private List<TrailEvent> iam(EventMeta meta, RawRecord r) {
        if (meta.failed()) {
            return List.of();
        }
        JsonNode req = r.requestParameters;
        String roleName = text(req, "roleName");
        String document = text(req, "CreateRole".equals(meta.eventName()) ? "assumeRolePolicyDocument" : "policyDocument");
        if (roleName == null || document == null) {
            return List.of();
        }
        String roleArn = r.responseElements == null ? null : text(r.responseElements.get("role"), "arn");
        if (roleArn == null) {
            String path = text(req, "path");
            if (path == null || !path.startsWith("/") || !path.endsWith("/")) {
                path = "/";
            }
            roleArn = "arn:aws:iam::" + meta.account() + ":role" + path + roleName;
        }
        return List.of(new TrustPolicyChanged(meta, roleName, roleArn, decodePolicy(document)));
    }

    /** IAM policy documents reach CloudTrail URL-encoded or as plain JSON. */
    static String decodePolicy(String document) {
        String trimmed = document.trim();
        if (trimmed.startsWith("{")) {
            return trimmed;
        }
        try {
            return URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return trimmed;
        }
    }

    /** {@code x-amz-copy-source}: {@code [/]bucket/key[?versionId=…]}, possibly URL-encoded. */
    static String[] copySource(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String s = raw;
        int q = s.indexOf("?versionId=");
        if (q >= 0) {
            s = s.substring(0, q);
        }
        if (s.indexOf('%') >= 0) {
            try {
                s = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (s.startsWith("/")) {
            s = s.substring(1);
        }
        int slash = s.indexOf('/');
        return slash > 0 && slash < s.length() - 1 ? new String[] {s.substring(0, slash), s.substring(slash + 1)} : null;
    }

    /** {@code [bucket, key]} of every {@code AWS::S3::Object} resource named by a full ARN (not an {@code ARNPrefix}). */
    private static List<String[]> objectsInResources(JsonNode resources) {
        List<String[]> out = new ArrayList<>();
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                String[] o = "AWS::S3::Object".equals(text(res, "type")) ? Arns.s3Object(text(res, "ARN")) : null;
                if (o != null) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** The bucket of the {@code AWS::S3::Bucket} resource, or of an object {@code ARNPrefix}. */
    private static String bucketInResources(JsonNode resources) {
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                String b = Arns.s3Bucket("AWS::S3::Bucket".equals(text(res, "type")) ? text(res, "ARN") : text(res, "ARNPrefix"));
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    private static String roleArnFromResources(JsonNode resources) {
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                if ("AWS::IAM::Role".equals(text(res, "type"))) {
                    return text(res, "ARN");
                }
            }
        }
        return null;
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
