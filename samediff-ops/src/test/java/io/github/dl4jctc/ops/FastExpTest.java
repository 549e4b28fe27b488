package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FastExp against Math.exp: below 1e-8 relative over its whole polynomial range, Math.exp's values outside it. */
class FastExpTest {

    @Test
    void relativeErrorBelowOneInTenToTheEightOverItsRange() {
        double worst = 0;
        for (long i = -7_000_000; i <= 7_000_000; i++) {
            double x = i * 1e-4 + 0.3e-4;   // also between the points where x ln2 rounds to a whole k
            double expected = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastExp.exp(x) / expected - 1));
        }
        assertTrue(worst < 1e-8, "worst relative error " + worst);
    }

    @Test
    void specialAndOutOfRangeValuesAreMathExps() {
        assertEquals(1.0, FastExp.exp(0.0), 0.0);
        assertEquals(0.0, FastExp.exp(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, FastExp.exp(Double.POSITIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(FastExp.exp(Double.NaN)));
        for (double x : new double[]{-700.5, -745.0, -746.0, -1e6, 700.5, 709.7, 710.0}) {
            assertEquals(Math.exp(x), FastExp.exp(x), 0.0, "x = " + x);
        }
    }
}
