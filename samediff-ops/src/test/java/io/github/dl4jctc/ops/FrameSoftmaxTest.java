package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java softmax (small vocabularies) against ND4J's (large ones) on the same logits, packed NTC or TNC: same
 * log Z per frame, same scaled softmax in the logits' layout, padding frames 0, and non-finite frames turning NaN
 * in both; plus log Z against a float64 log-sum-exp written out here.
 */
class FrameSoftmaxTest {
    private static final int N = 3, T = 5, C = 7;
    private static final int[] INPUT_LENGTHS = {5, 3, 0};

    @Test
    void javaAndNativeAgreeOnFiniteAndNonFiniteFrames() {
        for (boolean timeMajor : new boolean[]{false, true}) {
            for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
                check(type, timeMajor);
            }
        }
    }

    /** @param timeMajor whether the logits are a packed [T, N, C] array seen as [N, T, C] (else packed NTC) */
    private static void check(DataType type, boolean timeMajor) {
        {
            INDArray packed = Nd4j.randn(42, new long[]{N, T, C}).muli(4).castTo(type);
            INDArray logits = timeMajor ? packed.permute(1, 0, 2).dup('c').permute(1, 0, 2) : packed;
            logits.putScalar(new long[]{0, 1, 3}, Double.NaN);
            logits.putScalar(new long[]{0, 2, 5}, Double.POSITIVE_INFINITY);
            for (int c = 0; c < C; c++) logits.putScalar(new long[]{0, 3, c}, Double.NEGATIVE_INFINITY);
            logits.putScalar(new long[]{1, 0, 2}, Double.NEGATIVE_INFINITY);   // one impossible class: finite log Z
            CtcBatch batch = new CtcBatch(N, T, C, 0, new int[][]{{1}, {2}, {}}, INPUT_LENGTHS, new int[]{1, 1, 0});

            NtcScores scores = new NtcScores(logits, true, false, timeMajor, null);
            JavaSoftmaxFrames java = new JavaSoftmaxFrames(scores, batch, true);
            for (int n = 0; n < N; n++) java.fill(n);
            NativeSoftmaxFrames nat = new NativeSoftmaxFrames(scores, batch);
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;

            for (int n = 0; n < N; n++) {
                for (int t = 0; t < INPUT_LENGTHS[n]; t++) {
                    int cls = n == 1 && t == 0 ? 0 : 2;
                    double logit = logits.getDouble(n, t, cls);
                    double expected = logSumExp(logits, n, t);
                    String at = type + (timeMajor ? " TNC" : " NTC") + " frame " + n + "," + t;
                    assertSameOrBothNaN(expected, java.logNormaliser(n, t, cls, logit), tolerance, at + " java");
                    assertSameOrBothNaN(expected, nat.logNormaliser(n, t, cls, logit), tolerance, at + " native");
                }
            }
            double[] factor = {0.5, 1.0, 2.0};
            INDArray fromJava = java.scaled(factor);
            INDArray fromNative = nat.scaled(factor);
            assertEquals(timeMajor, fromJava.stride(0) < fromJava.stride(1), "the softmax is laid out as the logits");
            assertEquals(timeMajor, fromNative.stride(0) < fromNative.stride(1), "the softmax is laid out as the logits");
            for (int n = 0; n < N; n++) {
                for (int t = 0; t < T; t++) {
                    for (int c = 0; c < C; c++) {
                        double j = fromJava.getDouble(n, t, c);
                        double v = fromNative.getDouble(n, t, c);
                        String at = type + (timeMajor ? " TNC" : " NTC") + " [" + n + "," + t + "," + c + "]";
                        if (t >= INPUT_LENGTHS[n]) {
                            assertEquals(0.0, j, at + " java padding");
                            assertEquals(0.0, v, at + " native padding");
                        } else {
                            assertSameOrBothNaN(v, j, tolerance, at);
                        }
                    }
                }
            }
            assertTrue(Double.isNaN(fromJava.getDouble(0, 1, 0)), "a NaN logit spoils its frame");
            assertTrue(Double.isNaN(fromJava.getDouble(0, 3, 0)), "an all -inf frame has no softmax");
            assertEquals(0.0, fromJava.getDouble(1, 0, 2), "an -inf logit has probability 0");
        }
    }

    private static double logSumExp(INDArray logits, int n, int t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) max = Math.max(max, logits.getDouble(n, t, c));
        double sum = 0;
        for (int c = 0; c < C; c++) sum += Math.exp(logits.getDouble(n, t, c) - max);
        return max + Math.log(sum);
    }

    private static void assertSameOrBothNaN(double expected, double actual, double tolerance, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertTrue(Double.isNaN(actual) || actual == expected, what + ": expected " + expected + ", got " + actual);
        } else {
            assertEquals(expected, actual, tolerance * Math.max(1, Math.abs(expected)), what);
        }
    }
}
