package io.statetrail.infracheck;

import com.fasterxml.jackson.core.type.TypeReference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Module inputs for the tests (src/test/resources/test-inputs.json), and the modules loaded with them. */
final class TestInputs {
    private static final Map<String, TerraformModule> LOADED = new ConcurrentHashMap<>();
    private static Map<String, Object> all;

    private TestInputs() {
    }

    static synchronized Map<String, Object> get(String module, String set) {
        if (all == null) {
            try (InputStream in = TestInputs.class.getResourceAsStream("/test-inputs.json")) {
                all = HclFunctions.JSON.readValue(in, new TypeReference<>() {
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Object inputs = TerraformModule.asMap(all.get(module)).get(set);
        if (inputs == null) {
            throw new IllegalArgumentException("no test inputs " + module + "/" + set);
        }
        return TerraformModule.asMap(inputs);
    }

    static TerraformModule module(String module, String set) {
        return LOADED.computeIfAbsent(module + "/" + set, k -> TerraformModule.load(Repo.module(module), get(module, set)));
    }
}
