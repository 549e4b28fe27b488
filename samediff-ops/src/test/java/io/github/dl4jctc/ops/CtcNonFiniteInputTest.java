package io.github.dl4jctc.ops;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN and infinities in the scores, with each kernel, from log-probabilities and from logits, in float32 and
 * float64: a NaN or +inf the alignment reads makes that sample's loss and gradient NaN (never a crash, never a
 * finite number, not even with zeroInfinity); one past the input length changes nothing; -inf is a probability of
 * 0, which can leave a sample without alignment (+inf, or 0 with zeroInfinity) and otherwise gives the exact finite
 * answer, with gradient 0 for the impossible classes.
 */
class CtcNonFiniteInputTest {
    private static final int T = 6, N = 3, C = 5;
    /** Sample 0: labels 1 2 3 over 6 frames; sample 1: 4 4 over 5; sample 2: 2 over 4. Blank 0. */
    private static final int[][] TARGETS = {{1, 2, 3}, {4, 4, 0}, {2, 0, 0}};
    private static final int[] INPUT_LENGTHS = {6, 5, 4};
    private static final int[] TARGET_LENGTHS = {3, 2, 1};

    static List<Arguments> calls() {
        List<Arguments> out = new ArrayList<>();
        for (CtcKernel kernel : new CtcKernel[]{JavaCtcKernel.INSTANCE, LibNd4jCtcKernel.INSTANCE}) {
            for (boolean fromLogits : new boolean[]{false, true}) {
                for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
                    out.add(Arguments.of(kernel.getClass().getSimpleName(), kernel, fromLogits, type));
                }
            }
        }
        return out;
    }

    /** [N, T, C] scores: log-softmax rows, or the same rows shifted (valid logits of the same distribution). */
    private static INDArray scores(boolean fromLogits, DataType type) {
        Random r = new Random(42);
        double[][][] x = new double[N][T][C];
        for (double[][] sample : x) {
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) sample[t][c] = 2 * r.nextGaussian();
                sample[t] = FuzzCase.logSoftmax(sample[t]);
                if (fromLogits) {
                    for (int c = 0; c < C; c++) sample[t][c] += 3.0;
                }
            }
        }
        return Nd4j.create(x).castTo(type);
    }

    private static CtcResult run(CtcKernel kernel, INDArray scores, boolean fromLogits, boolean zeroInfinity) {
        CtcOptions o = CtcOptions.builder().reduction(CtcReduction.NONE).layout(CtcLayout.NTC)
                .zeroInfinity(zeroInfinity).build();
        return CtcLossEngine.lossAndGradient(scores, Nd4j.createFromArray(TARGETS), Nd4j.createFromArray(INPUT_LENGTHS),
                Nd4j.createFromArray(TARGET_LENGTHS), o, fromLogits, kernel);
    }

    private static INDArray frames(INDArray ntc, int n, int from, int to) {
        return ntc.get(NDArrayIndex.point(n), NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static void assertAll(INDArray a, java.util.function.DoublePredicate p, String what) {
        for (double v : a.castTo(DataType.DOUBLE).dup().data().asDouble()) {
            assertTrue(p.test(v), what + ": " + a);
        }
    }

    @ParameterizedTest(name = "{0} logits={2} {3}")
    @MethodSource("calls")
    void nanInAClassTheAlignmentReadsMakesThatSampleNanEvenWithZeroInfinity(String name, CtcKernel kernel,
                                                                           boolean fromLogits, DataType type) {
        INDArray clean = scores(fromLogits, type);
        CtcResult expected = run(kernel, clean, fromLogits, false);
        INDArray poisoned = clean.dup();
        poisoned.putScalar(new long[]{1, 2, 4}, Double.NaN);    // label 4 of sample 1, frame 2
        for (boolean zeroInfinity : new boolean[]{false, true}) {
            CtcResult r = run(kernel, poisoned, fromLogits, zeroInfinity);
            assertTrue(Double.isNaN(r.loss().getDouble(1)), "sample 1 read a NaN: " + r.loss());
            assertEquals(expected.loss().getDouble(0), r.loss().getDouble(0), 0.0, "sample 0 is untouched");
            assertEquals(expected.loss().getDouble(2), r.loss().getDouble(2), 0.0, "sample 2 is untouched");
            assertAll(frames(r.gradient(), 1, 0, INPUT_LENGTHS[1]), Double::isNaN, "valid frames of sample 1");
            assertAll(frames(r.gradient(), 1, INPUT_LENGTHS[1], T), v -> v == 0.0, "frames past sample 1's input");
            assertEquals(frames(expected.gradient(), 0, 0, T), frames(r.gradient(), 0, 0, T), "sample 0's gradient");
        }
        CtcOptions mean = CtcOptions.builder().layout(CtcLayout.NTC).zeroInfinity(true).build();
        assertTrue(Double.isNaN(CtcLossEngine.loss(poisoned, Nd4j.createFromArray(TARGETS),
                Nd4j.createFromArray(INPUT_LENGTHS), Nd4j.createFromArray(TARGET_LENGTHS), mean, fromLogits, kernel)
                .getDouble(0)), "the mean over a NaN sample is NaN");
    }

    @ParameterizedTest(name = "{0} logits={2} {3}")
    @MethodSource("calls")
    void plusInfinityTheAlignmentReadsIsNan(String name, CtcKernel kernel, boolean fromLogits, DataType type) {
        INDArray scores = scores(fromLogits, type);
        // the blank of sample 2 at frame 1; for logits also a class sample 0 never uses (it spoils log Z)
        scores.putScalar(new long[]{2, 1, 0}, Double.POSITIVE_INFINITY);
        if (fromLogits) {
            scores.putScalar(new long[]{0, 3, 4}, Double.POSITIVE_INFINITY);
        }
        CtcResult r = run(kernel, scores, fromLogits, true);
        assertTrue(Double.isNaN(r.loss().getDouble(2)), r.loss().toString());
        assertEquals(fromLogits, Double.isNaN(r.loss().getDouble(0)), r.loss().toString());
        assertTrue(Double.isFinite(r.loss().getDouble(1)), r.loss().toString());
        assertAll(frames(r.gradient(), 2, 0, INPUT_LENGTHS[2]), Double::isNaN, "valid frames of sample 2");
    }

    @ParameterizedTest(name = "{0} logits={2} {3}")
    @MethodSource("calls")
    void nonFiniteScoresPastTheInputLengthChangeNothing(String name, CtcKernel kernel, boolean fromLogits,
                                                        DataType type) {
        INDArray clean = scores(fromLogits, type);
        CtcResult expected = run(kernel, clean, fromLogits, false);
        INDArray padded = clean.dup();
        frames(padded, 1, INPUT_LENGTHS[1], T).assign(Double.NaN);
        frames(padded, 2, INPUT_LENGTHS[2], T).assign(Double.POSITIVE_INFINITY);
        CtcResult r = run(kernel, padded, fromLogits, false);
        assertEquals(expected.loss(), r.loss());
        assertEquals(expected.gradient(), r.gradient());
    }

    @ParameterizedTest(name = "{0} logits={2} {3}")
    @MethodSource("calls")
    void minusInfinityOnEveryClassAFrameCouldEmitLeavesNoAlignment(String name, CtcKernel kernel,
                                                                   boolean fromLogits, DataType type) {
        INDArray scores = scores(fromLogits, type);
        // sample 2 (label 2) must emit the blank or 2 at frame 0
        scores.putScalar(new long[]{2, 0, 0}, Double.NEGATIVE_INFINITY);
        scores.putScalar(new long[]{2, 0, 2}, Double.NEGATIVE_INFINITY);
        CtcResult infinite = run(kernel, scores, fromLogits, false);
        assertEquals(Double.POSITIVE_INFINITY, infinite.loss().getDouble(2));
        assertAll(frames(infinite.gradient(), 2, 0, INPUT_LENGTHS[2]), Double::isNaN, "no alignment: NaN gradient");
        CtcResult zeroed = run(kernel, scores, fromLogits, true);
        assertEquals(0.0, zeroed.loss().getDouble(2));
        assertAll(frames(zeroed.gradient(), 2, 0, T), v -> v == 0.0, "zeroInfinity: zero gradient");
        assertTrue(Double.isFinite(zeroed.loss().getDouble(0)) && Double.isFinite(zeroed.loss().getDouble(1)));
    }

    /** Measured before the fix: libnd4j's gradient was NaN wherever a log-probability was -inf. */
    @ParameterizedTest(name = "{0} logits={2} {3}")
    @MethodSource("calls")
    void minusInfinityElsewhereGivesTheExactFiniteAnswer(String name, CtcKernel kernel, boolean fromLogits,
                                                         DataType type) {
        INDArray scores = scores(fromLogits, type);
        // classes 3 and 4 impossible in every frame of sample 2 (target: 2), class 1 at frame 2 of sample 0
        frames(scores, 2, 0, T).get(NDArrayIndex.all(), NDArrayIndex.interval(3, 5)).assign(Double.NEGATIVE_INFINITY);
        scores.putScalar(new long[]{0, 2, 1}, Double.NEGATIVE_INFINITY);
        CtcResult r = run(kernel, scores, fromLogits, false);
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        for (int n = 0; n < N; n++) {
            double[][] lp = new double[T][];
            for (int t = 0; t < T; t++) {
                double[] row = frames(scores, n, t, t + 1).castTo(DataType.DOUBLE).dup().data().asDouble();
                lp[t] = fromLogits ? FuzzCase.logSoftmax(row) : row;   // log-probabilities are taken as given
            }
            int[] target = java.util.Arrays.copyOf(TARGETS[n], TARGET_LENGTHS[n]);
            double nll = CtcReference.nll(lp, INPUT_LENGTHS[n], target, 0);
            assertEquals(nll, r.loss().getDouble(n), tolerance * nll, "loss of sample " + n);
            double[][] gamma = CtcReference.posteriors(lp, INPUT_LENGTHS[n], target, 0, C);
            for (int t = 0; t < INPUT_LENGTHS[n]; t++) {
                for (int c = 0; c < C; c++) {
                    double expected = (fromLogits ? Math.exp(lp[t][c]) : 0.0) - gamma[t][c];
                    double actual = r.gradient().getDouble(n, t, c);
                    assertEquals(expected, actual, tolerance, "gradient of sample " + n + " at t=" + t + " c=" + c);
                    if (lp[t][c] == Double.NEGATIVE_INFINITY) {
                        assertEquals(0.0, actual, 0.0, "an impossible class has gradient 0");
                    }
                }
            }
        }
    }
}
