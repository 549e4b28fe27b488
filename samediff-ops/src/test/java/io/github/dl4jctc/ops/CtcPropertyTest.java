package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The eager API against the float64 reference on random problems, and CTC's invariants. */
class CtcPropertyTest {
    private static final int CASES = 600;

    private static void assertRelClose(double expected, double actual, double rel, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        if (!(Math.abs(actual - expected) <= rel * Math.max(1.0, Math.abs(expected)))) {
            fail(what + ": got " + actual + ", expected " + expected);
        }
    }

    @Test
    void javaKernelMatchesTheReference() {
        matchesTheReference(JavaCtcKernel.INSTANCE, new Random(20261125));
    }

    @Test
    void libnd4jKernelMatchesTheReference() {
        matchesTheReference(LibNd4jCtcKernel.INSTANCE, new Random(20261126));
    }

    private static void matchesTheReference(CtcKernel kernel, Random r) {
        for (int k = 0; k < CASES; k++) {
            RandomCtcCase rc = new RandomCtcCase(r);
            CtcLayout layout = r.nextBoolean() ? CtcLayout.TNC : CtcLayout.NTC;
            boolean zeroInf = r.nextBoolean();
            CtcOptions o = CtcOptions.builder().blank(rc.blank).reduction(CtcReduction.NONE).layout(layout)
                    .zeroInfinity(zeroInf).build();
            INDArray targets = r.nextBoolean() ? rc.padded(r.nextBoolean() ? DataType.INT : DataType.FLOAT)
                    : rc.concatenated();
            CtcResult res = CtcLossEngine.lossAndGradient(rc.logProbsArray(layout), targets,
                    org.nd4j.linalg.factory.Nd4j.createFromArray(rc.inputLengths),
                    org.nd4j.linalg.factory.Nd4j.createFromArray(rc.targetLengths), o, false, kernel);
            INDArray grad = layout == CtcLayout.TNC ? res.gradient().permute(1, 0, 2) : res.gradient();
            for (int i = 0; i < rc.n; i++) {
                String what = "case " + k + " (" + rc + ") sample " + i;
                double nll = rc.referenceNll(i);
                boolean infeasible = nll == Double.POSITIVE_INFINITY;
                assertRelClose(infeasible && zeroInf ? 0.0 : nll, res.loss().getDouble(i), 1e-9, what + " loss");
                double[][] gamma = infeasible ? null : rc.referencePosteriors(i);
                for (int t = 0; t < rc.t; t++) {
                    for (int c = 0; c < rc.c; c++) {
                        double expected;
                        if (t >= rc.inputLengths[i]) expected = 0.0;
                        else if (infeasible) expected = zeroInf ? 0.0 : Double.NaN;
                        else expected = -gamma[t][c];
                        double actual = grad.getDouble(i, t, c);
                        if (Double.isNaN(expected)) {
                            assertTrue(Double.isNaN(actual), what + " gradient at t=" + t + " c=" + c + " should be NaN");
                        } else if (!(Math.abs(actual - expected) <= 1e-9)) {
                            fail(what + " gradient at t=" + t + " c=" + c + ": got " + actual + ", expected " + expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void javaKernelFromLogitsMatchesTheReferenceEvenForPeakyScores() {
        // Log-probabilities are their own log-softmax, so passed as logits they must give the reference's answer;
        // scale 40 makes the classes a sample reads tiny in many frames, where log Z is summed in Java.
        Random r = new Random(99);
        for (int k = 0; k < 300; k++) {
            RandomCtcCase rc = new RandomCtcCase(r, k % 2 == 0 ? 40.0 : 8.0);
            CtcOptions o = CtcOptions.builder().blank(rc.blank).reduction(CtcReduction.NONE).layout(CtcLayout.NTC).build();
            INDArray lp = rc.logProbsArray(CtcLayout.NTC);
            for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
                CtcResult res = CtcLossEngine.lossAndGradient(lp.castTo(type), rc.padded(DataType.INT),
                        org.nd4j.linalg.factory.Nd4j.createFromArray(rc.inputLengths),
                        org.nd4j.linalg.factory.Nd4j.createFromArray(rc.targetLengths), o, true, JavaCtcKernel.INSTANCE);
                for (int i = 0; i < rc.n; i++) {
                    double nll = rc.referenceNll(i);
                    double actual = res.loss().getDouble(i);
                    if (nll == Double.POSITIVE_INFINITY) {
                        assertEquals(nll, actual, "case " + k + " " + type + " sample " + i);
                    } else {
                        // float32 inputs are rounded before the (double) computation: about 1e-7 per frame
                        double tol = type == DataType.DOUBLE ? 1e-9 : 1e-5;
                        assertRelClose(nll, actual, tol, "case " + k + " (" + rc + ") " + type + " sample " + i);
                        assertTrue(Double.isFinite(res.gradient().getDouble(i, 0, 0)) || rc.inputLengths[i] == 0);
                    }
                }
            }
        }
    }

    @Test
    void posteriorsSumToOneOnEveryValidFrameAndLogitGradientsToZero() {
        Random r = new Random(7);
        int checkedFrames = 0;
        for (int k = 0; k < 200; k++) {
            RandomCtcCase rc = new RandomCtcCase(r);
            CtcOptions o = CtcOptions.builder().blank(rc.blank).reduction(CtcReduction.SUM).layout(CtcLayout.NTC).build();
            INDArray il = org.nd4j.linalg.factory.Nd4j.createFromArray(rc.inputLengths);
            INDArray tl = org.nd4j.linalg.factory.Nd4j.createFromArray(rc.targetLengths);
            INDArray lpGrad = Ctc.lossAndGradient(rc.logProbsArray(CtcLayout.NTC), rc.padded(DataType.INT), il, tl, o).gradient();
            // log-probs are log-softmax outputs, so they are also valid logits
            INDArray logitGrad = Ctc.lossAndGradientFromLogits(rc.logProbsArray(CtcLayout.NTC), rc.padded(DataType.INT), il, tl, o).gradient();
            for (int i = 0; i < rc.n; i++) {
                if (rc.referenceNll(i) == Double.POSITIVE_INFINITY) continue;
                for (int t = 0; t < rc.inputLengths[i]; t++) {
                    double posteriorSum = -lpGrad.get(NDArrayIndex.point(i), NDArrayIndex.point(t), NDArrayIndex.all()).sumNumber().doubleValue();
                    assertEquals(1.0, posteriorSum, 1e-9, "case " + k + " sample " + i + " frame " + t);
                    assertEquals(0.0, logitGrad.get(NDArrayIndex.point(i), NDArrayIndex.point(t), NDArrayIndex.all()).sumNumber().doubleValue(), 1e-9);
                    checkedFrames++;
                }
            }
        }
        assertTrue(checkedFrames > 1000, "only " + checkedFrames + " frames checked");
    }
}
