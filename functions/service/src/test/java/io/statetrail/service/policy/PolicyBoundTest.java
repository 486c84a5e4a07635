package io.statetrail.service.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statetrail.core.fixture.Acme;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyException;
import io.statetrail.core.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What depends on the policy is built once per policy, and again only when another policy is handed out. */
class PolicyBoundTest {

    Policy current = Acme.POLICY;
    final List<Policy> builtFor = new ArrayList<>();
    final PolicyBound<String> bound = new PolicyBound<>(() -> current, p -> {
        builtFor.add(p);
        return "built #" + builtFor.size();
    });

    @Test
    void theSamePolicy_isBuiltForOnce() {
        String first = bound.get();
        String again = bound.get();

        assertSame(first, again);
        assertEquals(List.of(Acme.POLICY), builtFor);
    }

    @Test
    void aReloadedPolicy_rebuildsWhatDependsOnIt_once() {
        String before = bound.get();
        // A reload gives a new instance even when the text did not change: what was built is rebuilt, as before.
        current = PolicyLoader.parse(Acme.POLICY_YAML, "acme-policy.yaml");

        String after = bound.get();
        String again = bound.get();

        assertNotSame(before, after);
        assertEquals("built #2", after);
        assertSame(after, again);
        assertEquals(List.of(Acme.POLICY, current), builtFor);
    }

    @Test
    void aBuildThatFails_isTriedAgainOnTheNextCall_notKeptAsBuilt() {
        PolicyBound<String> failingOnce = new PolicyBound<>(() -> current, new Function<>() {
            int calls;

            @Override
            public String apply(Policy p) {
                if (++calls == 1) {
                    throw new IllegalStateException("the store is not reachable yet");
                }
                return "built on call " + calls;
            }
        });

        assertThrows(IllegalStateException.class, failingOnce::get);
        assertEquals("built on call 2", failingOnce.get());
        assertEquals("built on call 2", failingOnce.get());
    }

    @Test
    void aPolicyThatCannotBeLoaded_throwsToTheCaller() {
        PolicyBound<String> unloadable = new PolicyBound<>(() -> {
            throw new PolicyException("ssm:/statetrail/policy: cannot read policy");
        }, p -> "never");

        assertThrows(PolicyException.class, unloadable::get);
    }
}
