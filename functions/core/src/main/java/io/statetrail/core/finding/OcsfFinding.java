package io.statetrail.core.finding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.TreeMap;

/**
 * A finding as an OCSF 1.1.0 Detection Finding (class 2004, category Findings), the version Amazon Security Lake
 * takes from custom sources; for SIEMs that read OCSF. The mapping is documented field by field in docs/alerts.md
 * (OCSF); what OCSF has no attribute for stays under {@code unmapped}, so nothing of the finding is lost.
 */
public final class OcsfFinding {

    public static final String SCHEMA_VERSION = "1.1.0";
    public static final int CATEGORY_UID = 2;
    public static final int CLASS_UID = 2004;
    static final int ACTIVITY_CREATE = 1;
    static final int ACTIVITY_CLOSE = 3;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OcsfFinding() {
    }

    /** @param productVersion the statetrail version that produced it ({@code metadata.product.version}) */
    public static ObjectNode toOcsf(Finding f, String productVersion) {
        boolean withdrawn = f.details().containsKey("withdrawn");
        int activity = withdrawn ? ACTIVITY_CLOSE : ACTIVITY_CREATE;
        ObjectNode o = MAPPER.createObjectNode();
        o.put("activity_id", activity);
        o.put("activity_name", withdrawn ? "Close" : "Create");
        o.put("category_uid", CATEGORY_UID);
        o.put("category_name", "Findings");
        o.put("class_uid", CLASS_UID);
        o.put("class_name", "Detection Finding");
        o.put("type_uid", CLASS_UID * 100L + activity);
        o.put("type_name", "Detection Finding: " + (withdrawn ? "Close" : "Create"));
        o.put("severity_id", severityId(f.severity()));
        o.put("severity", severityCaption(f.severity()));
        putTime(o, "time", f.time() != null ? f.time() : f.lastSeen());
        putTime(o, "start_time", f.time());
        putTime(o, "end_time", f.lastSeen());
        o.put("message", f.summary());
        // Withdrawn: records that arrived late showed it did not happen as first seen; OCSF 1.1 has no such status.
        // Suppressed: accepted by the policy's suppressions: (details.suppressedBy); OCSF's own status 3.
        // Triage (issue 15): acknowledged is OCSF's In Progress (2), resolved its Resolved (4); a false positive has no
        // OCSF status of its own (Other, 99, with our word).
        int triage = switch (f.status()) {
            case OPEN -> 1;
            case ACKNOWLEDGED -> 2;
            case RESOLVED -> 4;
            case FALSE_POSITIVE -> 99;
        };
        String triageName = switch (f.status()) {
            case OPEN -> "New";
            case ACKNOWLEDGED -> "In Progress";
            case RESOLVED -> "Resolved";
            case FALSE_POSITIVE -> "False Positive";
        };
        o.put("status_id", withdrawn ? 99 : f.suppressed() ? 3 : triage);
        o.put("status", withdrawn ? "Withdrawn" : f.suppressed() ? "Suppressed" : triageName);
        // Provisional: late records could still withdraw it or change who did it.
        o.put("confidence_id", f.provisional() ? 2 : 3);
        o.put("confidence", f.provisional() ? "Medium" : "High");

        ObjectNode metadata = o.putObject("metadata");
        metadata.put("version", SCHEMA_VERSION);
        metadata.put("uid", f.id());
        metadata.putArray("profiles").add("cloud");
        ObjectNode product = metadata.putObject("product");
        product.put("name", "statetrail");
        product.put("vendor_name", "statetrail");
        if (productVersion != null && !productVersion.isBlank()) {
            product.put("version", productVersion);
        }

        ObjectNode cloud = o.putObject("cloud");
        cloud.put("provider", "AWS");
        if (f.account() != null) {
            ObjectNode account = cloud.putObject("account");
            account.put("uid", f.account());
            account.put("type_id", 10);
            account.put("type", "AWS Account");
        }

        ObjectNode info = o.putObject("finding_info");
        info.put("uid", f.id());
        info.put("title", f.type());
        info.put("desc", f.summary());
        info.putArray("types").add(f.type());
        putTime(info, "first_seen_time", f.time());
        putTime(info, "last_seen_time", f.lastSeen());
        ObjectNode analytic = info.putObject("analytic");
        analytic.put("uid", f.type());
        analytic.put("name", f.type());
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");
        ArrayNode related = info.putArray("related_events");
        for (String eventId : f.eventIds()) {
            ObjectNode e = related.addObject();
            e.put("uid", eventId);
            e.put("product_uid", "cloudtrail");
        }

        ArrayNode resources = o.putArray("resources");
        String partition = partition(f.roleArn());
        if (f.stateKey() != null) {
            ObjectNode state = resources.addObject();
            state.put("uid", "arn:" + partition + ":s3:::" + f.stateKey());
            state.put("name", f.stateKey());
            state.put("type", "AWS::S3::Object");
            state.put("cloud_partition", partition);
        }
        if (f.roleArn() != null) {
            ObjectNode role = resources.addObject();
            role.put("uid", f.roleArn());
            role.put("name", f.roleArn().substring(f.roleArn().lastIndexOf('/') + 1));
            role.put("type", "AWS::IAM::Role");
            role.put("cloud_partition", partition);
        }

        if (f.accessKeyId() != null || f.subject() != null || f.runKey() != null) {
            ObjectNode actor = o.putArray("evidences").addObject().putObject("actor");
            if (f.subject() != null || f.runKey() != null) {
                ObjectNode user = actor.putObject("user");
                if (f.subject() != null) {
                    user.put("name", f.subject());
                }
                if (f.runKey() != null) {
                    user.put("uid", f.runKey());
                }
            }
            if (f.accessKeyId() != null) {
                ObjectNode session = actor.putObject("session");
                session.put("credential_uid", f.accessKeyId());
                if (f.roleArn() != null) {
                    session.put("issuer", f.roleArn());
                }
            }
        }

        ObjectNode unmapped = o.putObject("unmapped");
        unmapped.put("type", f.type());
        unmapped.put("subject", f.subject());
        unmapped.put("repository", f.repository());
        unmapped.put("ref", f.ref());
        unmapped.put("runKey", f.runKey());
        f.roleChain().forEach(unmapped.putArray("roleChain")::add);
        unmapped.put("count", f.count());
        unmapped.put("provisional", f.provisional());
        ObjectNode details = unmapped.putObject("details");
        new TreeMap<>(f.details()).forEach(details::put);
        return o;
    }

    public static String toLine(Finding f, String productVersion) {
        try {
            return MAPPER.writeValueAsString(toOcsf(f, productVersion));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical (6 Fatal is not used). */
    static int severityId(Severity s) {
        return s == null ? 0 : switch (s) {
            case LOW -> 2;
            case MEDIUM -> 3;
            case HIGH -> 4;
            case CRITICAL -> 5;
        };
    }

    static String severityCaption(Severity s) {
        return s == null ? "Unknown" : switch (s) {
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }

    /** OCSF timestamps are milliseconds since the epoch. */
    private static void putTime(ObjectNode o, String field, Instant t) {
        if (t != null) {
            o.put(field, t.toEpochMilli());
        }
    }

    /** The partition of the role's ARN (aws, aws-cn, aws-us-gov), so a state object's ARN is right outside aws. */
    static String partition(String arn) {
        if (arn != null && arn.startsWith("arn:")) {
            int end = arn.indexOf(':', 4);
            if (end > 4) {
                return arn.substring(4, end);
            }
        }
        return "aws";
    }
}
