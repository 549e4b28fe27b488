package io.github.dl4jctc.zoo.asr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WordTimingErrorTest {

    private static final List<TimedWord> TRUTH = List.of(new TimedWord("one", 0.20, 0.50),
            new TimedWord("two", 0.50, 0.80), new TimedWord("stop", 0.80, 1.30));

    @Test
    void matchesWordsThroughTheAlignmentAndMeasuresStartAndEnd() {
        // "two" misread as "too": only one and stop are timed.
        List<TimedWord> predicted = List.of(new TimedWord("one", 0.27, 0.45), new TimedWord("too", 0.57, 0.75),
                new TimedWord("stop", 0.87, 1.20));
        List<WordTimingError.Match> matches = WordTimingError.matches(TRUTH, predicted);
        assertEquals(2, matches.size());
        assertEquals("one", matches.get(0).truth().word());
        assertEquals("stop", matches.get(1).predicted().word());
        assertArrayEquals(new double[]{0.07, 0.05, 0.07, 0.10}, WordTimingError.errors(matches, 0, 0), 1e-12);
        // Moving starts 70 ms earlier and ends 50 ms later: start errors 0, end errors 0 and 50 ms.
        assertArrayEquals(new double[]{0, 0, 0, 0.05}, WordTimingError.errors(matches, -0.07, 0.05), 1e-12);
        assertEquals(0.0725, WordTimingError.mean(WordTimingError.errors(matches, 0, 0)), 1e-12);
    }

    @Test
    void medianOffsetsAndNearestRankPercentile() {
        List<TimedWord> predicted = List.of(new TimedWord("one", 0.30, 0.40), new TimedWord("two", 0.55, 0.70),
                new TimedWord("stop", 0.84, 1.20));
        // true - predicted: starts -0.10, -0.05, -0.04 (median -0.05); ends 0.10, 0.10, 0.10.
        assertArrayEquals(new double[]{-0.05, 0.10},
                WordTimingError.medianOffsets(WordTimingError.matches(TRUTH, predicted)), 1e-12);
        double[] values = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
        assertEquals(10, WordTimingError.percentile(values, 95));
        assertEquals(9, WordTimingError.percentile(values, 90));
        assertEquals(5, WordTimingError.percentile(values, 50));
        assertEquals(1, WordTimingError.percentile(values, 1));
        assertEquals(Double.NaN, WordTimingError.percentile(new double[0], 95));
        assertThrows(IllegalArgumentException.class, () -> WordTimingError.percentile(values, 0));
        assertThrows(IllegalArgumentException.class, () -> WordTimingError.medianOffsets(List.of()));
    }

    @Test
    void timedWordsMoveWithSpeedAndSilence() {
        TimedWord w = new TimedWord("go", 0.22, 0.44).transformed(1 / 1.1, 0.3);
        assertEquals(0.5, w.start(), 1e-12);
        assertEquals(0.7, w.end(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new TimedWord("go", 0.5, 0.4));
    }
}
