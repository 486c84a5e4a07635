package io.statetrail.infracheck;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The audit table matches the single-table data model and cannot be lost by accident. */
class AuditTableTest {
    final TerraformModule.Instance table = TestInputs.module("statetrail", "full").instance("aws_dynamodb_table", "audit");

    @Test
    void hasPointInTimeRecoveryAndDeletionProtection() {
        assertEquals(Boolean.TRUE, table.get("point_in_time_recovery.enabled"));
        assertEquals(Boolean.TRUE, table.get("deletion_protection_enabled"));
        assertEquals(Boolean.TRUE, table.get("lifecycle.prevent_destroy"));
    }

    @Test
    void isOnDemandWithTtlOnExpiresAt() {
        assertEquals("PAY_PER_REQUEST", table.text("billing_mode"));
        assertEquals("expiresAt", table.text("ttl.attribute_name"));
        assertEquals(Boolean.TRUE, table.get("ttl.enabled"));
    }

    @Test
    void hasTheKeysAndIndexesOfTheDataModel() {
        assertEquals("pk", table.text("hash_key"));
        assertEquals("sk", table.text("range_key"));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Object a : TerraformModule.asList(table.attributes().get("attribute"))) {
            attributes.put(String.valueOf(TerraformModule.asMap(a).get("name")), String.valueOf(TerraformModule.asMap(a).get("type")));
        }
        assertEquals(Map.of("pk", "S", "sk", "S", "gsi1pk", "S", "gsi1sk", "S", "gsi2pk", "S", "gsi2sk", "S", "gsi3pk", "S", "gsi3sk", "S",
                "gsi4pk", "S"),
                attributes);
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        for (Object g : TerraformModule.asList(table.attributes().get("global_secondary_index"))) {
            Map<String, Object> gsi = TerraformModule.asMap(g);
            indexes.put(String.valueOf(gsi.get("name")),
                    List.of(String.valueOf(gsi.get("hash_key")), String.valueOf(gsi.get("range_key")), String.valueOf(gsi.get("projection_type"))));
        }
        assertEquals(Map.of(
                "gsi1", List.of("gsi1pk", "gsi1sk", "ALL"),
                "gsi2", List.of("gsi2pk", "gsi2sk", "ALL"),
                "gsi3", List.of("gsi3pk", "gsi3sk", "ALL"),
                "gsi4", List.of("gsi4pk", "null", "KEYS_ONLY")), indexes);
    }
}
