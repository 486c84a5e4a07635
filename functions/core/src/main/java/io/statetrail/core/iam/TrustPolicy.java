package io.statetrail.core.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statetrail.core.policy.Glob;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an IAM role trust policy that decide which OIDC subjects may assume the role.
 *
 * <p>For every {@code Allow} statement that lets a federated OIDC provider call {@code sts:AssumeRoleWithWebIdentity},
 * it collects the conditions on {@code <provider host>:sub}, as IAM evaluates them: action names, condition operators
 * and condition keys are case-insensitive; an {@code Action} grants web identity when one of its patterns
 * ({@code sts:AssumeRole*}, {@code sts:*}, {@code *}…) matches it, a {@code NotAction} when none of its patterns does;
 * a condition value may be a list; one statement may trust several providers.
 */
public final class TrustPolicy {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How a statement constrains {@code sub}. */
    public record SubCondition(String operator, List<String> values) {
        public boolean isSetOperator() {
            String op = operator.toLowerCase(Locale.ROOT);
            return op.startsWith("foranyvalue:") || op.startsWith("forallvalues:");
        }

        /** StringLike-style operators treat * and ? as wildcards; StringEquals-style compare literally. */
        public boolean isPattern() {
            return baseOperator().startsWith("stringlike");
        }

        /** {@code StringEqualsIgnoreCase}: admits every case variant of its value ({@code refs/heads/MAIN} too). */
        public boolean ignoresCase() {
            return baseOperator().startsWith("stringequalsignorecase");
        }

        public boolean isPositive() {
            String base = baseOperator();
            return base.startsWith("stringequals") || base.startsWith("stringlike");
        }

        private String baseOperator() {
            String op = operator.toLowerCase(Locale.ROOT);
            int colon = op.indexOf(':');
            return colon >= 0 ? op.substring(colon + 1) : op;
        }
    }

    /** One statement trusting one OIDC provider for web identity. */
    public record OidcTrust(int statement, String provider, String subKey, List<SubCondition> subConditions) {
    }

    private TrustPolicy() {
    }

    /** @throws IllegalArgumentException when the document is not JSON */
    public static List<OidcTrust> oidcTrusts(String document) {
        JsonNode root;
        try {
            root = MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("trust policy is not JSON: " + e.getOriginalMessage());
        }
        List<OidcTrust> out = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return out;
        }
        List<JsonNode> statements = list(root.get("Statement"));
        for (int i = 0; i < statements.size(); i++) {
            JsonNode st = statements.get(i);
            if (!"Allow".equalsIgnoreCase(st.path("Effect").asText()) || !allowsWebIdentity(st)) {
                continue;
            }
            for (JsonNode fed : list(st.path("Principal").get("Federated"))) {
                String provider = fed.asText();
                int at = provider.indexOf(":oidc-provider/");
                if (at < 0) {
                    continue;
                }
                String host = provider.substring(at + ":oidc-provider/".length());
                String subKey = host + ":sub";
                out.add(new OidcTrust(i, provider, subKey, subConditions(st.get("Condition"), subKey)));
            }
        }
        return out;
    }

    private static final String WEB_IDENTITY = "sts:assumerolewithwebidentity";

    /** IAM matches actions case-insensitively, with {@code *} and {@code ?} wildcards. */
    static boolean allowsWebIdentity(JsonNode statement) {
        if (statement.has("Action")) {
            return anyActionMatches(statement.get("Action"));
        }
        // NotAction: the statement applies to every action its list does not name.
        return statement.has("NotAction") && !anyActionMatches(statement.get("NotAction"));
    }

    private static boolean anyActionMatches(JsonNode actions) {
        for (JsonNode a : list(actions)) {
            if (a.isTextual() && Glob.of(a.asText().toLowerCase(Locale.ROOT)).matches(WEB_IDENTITY)) {
                return true;
            }
        }
        return false;
    }

    private static List<SubCondition> subConditions(JsonNode condition, String subKey) {
        List<SubCondition> out = new ArrayList<>();
        if (condition == null || !condition.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject()) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (key.getKey().equalsIgnoreCase(subKey)) {
                    List<String> values = new ArrayList<>();
                    for (JsonNode v : list(key.getValue())) {
                        values.add(v.asText());
                    }
                    out.add(new SubCondition(op.getKey(), values));
                }
            }
        }
        return out;
    }

    /** A value IAM accepts as one item or a list of them, as a list. */
    static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull()) {
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
