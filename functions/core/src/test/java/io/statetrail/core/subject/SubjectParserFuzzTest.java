package io.statetrail.core.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statetrail.core.fixture.Quickly;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Any subject (and provider) parses without throwing, keeps its raw text, and its claims spell it again. */
class SubjectParserFuzzTest {

    /** Input: {@code <provider>\n<subject>}; without a newline, all of it is the subject. */
    @FuzzTest
    void anySubjectParses(byte[] data) {
        Quickly.run(() -> check(data));
    }

    private static void check(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String provider = nl < 0 ? null : text.substring(0, nl);
        String raw = nl < 0 ? text : text.substring(nl + 1);

        Subject s = SubjectParser.parse(raw, provider);

        assertEquals(raw, s.raw());
        assertNotNull(s.issuer());
        if (s.issuer() != Subject.Issuer.KUBERNETES && raw.indexOf('%') < 0) {
            String spelled = s.claims().stream()
                    .map(c -> c.getValue() == null ? c.getKey() : c.getKey() + ":" + c.getValue())
                    .collect(Collectors.joining(":"));
            assertEquals(raw, spelled, "claims must account for every character");
        }
        String stripped = s.withoutImmutableIds();
        assertEquals(stripped, SubjectParser.parse(stripped, provider).withoutImmutableIds(), "stripping ids is idempotent");
        s.context();
        s.branch();
        s.tag();
        Policy.subjectMatches(Glob.of(raw), s);
        for (Map.Entry<String, String> c : s.claims()) {
            assertNotNull(c.getKey());
        }
    }
}
