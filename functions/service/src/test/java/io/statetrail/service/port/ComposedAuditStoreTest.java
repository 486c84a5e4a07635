package io.statetrail.service.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposedAuditStoreTest {

    /**
     * A port method with a default that the composed store does not forward would silently answer the default for
     * every store, whatever its port implements (the DynamoDB store's index upkeep, say).
     */
    @Test
    void forwardsEveryMethodOfEveryPortDefaultsIncluded() {
        List<String> notForwarded = Arrays.stream(AuditStore.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !declaredByComposedStore(m))
                .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
                .sorted()
                .toList();
        assertEquals(List.of(), notForwarded);
    }

    private static boolean declaredByComposedStore(Method m) {
        try {
            ComposedAuditStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
