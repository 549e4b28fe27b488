package io.github.dl4jctc.zoo.util;

import io.github.dl4jctc.layer.decode.TokenSpan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfidenceSplitTest {

    @Test
    void splitsConfidencesByAlignment() {
        // reference "abc", read "axcd": a and c right (0.9, 0.7), x substituted (0.4), d inserted (0.2).
        List<TokenSpan> spans = List.of(new TokenSpan(1, 0, 1, 0.9), new TokenSpan(2, 2, 3, 0.4),
                new TokenSpan(3, 4, 5, 0.7), new TokenSpan(4, 6, 7, 0.2));
        ConfidenceSplit split = ConfidenceSplit.EMPTY.plus(List.of('a', 'b', 'c'), List.of('a', 'x', 'c', 'd'), spans);
        assertEquals(2, split.right());
        assertEquals(2, split.wrong());
        assertEquals(0.8, split.meanRight(), 1e-12);
        assertEquals(0.3, split.meanWrong(), 1e-12);
        ConfidenceSplit more = split.plus(List.of('q'), List.of('q'), List.of(new TokenSpan(5, 0, 2, 0.5)));
        assertEquals(0.7, more.meanRight(), 1e-12);
        assertEquals("right 0.700 (3 tokens), wrong 0.300 (2 tokens)", more.summary());
        assertEquals(Double.NaN, ConfidenceSplit.EMPTY.meanWrong());
    }

    @Test
    void rejectsSpansNotMatchingTheTokens() {
        assertThrows(IllegalArgumentException.class,
                () -> ConfidenceSplit.EMPTY.plus(List.of('a'), List.of('a', 'b'), List.of(new TokenSpan(1, 0, 1, 1))));
    }
}
