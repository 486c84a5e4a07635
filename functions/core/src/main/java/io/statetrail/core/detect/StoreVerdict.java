package io.statetrail.core.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.statetrail.core.event.Arns;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.iam.ResourcePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one change does to the safety of the store it changes (issue 19): which setting it is about ({@code aspect}), and
 * why it weakens it, or nothing when it keeps the store safe. A later change of the same aspect that does not weaken it
 * restores it. A change that touches none of the settings statetrail guards has no aspect.
 *
 * @param aspect     the setting: {@code versioning}, {@code lifecycle}, {@code policy}, {@code ttl}, {@code key-state}…;
 *                   null when the change touches none
 * @param problems   why it weakens the store; empty when it does not
 * @param severity   how bad, before the admin step
 * @param alwaysFull reported at full severity even when an admin made it (key deletion)
 */
record StoreVerdict(String aspect, List<String> problems, Severity severity, boolean alwaysFull) {

    static final StoreVerdict NONE = new StoreVerdict(null, List.of(), Severity.LOW, false);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    StoreVerdict {
        problems = List.copyOf(problems);
    }

    static StoreVerdict safe(String aspect) {
        return new StoreVerdict(aspect, List.of(), Severity.LOW, false);
    }

    static StoreVerdict weakens(String aspect, Severity severity, List<String> problems) {
        return problems.isEmpty() ? safe(aspect) : new StoreVerdict(aspect, problems, severity, false);
    }

    static StoreVerdict weakens(String aspect, Severity severity, String problem) {
        return weakens(aspect, severity, List.of(problem));
    }

    boolean weakensStore() {
        return aspect != null && !problems.isEmpty();
    }

    StoreVerdict full() {
        return new StoreVerdict(aspect, problems, severity, true);
    }

    /**
     * Judges a change of a store statetrail guards.
     *
     * @param earlier the same store's changes before this one, oldest first (the policy it replaces)
     */
    static StoreVerdict of(StoreChange c, List<StoreChange> earlier, StoreFacts facts, Evaluation e) {
        return switch (c.store()) {
            case BUCKET -> BucketVerdicts.judge(c, earlier, facts, e);
            case TABLE -> table(c);
            case KEY -> key(c, earlier, facts);
        };
    }

    // ---- lock tables ----

    private static StoreVerdict table(StoreChange c) {
        JsonNode req = json(c.request());
        return switch (c.meta().eventName()) {
            case "CreateTable" -> safe("table");
            case "DeleteTable" -> weakens("table", Severity.CRITICAL, "lock table " + c.name() + " deleted: every lock it held is gone");
            case "UpdateTimeToLive" -> {
                JsonNode spec = field(req, "timeToLiveSpecification");
                Boolean enabled = bool(field(spec, "enabled"));
                yield enabled == null ? NONE : enabled
                        ? weakens("ttl", Severity.CRITICAL, "TTL enabled on attribute '" + text(field(spec, "attributeName"))
                        + "': lock items can expire silently and an apply runs unlocked")
                        : safe("ttl");
            }
            case "UpdateTable" -> {
                Boolean protection = bool(field(req, "deletionProtectionEnabled"));
                yield protection == null ? NONE : protection ? safe("deletion-protection")
                        : weakens("deletion-protection", Severity.HIGH, "deletion protection removed from lock table " + c.name());
            }
            case "UpdateContinuousBackups" -> {
                Boolean pitr = bool(field(field(req, "pointInTimeRecoverySpecification"), "pointInTimeRecoveryEnabled"));
                yield pitr == null ? NONE : pitr ? safe("point-in-time-recovery")
                        : weakens("point-in-time-recovery", Severity.HIGH, "point-in-time recovery turned off for lock table " + c.name());
            }
            case "RestoreTableFromBackup" -> weakens("restore", Severity.HIGH, "lock table " + c.name() + " restored from backup "
                    + text(field(req, "backupArn")) + ": old lock and digest items come back");
            case "RestoreTableToPointInTime" -> weakens("restore", Severity.HIGH, "table " + text(field(req, "sourceTableName"))
                    + " restored into lock table " + c.name() + " as of an earlier time: old lock and digest items come back");
            default -> NONE;
        };
    }

    // ---- KMS keys ----

    private static StoreVerdict key(StoreChange c, List<StoreChange> earlier, StoreFacts facts) {
        JsonNode req = json(c.request());
        JsonNode resp = json(c.response());
        String account = Arns.account(c.name());
        return switch (c.meta().eventName()) {
            case "CreateKey", "EnableKey" -> safe("key-state");
            case "DisableKey" -> weakens("key-state", Severity.CRITICAL, "key disabled: the state it encrypts cannot be read or written");
            case "ScheduleKeyDeletion" -> weakens("key-deletion", Severity.CRITICAL, "key scheduled for deletion"
                    + (field(req, "pendingWindowInDays").isMissingNode() ? "" : " in " + text(field(req, "pendingWindowInDays")) + " days")
                    + (text(field(resp, "deletionDate")).isEmpty() ? "" : " (" + text(field(resp, "deletionDate")) + ")")
                    + ": once deleted, the state it encrypts is lost").full();
            case "CancelKeyDeletion" -> safe("key-deletion");
            case "PutKeyPolicy" -> {
                List<String> problems = policyProblems(field(req, "policy"), previousKeyPolicy(earlier), account, facts, "key policy");
                if (Boolean.TRUE.equals(bool(field(req, "bypassPolicyLockoutSafetyCheck")))) {
                    problems.add("the policy lockout safety check was bypassed");
                }
                yield weakens("key-policy", Severity.CRITICAL, problems);
            }
            case "CreateGrant" -> {
                String grantee = text(field(req, "granteePrincipal"));
                String grantAccount = grantee.startsWith("arn:") ? Arns.account(grantee) : grantee.matches("\\d{12}") ? grantee : null;
                if (grantAccount == null || facts.isOurAccount(grantAccount, account)) {
                    yield NONE; // a grant to our own principals or to an AWS service
                }
                yield weakens("grant:" + text(field(resp, "grantId")), Severity.CRITICAL, "grant to " + grantee + " of account " + grantAccount
                        + (field(req, "operations").isMissingNode() ? "" : " for " + text(field(req, "operations"))));
            }
            case "RevokeGrant", "RetireGrant" -> text(field(req, "grantId")).isEmpty() ? NONE : safe("grant:" + text(field(req, "grantId")));
            default -> NONE;
        };
    }

    private static JsonNode previousKeyPolicy(List<StoreChange> earlier) {
        for (int i = earlier.size() - 1; i >= 0; i--) {
            StoreChange p = earlier.get(i);
            if ("PutKeyPolicy".equals(p.meta().eventName()) || "CreateKey".equals(p.meta().eventName())) {
                JsonNode policy = field(json(p.request()), "policy");
                return policy.isMissingNode() ? null : policy;
            }
        }
        return null;
    }

    /**
     * Why a new resource policy is weaker: principals outside the account or organisation, and Deny statements the
     * previous policy (when the trail shows it) had and this one drops.
     */
    static List<String> policyProblems(JsonNode policy, JsonNode previous, String ownAccount, StoreFacts facts, String what) {
        List<String> problems = new ArrayList<>();
        ResourcePolicy now;
        try {
            now = ResourcePolicy.of(policy);
        } catch (IllegalArgumentException unreadable) {
            return problems;
        }
        for (String p : now.outsideAccess(a -> facts.isOurAccount(a, ownAccount))) {
            problems.add(what + " " + p);
        }
        if (previous != null) {
            try {
                Set<String> dropped = new TreeSet<>(ResourcePolicy.of(previous).denies());
                dropped.removeAll(now.denies());
                for (String d : dropped) {
                    problems.add(what + " drops a Deny it had: " + ResourcePolicy.describeDeny(d));
                }
            } catch (IllegalArgumentException unreadable) {
                // the previous policy is not readable: nothing to compare with
            }
        }
        return problems;
    }

    // ---- reading the logged request ----

    static JsonNode json(String text) {
        if (text == null) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = MAPPER.readTree(text);
            return n == null ? MissingNode.getInstance() : n;
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** A field as CloudTrail spells it: lower camel case for DynamoDB and KMS, upper for S3; either is read. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return MissingNode.getInstance();
        }
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            String other = Character.isUpperCase(name.charAt(0)) ? Character.toLowerCase(name.charAt(0)) + name.substring(1)
                    : Character.toUpperCase(name.charAt(0)) + name.substring(1);
            v = node.get(other);
        }
        return v == null || v.isNull() ? MissingNode.getInstance() : v;
    }

    /** Text of a value ({@code ""} when missing); a list of values as {@code a, b}. */
    static String text(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return String.join(", ", items);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** A boolean as logged: {@code true} or {@code "true"}; null when missing or anything else. */
    static Boolean bool(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return null;
        }
        String t = v.asText().toLowerCase(Locale.ROOT);
        return "true".equals(t) ? Boolean.TRUE : "false".equals(t) ? Boolean.FALSE : null;
    }

    /** A value CloudTrail logs as one item or a list of them (a single lifecycle rule is an object). */
    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }
}
