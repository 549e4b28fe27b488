package io.github.dl4jctc.layer.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EditDistanceTest {

    private static int chars(String a, String b) {
        return EditDistance.between(EditDistance.characters(a), EditDistance.characters(b));
    }

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertEquals(3, chars("kitten", "sitting"));   // k->s, e->i, +g
        assertEquals(3, chars("", "abc"));
        assertEquals(3, chars("abc", ""));
        assertEquals(0, chars("same", "same"));
        assertEquals(2, chars("ab", "ba"));            // no transpositions in Levenshtein
        assertEquals(1, chars("flaw", "law"));
        assertEquals(1, chars("a\uD83D\uDE00b", "ab")); // one code point, though two chars
    }

    @Test
    void wordsSplitOnWhitespaceRuns() {
        assertEquals(List.of("the", "cat", "sat"), EditDistance.words("  the\tcat \n sat "));
        assertEquals(List.of(), EditDistance.words("   "));
        assertEquals(List.of(), EditDistance.words(""));
        assertEquals(2, EditDistance.between(EditDistance.words("the cat sat"), EditDistance.words("a cat sat down")));
    }
}
