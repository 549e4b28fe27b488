package io.github.dl4jctc.zoo.util;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceAlignmentTest {

    @Test
    void matchesEqualItemsOfTheMinimumEditAlignment() {
        // reference a b c d, hypothesis a x c d e: b substituted by x, e inserted.
        assertArrayEquals(new int[]{0, -1, 2, 3}, SequenceAlignment.matches(List.of("a", "b", "c", "d"),
                List.of("a", "x", "c", "d", "e")));
        // A deletion: reference one two three, hypothesis one three.
        assertArrayEquals(new int[]{0, -1, 1}, SequenceAlignment.matches(List.of("one", "two", "three"),
                List.of("one", "three")));
        // Nothing read.
        assertArrayEquals(new int[]{-1, -1}, SequenceAlignment.matches(List.of(1, 2), List.of()));
        assertArrayEquals(new boolean[]{true, false, true, true, false}, SequenceAlignment.matchedHypothesis(
                List.of("a", "b", "c", "d"), List.of("a", "x", "c", "d", "e")));
    }

    @Test
    void aRepeatedItemIsMatchedOnce() {
        // reference l l, hypothesis l: one of the two is matched, the other deleted.
        int[] matched = SequenceAlignment.matches(List.of('l', 'l'), List.of('l'));
        assertArrayEquals(new int[]{-1, 0}, matched);
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> SequenceAlignment.matches(null, List.of()));
    }
}
