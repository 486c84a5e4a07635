package io.statetrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlackTextTest {

    @Test
    void mentionsAndLinks_becomeEntities_insideACodeSpan() {
        assertEquals("`&lt;!channel&gt; *urgent*`", SlackText.escape("<!channel> *urgent*"));
        assertEquals("`&lt;https://evil.example|click&gt; &amp;amp;`", SlackText.escape("<https://evil.example|click> &amp;"));
    }

    @Test
    void aBacktickCannotCloseTheSpan() {
        assertEquals("`ˋ*bold*ˋ @here`", SlackText.escape("`*bold*` @here"));
    }

    @Test
    void controlAndBidiCharacters_areShownAsEscapes() {
        assertEquals("`a\\u000ab\\u202ec\\u001b[2J`", SlackText.escape("a\nb\u202ec\u001b[2J"));
    }

    @Test
    void spacesAtTheEdges_areVisible_soTheSpanStaysASpan() {
        assertEquals("`␣␣*x* y␣`", SlackText.escape("  *x* y "));
    }

    @Test
    void longValues_areCutWithinTheBudget_entitiesIncluded() {
        String s = SlackText.escape("<".repeat(1000), 50);
        assertTrue(s.length() <= 50, s);
        assertEquals("`" + "&lt;".repeat(11) + "…`", s);
    }

    @Test
    void surrogatePairsAreNeverSplit() {
        String s = SlackText.escape("😀".repeat(100), 12);
        assertEquals("`😀😀😀😀…`", s);
    }

    @Test
    void missingValue_isADash() {
        assertEquals("–", SlackText.escape(null));
        assertEquals("–", SlackText.escape(""));
    }
}
