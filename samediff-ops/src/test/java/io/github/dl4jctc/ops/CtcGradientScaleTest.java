package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Ctc.lossAndGradientFromLogits(..., gradient, gradientScale)}: the gradient is {@code gradientScale} times
 * the unscaled one (NaN rows stay NaN, zeroed rows 0) and the loss is the unscaled loss, with both kernels, both
 * softmax paths (C <= 512 in Java, larger through ND4J), float32 and float64; a non-finite scale is refused.
 */
class CtcGradientScaleTest {
    // sample 0 ordinary, sample 1 a NaN logit (NaN loss), sample 2 too short to align (+inf loss)
    private static final INDArray TARGETS = Nd4j.createFromArray(new int[][]{{1, 2, 2}, {3, 1, 0}, {1, 1, 1}});
    private static final INDArray INPUT_LENGTHS = Nd4j.createFromArray(9, 7, 3);
    private static final INDArray TARGET_LENGTHS = Nd4j.createFromArray(3, 2, 3);

    @Test
    void gradientIsScaledAndLossIsNot() {
        for (CtcKernel kernel : new CtcKernel[]{JavaCtcKernel.INSTANCE, LibNd4jCtcKernel.INSTANCE}) {
            for (int classes : new int[]{5, 600}) {
                for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                    for (CtcReduction reduction : CtcReduction.values()) {
                        for (boolean zeroInfinity : new boolean[]{false, true}) {
                            check(kernel, classes, type, CtcOptions.builder().layout(CtcLayout.NTC)
                                    .reduction(reduction).zeroInfinity(zeroInfinity).build());
                        }
                    }
                }
            }
        }
    }

    private static void check(CtcKernel kernel, int classes, DataType type, CtcOptions o) {
        Nd4j.getRandom().setSeed(5);
        INDArray logits = Nd4j.randn(DataType.DOUBLE, 3, 9, classes).castTo(type);
        logits.putScalar(new long[]{1, 2, 4}, Double.NaN);
        INDArray plainGradient = Nd4j.create(type, 3, 9, classes);
        INDArray scaledGradient = Nd4j.create(type, 3, 9, classes);
        CtcResult plain = CtcLossEngine.lossAndGradientInto(logits, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, o, true,
                plainGradient, 1.0, kernel);
        CtcResult scaled = CtcLossEngine.lossAndGradientInto(logits, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, o, true,
                scaledGradient, -3.5, kernel);
        String what = kernel.getClass().getSimpleName() + " C=" + classes + " " + type + " " + o.reduction()
                + (o.zeroInfinity() ? " zeroInfinity" : "");
        assertArrayEquals(plain.loss().toDoubleVector(), scaled.loss().toDoubleVector(), 0.0, what + ": loss");
        double tolerance = type == DataType.FLOAT ? 1e-6 : 1e-14;
        for (int n = 0; n < 3; n++) {
            for (int t = 0; t < 9; t++) {
                for (int c = 0; c < classes; c++) {
                    double expected = -3.5 * plainGradient.getDouble(n, t, c);
                    double actual = scaledGradient.getDouble(n, t, c);
                    String at = what + " [" + n + "," + t + "," + c + "]";
                    if (Double.isNaN(expected)) {
                        assertTrue(Double.isNaN(actual), at + ": expected NaN, got " + actual);
                    } else {
                        assertEquals(expected, actual, tolerance * Math.max(1e-3, Math.abs(expected)), at);
                    }
                }
            }
        }
        assertTrue(Double.isNaN(scaledGradient.getDouble(1, 0, 0)), what + ": the NaN sample's gradient is NaN");
    }

    @Test
    void nonFiniteScaleIsRefused() {
        INDArray logits = Nd4j.randn(DataType.FLOAT, 3, 9, 5);
        for (double scale : new double[]{Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Ctc.lossAndGradientFromLogits(logits, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS,
                            CtcOptions.builder().layout(CtcLayout.NTC).build(), Nd4j.create(DataType.FLOAT, 3, 9, 5),
                            scale));
            assertEquals("gradientScale: got " + scale + ", expected a finite number", e.getMessage());
        }
    }
}
