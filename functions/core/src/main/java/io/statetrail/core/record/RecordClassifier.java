package io.statetrail.core.record;

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
    static final Set<String> DYNAMODB = Set.of("PutItem", "DeleteItem");
    static final Set<String> IAM = Set.of("CreateRole", "UpdateAssumeRolePolicy");

    private final StateObjects stateObjects;

    public RecordClassifier(StateObjects stateObjects) {
        this.stateObjects = stateObjects;
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
        return switch (eventSource) {
            case "sts.amazonaws.com" -> STS.contains(eventName);
            case "s3.amazonaws.com" -> S3.contains(eventName);
            case "dynamodb.amazonaws.com" -> DYNAMODB.contains(eventName);
            case "iam.amazonaws.com" -> IAM.contains(eventName);
            default -> false;
        };
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
                r.awsRegion, r.sourceIp, r.userAgent, r.errorCode, r.errorMessage, actor);
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
                text(user, "arn"), text(user, "assumedRoleId"), expiration, webIdentity, sourceIdentity);
    }

    private List<TrailEvent> s3(EventMeta meta, RawRecord r) {
        JsonNode req = r.requestParameters;
        String bucket = text(req, "bucketName");
        String name = meta.eventName();
        List<TrailEvent> out = new ArrayList<>(1);
        if ("DeleteObjects".equals(name)) {
            // Multi-object delete names each object only in resources.
            for (String objectArn : objectArns(r.resources)) {
                String rest = objectArn.substring("arn:aws:s3:::".length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    addS3(out, meta, rest.substring(0, slash), rest.substring(slash + 1), "DeleteObject");
                }
            }
            return out;
        }
        addS3(out, meta, bucket, text(req, "key"), name);
        if ("CopyObject".equals(name)) {
            String[] source = copySource(text(req, "x-amz-copy-source"));
            if (source != null) {
                StateObjects.Classified c = stateObjects.classifyObject(source[0], source[1]);
                if (c.kind() == StateObjects.Kind.STATE) {
                    out.add(new StateAccess(meta, c.stateKey(), StateAccess.Operation.READ, null, source[1]));
                }
            }
        }
        return out;
    }

    private void addS3(List<TrailEvent> out, EventMeta meta, String bucket, String key, String name) {
        StateObjects.Classified c = stateObjects.classifyObject(bucket, key);
        StateAccess.Operation op = switch (c.kind()) {
            case STATE -> switch (name) {
                case "PutObject", "CopyObject", "CompleteMultipartUpload" -> StateAccess.Operation.WRITE;
                case "GetObject" -> StateAccess.Operation.READ;
                case "DeleteObject" -> StateAccess.Operation.DELETE;
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
            out.add(new StateAccess(meta, c.stateKey(), op, c.kind() == StateObjects.Kind.LOCK ? "s3" : null, key));
        }
    }

    private List<TrailEvent> dynamodb(EventMeta meta, RawRecord r) {
        JsonNode req = r.requestParameters;
        String table = text(req, "tableName");
        JsonNode key = req == null ? null : req.get("key");
        if (key == null || !key.isObject() || key.size() != 1) {
            return List.of();
        }
        String attribute = key.fieldNames().next();
        JsonNode value = key.get(attribute);
        String lockId = value.isTextual() ? value.asText() : value.isObject() && value.path("S").isTextual() ? value.get("S").asText() : null;
        String stateKey = stateObjects.lockedStateKey(table, attribute, lockId);
        if (stateKey == null) {
            return List.of();
        }
        StateAccess.Operation op = "PutItem".equals(meta.eventName()) ? StateAccess.Operation.LOCK : StateAccess.Operation.UNLOCK;
        return List.of(new StateAccess(meta, stateKey, op, "dynamodb:" + table, lockId));
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

    private static List<String> objectArns(JsonNode resources) {
        List<String> out = new ArrayList<>();
        if (resources != null && resources.isArray()) {
            for (JsonNode res : resources) {
                String arn = text(res, "ARN");
                if ("AWS::S3::Object".equals(text(res, "type")) && arn != null && arn.startsWith("arn:aws:s3:::")) {
                    out.add(arn);
                }
            }
        }
        return out;
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
