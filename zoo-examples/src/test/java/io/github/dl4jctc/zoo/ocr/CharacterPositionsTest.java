package io.github.dl4jctc.zoo.ocr;

import io.github.dl4jctc.layer.decode.TokenSpan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CharacterPositionsTest {

    private static final double NAN = Double.NaN;

    @Test
    void strictAndSegmentSpansWithKnownAnswers() {
        // Reference "ab c" (glyph centres at 6, 18, -, 41 px); read "ab c" with 4 px frames, image 52 px wide.
        // Spans: a [1,2) -> 4-8 px, b [3,4) -> 12-16 px, space [6,7), c [9,11) -> 36-44 px.
        // Strict: a (6 in [4, 8)) and c (41 in [36, 44)) hit; b (18 not in [12, 16)) misses.
        // Segments: a [0, (2+3)/2*4 = 10), b [10, (4+6)/2*4 = 20), c [(7+9)/2*4 = 32, 52): all hit.
        List<TokenSpan> spans = List.of(new TokenSpan(1, 1, 2, 0.9), new TokenSpan(2, 3, 4, 0.9),
                new TokenSpan(0, 6, 7, 0.9), new TokenSpan(3, 9, 11, 0.9));
        CharacterPositions.Counts counts = CharacterPositions.count("ab c", new double[]{6, 18, NAN, 41}, "ab c",
                spans, 4, 52);
        assertEquals(new CharacterPositions.Counts(3, 3, 2, 3), counts);
        assertEquals(2 / 3.0, counts.strictAccuracy(), 1e-12);
        assertEquals(1.0, counts.segmentAccuracy(), 1e-12);
        assertEquals(2 / 3.0, counts.strictAccuracyOfMatched(), 1e-12);
    }

    @Test
    void unmatchedCharactersAreMissesAndNeighboursBoundSegments() {
        // Reference "abc" at 6, 18, 30; read "axc": b substituted (a miss wherever it is).
        // a: strict [4, 8) and segment [0, 10) hit; c: strict [28, 32) misses, segment [(4+7)/2*4 = 22, 40) hits.
        List<TokenSpan> spans = List.of(new TokenSpan(1, 1, 2, 1), new TokenSpan(24, 3, 4, 1),
                new TokenSpan(3, 7, 8, 1));
        assertEquals(new CharacterPositions.Counts(3, 2, 1, 2),
                CharacterPositions.count("abc", new double[]{6, 18, 33}, "axc", spans, 4, 40));
        // A centre past the midpoint falls into the neighbour's segment: a at 11 px misses its [0, 10).
        assertEquals(new CharacterPositions.Counts(3, 2, 0, 1),
                CharacterPositions.count("abc", new double[]{11, 18, 33}, "axc", spans, 4, 40));
        // Nothing read: every character is a miss.
        assertEquals(new CharacterPositions.Counts(2, 0, 0, 0),
                CharacterPositions.count("ab", new double[]{6, 18}, "", List.of(), 4, 40));
        assertEquals(new CharacterPositions.Counts(5, 4, 2, 3),
                new CharacterPositions.Counts(2, 2, 1, 1).plus(new CharacterPositions.Counts(3, 2, 1, 2)));
        assertEquals(0.75, new CharacterPositions.Counts(5, 4, 2, 3).segmentAccuracyOfMatched(), 1e-12);
        assertEquals(Double.NaN, CharacterPositions.Counts.NONE.segmentAccuracyOfMatched());
    }

    @Test
    void rejectsMismatchedArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> CharacterPositions.count("ab", new double[]{1}, "", List.of(), 4, 8));
        assertThrows(IllegalArgumentException.class,
                () -> CharacterPositions.count("a", new double[]{1}, "a", List.of(), 4, 8));
    }
}
