package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels read scores in place when they are packed and copy them otherwise; either way the results must be
 * the same: views into a larger array (offset > 0), permuted views, a batch of one in TNC (whose strides cannot
 * tell TNC from NTC), with the gradient into a new array or the caller's.
 */
class CtcScoresLayoutTest {
    private static final int T = 9, C = 6;

    private static INDArray targets(int n) {
        int[][] t = new int[n][3];
        for (int i = 0; i < n; i++) t[i] = new int[]{1 + i % 5, 2, 2};
        return Nd4j.createFromArray(t);
    }

    private static CtcResult run(INDArray logits, int n, CtcLayout layout, boolean into) {
        CtcOptions o = CtcOptions.builder().layout(layout).build();
        INDArray il = Nd4j.createFromArray(java.util.stream.IntStream.range(0, n).map(i -> T - i % 3).toArray());
        INDArray tl = Nd4j.createFromArray(java.util.stream.IntStream.range(0, n).map(i -> 1 + i % 3).toArray());
        return into ? Ctc.lossAndGradientFromLogits(logits, targets(n), il, tl, o,
                Nd4j.createUninitialized(logits.dataType(), logits.shape()))
                : Ctc.lossAndGradientFromLogits(logits, targets(n), il, tl, o);
    }

    private static void assertSameResult(CtcResult expected, CtcResult actual, String what) {
        assertEquals(expected.loss().getDouble(0), actual.loss().getDouble(0), 1e-12, what + " loss");
        assertArrayEquals(expected.gradient().dup('c').data().asDouble(), actual.gradient().dup('c').data().asDouble(),
                1e-12, what + " gradient");
    }

    @Test
    void viewsIntoALargerArrayGiveTheResultsOfTheirCopies() {
        for (CtcLayout layout : CtcLayout.values()) {
            for (boolean into : new boolean[]{false, true}) {
                int n = 3;
                long[] shape = layout == CtcLayout.TNC ? new long[]{T, n, C} : new long[]{n, T, C};
                INDArray big = Nd4j.randn(DataType.DOUBLE, 2, shape[0], shape[1], shape[2]);
                INDArray slice = big.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                String what = layout + (into ? " into" : "");
                assertSameResult(run(slice.dup('c'), n, layout, into), run(slice, n, layout, into), what);
                // a permuted view of the other layout: not packed, so copied
                INDArray other = slice.dup('c').permute(1, 0, 2).dup('c').permute(1, 0, 2);
                assertSameResult(run(slice.dup('c'), n, layout, into), run(other, n, layout, into), what + " permuted");
            }
        }
    }

    @Test
    void aBatchOfOneInTncMatchesNtc() {
        INDArray tnc = Nd4j.randn(DataType.DOUBLE, T, 1, C);
        INDArray ntc = tnc.permute(1, 0, 2).dup('c');
        for (boolean into : new boolean[]{false, true}) {
            CtcResult fromTnc = run(tnc, 1, CtcLayout.TNC, into);
            CtcResult fromNtc = run(ntc, 1, CtcLayout.NTC, into);
            assertArrayEquals(new long[]{T, 1, C}, fromTnc.gradient().shape());
            assertSameResult(fromNtc, new CtcResult(fromTnc.loss(), fromTnc.gradient().permute(1, 0, 2)),
                    "into " + into);
        }
    }
}
