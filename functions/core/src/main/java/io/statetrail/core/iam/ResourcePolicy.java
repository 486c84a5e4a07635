package io.statetrail.core.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource policy (a bucket policy, a KMS key policy) read as IAM reads it, for the two questions issue 19 asks of a
 * new one: does it let principals outside the account or organisation in, and which {@code Deny} statements does it have
 * (so that one dropped from the previous policy shows). CloudTrail logs a bucket policy as a JSON object and a key policy
 * as a JSON string; both are accepted, as is a statement given as an object rather than a list.
 */
public final class ResourcePolicy {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern ACCOUNT = Pattern.compile("^(\\d{12})$|^arn:aws[a-z-]*:(?:iam|sts)::(\\d{12}):");
    /**
     * Condition keys that tie a statement to an organisation, an account, a network or a named principal: a {@code "*"}
     * principal restricted by one of these (with a literal value) is not the public.
     */
    private static final Set<String> RESTRICTING = Set.of("aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
            "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcearn", "aws:principalarn", "aws:userid",
            "aws:sourcevpc", "aws:sourcevpce", "kms:calleraccount", "aws:resourceorgid");
    private static final Set<String> ACCOUNT_KEYS = Set.of("aws:principalaccount", "aws:sourceaccount", "kms:calleraccount");

    private final JsonNode root;

    private ResourcePolicy(JsonNode root) {
        this.root = root;
    }

    /**
     * @param policy the policy as logged: a JSON object, or a string holding one (possibly URL-encoded)
     * @throws IllegalArgumentException when it is neither
     */
    public static ResourcePolicy of(JsonNode policy) {
        if (policy != null && policy.isTextual()) {
            String text = policy.asText().trim();
            if (!text.startsWith("{")) {
                try {
                    text = java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("policy is not JSON");
                }
            }
            try {
                return of(MAPPER.readTree(text));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("policy is not JSON: " + e.getOriginalMessage());
            }
        }
        if (policy == null || !policy.isObject()) {
            throw new IllegalArgumentException("policy is not a JSON object");
        }
        return new ResourcePolicy(policy);
    }

    /**
     * Why this policy lets in principals outside the account or organisation, one reason per statement that does;
     * empty when it does not.
     *
     * @param known accounts that are ours: the resource's own and those the statetrail policy names
     */
    public List<String> outsideAccess(Predicate<String> known) {
        List<String> out = new ArrayList<>();
        List<JsonNode> statements = list(root.get("Statement"));
        for (int i = 0; i < statements.size(); i++) {
            JsonNode st = statements.get(i);
            if (!"Allow".equalsIgnoreCase(st.path("Effect").asText())) {
                continue;
            }
            String where = "statement " + (st.hasNonNull("Sid") ? "'" + st.get("Sid").asText() + "'" : String.valueOf(i));
            if (st.has("NotPrincipal")) {
                out.add(where + " allows everyone but the principals it names (NotPrincipal)");
                continue;
            }
            TreeSet<String> outside = new TreeSet<>();
            boolean everyone = false;
            JsonNode principal = st.get("Principal");
            if (principal != null && principal.isTextual() && "*".equals(principal.asText())) {
                everyone = true;
            } else if (principal != null && principal.isObject()) {
                for (JsonNode p : list(principal.get("AWS"))) {
                    String v = p.asText();
                    if ("*".equals(v)) {
                        everyone = true;
                    } else {
                        String account = account(v);
                        if (account == null || !known.test(account)) {
                            outside.add(v);
                        }
                    }
                }
                for (JsonNode p : list(principal.get("CanonicalUser"))) {
                    outside.add("canonical user " + p.asText());
                }
            }
            if (everyone) {
                String restriction = restriction(st.get("Condition"), known);
                if (restriction != null) {
                    outside.add(restriction);
                } else if (!restricted(st.get("Condition"))) {
                    outside.add("everyone (Principal \"*\")");
                }
            }
            if (!outside.isEmpty()) {
                out.add(where + " allows " + String.join(", ", outside));
            }
        }
        return out;
    }

    /** The {@code Deny} statements, each as canonical JSON without its {@code Sid}, so a renamed one is the same. */
    public Set<String> denies() {
        Set<String> out = new TreeSet<>();
        for (JsonNode st : list(root.get("Statement"))) {
            if ("Deny".equalsIgnoreCase(st.path("Effect").asText()) && st.isObject()) {
                ObjectNode copy = ((ObjectNode) st).deepCopy();
                copy.remove("Sid");
                out.add(canonical(copy));
            }
        }
        return out;
    }

    /** The {@code Sid} of a Deny statement in canonical form, or a shortened statement when it has none. */
    public static String describeDeny(String canonical) {
        return canonical.length() <= 120 ? canonical : canonical.substring(0, 120) + "…";
    }

    /** The account of a principal: a 12-digit id, or an IAM/STS ARN's account field; null for anything else. */
    static String account(String principal) {
        Matcher m = ACCOUNT.matcher(principal);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** Whether a condition ties the statement to an organisation, account, network or principal with a literal value. */
    private static boolean restricted(JsonNode condition) {
        for (Map.Entry<String, List<String>> key : conditionKeys(condition)) {
            if (RESTRICTING.contains(key.getKey()) && key.getValue().stream().noneMatch(v -> v.equals("*") || v.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /** An account condition naming an account that is not ours: the statement opens the resource to that account. */
    private static String restriction(JsonNode condition, Predicate<String> known) {
        for (Map.Entry<String, List<String>> key : conditionKeys(condition)) {
            if (ACCOUNT_KEYS.contains(key.getKey())) {
                for (String v : key.getValue()) {
                    String account = account(v);
                    if (account != null && !known.test(account)) {
                        return "account " + account + " (" + key.getKey() + ")";
                    }
                }
            }
        }
        return null;
    }

    /** Condition keys (lower case, as IAM compares them) with their values, whatever the operator. */
    private static List<Map.Entry<String, List<String>>> conditionKeys(JsonNode condition) {
        List<Map.Entry<String, List<String>>> out = new ArrayList<>();
        if (condition == null || !condition.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            String operator = op.getKey().toLowerCase(Locale.ROOT);
            // Null checks and negations do not restrict who may call.
            if (!op.getValue().isObject() || operator.contains("null") || operator.contains("not")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> k = keys.next();
                List<String> values = new ArrayList<>();
                for (JsonNode v : list(k.getValue())) {
                    values.add(v.asText());
                }
                out.add(Map.entry(k.getKey().toLowerCase(Locale.ROOT), values));
            }
        }
        return out;
    }

    private static String canonical(JsonNode node) {
        if (node.isObject()) {
            TreeSet<String> fields = new TreeSet<>();
            node.fieldNames().forEachRemaining(fields::add);
            StringBuilder b = new StringBuilder("{");
            for (String f : fields) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(MAPPER.getNodeFactory().textNode(f)).append(':').append(canonical(node.get(f)));
            }
            return b.append('}').toString();
        }
        if (node.isArray()) {
            // Lists in a policy are sets: the order of actions or principals means nothing.
            TreeSet<String> items = new TreeSet<>();
            node.forEach(n -> items.add(canonical(n)));
            return items.size() == 1 ? items.first() : "[" + String.join(",", items) + "]";
        }
        return node.toString();
    }

    private static List<JsonNode> list(JsonNode node) {
        return TrustPolicy.list(node);
    }
}
