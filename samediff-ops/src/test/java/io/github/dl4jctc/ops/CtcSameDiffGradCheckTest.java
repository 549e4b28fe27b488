package io.github.dl4jctc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite differences (ND4J's GradCheckUtil, float64) against the SameDiff op's gradient: through log_softmax,
 * fused from logits, in both layouts, with the CTC loss weighted and added to another term, for every
 * reduction, on ragged lengths with a non-zero blank, repeated labels and an empty target.
 */
class CtcSameDiffGradCheckTest {
    private static DataType savedType;
    private static DataType savedFloatType;

    @BeforeAll
    static void useDouble() {
        savedType = Nd4j.dataType();
        savedFloatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(savedType, savedFloatType);
    }

    private static final int T = 7, N = 4, C = 5, BLANK = 2;

    private static INDArray targets() {
        // sample 0: repeats; 1: shorter; 2: empty target; 3: full width
        return Nd4j.createFromArray(new int[][]{{1, 1, 3}, {4, 0, 0}, {0, 0, 0}, {3, 1, 4}});
    }

    private static SameDiff graph(CtcReduction reduction, CtcLayout layout, boolean fused, boolean zeroInfinity,
                                  int[] inputLengths) {
        Nd4j.getRandom().setSeed(42);
        SameDiff sd = SameDiff.create();
        long[] shape = layout == CtcLayout.TNC ? new long[]{T, N, C} : new long[]{N, T, C};
        SDVariable logits = sd.var("logits", Nd4j.randn(DataType.DOUBLE, shape));
        SDVariable tg = sd.constant("targets", targets());
        SDVariable il = sd.constant("inputLengths", Nd4j.createFromArray(inputLengths));
        SDVariable tl = sd.constant("targetLengths", Nd4j.createFromArray(3, 1, 0, 3));
        CtcOptions o = CtcOptions.builder().blank(BLANK).reduction(reduction).layout(layout)
                .zeroInfinity(zeroInfinity).build();
        SDVariable ctc = fused
                ? Ctc.lossFromLogits(sd, "ctc", logits, tg, il, tl, o)
                : Ctc.loss(sd, "ctc", sd.nn().logSoftmax(logits), tg, il, tl, o);
        if (reduction == CtcReduction.NONE) {
            // A different weight per sample checks that the incoming gradient reaches each sample.
            ctc = ctc.mul(sd.constant(Nd4j.createFromArray(0.5, -1.5, 2.0, 0.25)));
        }
        SDVariable total = ctc.sum().mul(0.7).add(logits.mul(logits).sum().mul(0.05));
        total.rename("total");
        sd.setLossVariables("total");
        return sd;
    }

    @ParameterizedTest
    @EnumSource(CtcReduction.class)
    void gradientThroughLogSoftmaxMatchesFiniteDifferences(CtcReduction reduction) {
        for (CtcLayout layout : CtcLayout.values()) {
            SameDiff sd = graph(reduction, layout, false, false, new int[]{7, 5, 6, 4});
            assertTrue(GradCheckUtil.checkGradients(sd, Collections.emptyMap()), reduction + " " + layout);
        }
    }

    @ParameterizedTest
    @EnumSource(CtcReduction.class)
    void fusedFromLogitsGradientMatchesFiniteDifferences(CtcReduction reduction) {
        for (CtcLayout layout : CtcLayout.values()) {
            SameDiff sd = graph(reduction, layout, true, false, new int[]{7, 5, 6, 4});
            assertTrue(GradCheckUtil.checkGradients(sd, Collections.emptyMap()), reduction + " " + layout);
        }
    }

    @ParameterizedTest
    @EnumSource(CtcReduction.class)
    void infeasibleSampleUnderZeroInfinityHasZeroGradient(CtcReduction reduction) {
        // Sample 0 (labels 1 1 3) needs 4 frames; 3 makes it infeasible, sample 3 (3 labels) gets 2 < 3.
        SameDiff sd = graph(reduction, CtcLayout.TNC, true, true, new int[]{3, 5, 6, 2});
        assertTrue(GradCheckUtil.checkGradients(sd, Collections.emptyMap()), reduction.toString());
    }
}
