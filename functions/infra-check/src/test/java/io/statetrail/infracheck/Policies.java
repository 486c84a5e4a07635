package io.statetrail.infracheck;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Every IAM policy document a module renders: identity policies, trust policies and resource policies. */
final class Policies {
    /** Attributes that hold a policy document, by resource type. */
    static final Set<String> POLICY_ATTRIBUTES = Set.of("policy", "assume_role_policy");

    record Statement(TerraformModule.Instance owner, String attribute, JsonNode json) {
        String where() {
            return owner.address() + "." + attribute + (json.has("Sid") ? " [" + json.get("Sid").asText() + "]" : "");
        }

        boolean allows() {
            return "Allow".equals(json.path("Effect").asText());
        }

        List<String> list(String field) {
            List<String> out = new ArrayList<>();
            JsonNode n = json.path(field);
            if (n.isArray()) {
                n.forEach(v -> out.add(v.asText()));
            } else if (!n.isMissingNode() && !n.isNull()) {
                out.add(n.asText());
            }
            return out;
        }
    }

    private Policies() {
    }

    static List<Statement> statements(TerraformModule module) {
        List<Statement> out = new ArrayList<>();
        for (String type : resourceTypes(module)) {
            for (TerraformModule.Instance i : module.instances(type)) {
                for (String attribute : POLICY_ATTRIBUTES) {
                    Object value = i.attributes().get(attribute);
                    if (value == null) {
                        continue;
                    }
                    JsonNode doc;
                    try {
                        doc = HclFunctions.JSON.readTree(String.valueOf(value));
                    } catch (Exception e) {
                        throw new AssertionError(i.address() + "." + attribute + " is not a rendered JSON policy: " + value, e);
                    }
                    JsonNode st = doc.path("Statement");
                    if (!st.isArray() || st.isEmpty()) {
                        throw new AssertionError(i.address() + "." + attribute + " has no statements: " + doc);
                    }
                    st.forEach(s -> out.add(new Statement(i, attribute, s)));
                }
            }
        }
        return out;
    }

    static List<String> resourceTypes(TerraformModule module) {
        return new ArrayList<>(TerraformModule.asMap(module.raw.get("resource")).keySet());
    }
}
