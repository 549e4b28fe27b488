package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scaled recursion against the log-space one, which the fuzz tests hold to the float64 reference: equal where
 * it runs, and it must run on ordinary scores (else the CPU kernel is silently the slow one) and refuse where
 * scaling would flush states.
 */
class ScaledForwardBackwardTest {

    @Test
    void agreesWithLogSpaceOnOrdinaryScores() {
        Random r = new Random(7);
        for (int k = 0; k < 300; k++) {
            int classes = 2 + r.nextInt(6);
            int[] target = new int[r.nextInt(12)];
            for (int i = 0; i < target.length; i++) target[i] = 1 + r.nextInt(classes - 1);   // repeats likely
            ExtendedTarget ext = new ExtendedTarget(target, 0);
            int frames = Math.max(1, ext.minimumFrames + r.nextInt(40));
            double[] lp = logSoftmaxRows(r, frames, ext.classes.length, 1 + 4 * r.nextDouble());

            ForwardBackwardResult scaled = ScaledForwardBackward.run(lp, ext.classes.length, ext, frames, true);
            ForwardBackwardResult exact = LogSpaceForwardBackward.run(lp, ext.classes.length, ext, frames, true);

            assertNotNull(scaled, "case " + k + " refused on scores of scale <= 5");
            assertEquals(exact.logLikelihood, scaled.logLikelihood, 1e-12 * Math.abs(exact.logLikelihood), "case " + k);
            for (int i = 0; i < exact.gamma.length; i++) {
                assertEquals(exact.gamma[i], scaled.gamma[i], 1e-12, "case " + k + " posterior " + i);
            }
        }
    }

    /**
     * Emission ratios taken from a softmax's exponentials ({@code exp(lp - m_t)}, m_t each frame's largest logit,
     * here up to 30 above the slots'; or far above them, where the recursion computes its own) give the same
     * result as computing them, to rounding.
     */
    @Test
    void sharedExponentialsGiveTheSameResult() {
        Random r = new Random(17);
        for (int k = 0; k < 200; k++) {
            int classes = 2 + r.nextInt(6);
            int[] target = new int[1 + r.nextInt(10)];
            for (int i = 0; i < target.length; i++) target[i] = 1 + r.nextInt(classes - 1);
            ExtendedTarget ext = new ExtendedTarget(target, 0);
            int slots = ext.classes.length;
            int frames = ext.minimumFrames + r.nextInt(30);
            double[] lp = logSoftmaxRows(r, frames, slots, 1 + 3 * r.nextDouble());
            double[] slotExp = new double[frames * slots];
            for (int t = 0; t < frames; t++) {
                double shift = r.nextInt(4) == 0 ? 700 * r.nextDouble() : 30 * r.nextDouble();   // frame max - slot max
                double frameMax = shift;
                for (int j = 0; j < slots; j++) frameMax = Math.max(frameMax, lp[t * slots + j]);
                for (int j = 0; j < slots; j++) slotExp[t * slots + j] = Math.exp(lp[t * slots + j] - frameMax);
            }
            ForwardBackwardResult plain = ScaledForwardBackward.run(lp, slots, ext, frames, true);
            ForwardBackwardResult shared = ScaledForwardBackward.run(lp, slotExp, slots, ext, frames, true);
            assertNotNull(shared, "case " + k);
            assertEquals(plain.logLikelihood, shared.logLikelihood, 1e-12 * Math.abs(plain.logLikelihood), "case " + k);
            for (int i = 0; i < plain.gamma.length; i++) {
                assertEquals(plain.gamma[i], shared.gamma[i], 1e-12, "case " + k + " posterior " + i);
            }
        }
    }

    @Test
    void posteriorsOfEveryFrameSumToOne() {
        Random r = new Random(11);
        ExtendedTarget ext = new ExtendedTarget(new int[]{1, 1, 2, 3, 3, 3, 1}, 0);
        int frames = 60;
        double[] lp = logSoftmaxRows(r, frames, ext.classes.length, 3);
        ForwardBackwardResult scaled = ScaledForwardBackward.run(lp, ext.classes.length, ext, frames, true);
        assertNotNull(scaled);
        for (int t = 0; t < frames; t++) {
            double sum = 0;
            for (int j = 0; j < ext.classes.length; j++) sum += scaled.gamma[t * ext.classes.length + j];
            assertEquals(1.0, sum, 1e-12, "frame " + t);
        }
    }

    /** A label that is e^-800 less likely than the blank in the one frame that must emit it: scaling would flush it. */
    @Test
    void refusesWhenAStateWouldUnderflow() {
        ExtendedTarget ext = new ExtendedTarget(new int[]{1}, 0);
        double[] lp = {0.0, -800.0};   // one frame: blank, label 1
        assertNull(ScaledForwardBackward.run(lp, 2, ext, 1, true));
        ForwardBackwardResult exact = LogSpaceForwardBackward.run(lp, 2, ext, 1, true);
        assertEquals(-800.0, exact.logLikelihood, 0.0);
    }

    /** Peaky scores over a long input: the best states of alpha and beta drift apart by more than 1e300. */
    @Test
    void refusesPeakyLongInputsThatLogSpaceStillGetsFinite() {
        Random r = new Random(3);
        int[] target = new int[40];
        for (int i = 0; i < target.length; i++) target[i] = 1 + r.nextInt(4);
        ExtendedTarget ext = new ExtendedTarget(target, 0);
        int frames = 400;
        double[] lp = logSoftmaxRows(r, frames, ext.classes.length, 50);
        assertNull(ScaledForwardBackward.run(lp, ext.classes.length, ext, frames, true));
        assertTrue(Double.isFinite(LogSpaceForwardBackward.run(lp, ext.classes.length, ext, frames, true).logLikelihood));
    }

    private static double[] logSoftmaxRows(Random r, int frames, int classes, double scale) {
        double[] lp = new double[frames * classes];
        for (int t = 0; t < frames; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                lp[t * classes + j] = scale * r.nextGaussian();
                max = Math.max(max, lp[t * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += Math.exp(lp[t * classes + j] - max);
            double logZ = max + Math.log(sum);
            for (int j = 0; j < classes; j++) lp[t * classes + j] -= logZ;
        }
        return lp;
    }
}
