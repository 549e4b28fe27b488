package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every malformed argument gets an IllegalArgumentException naming the argument and the value, raised before
 * native code runs (a label out of range would otherwise be read out of bounds by libnd4j), and a valid call
 * afterwards still gives the same answer.
 */
class CtcBadInputTest {
    private static final int T = 6, N = 2, C = 5;

    private final INDArray lp = logSoftmax(Nd4j.rand(DataType.FLOAT, T, N, C));
    private final INDArray targets = Nd4j.createFromArray(new int[][]{{1, 2, 3}, {4, 4, 0}});
    private final INDArray il = Nd4j.createFromArray(6, 5);
    private final INDArray tl = Nd4j.createFromArray(3, 2);
    private final CtcOptions o = CtcOptions.defaults();

    private static INDArray logSoftmax(INDArray x) {
        return Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax(x, 2))[0];
    }

    private static void refused(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
        }
    }

    @Test
    void nullsAreRefused() {
        refused(() -> Ctc.loss(null, targets, il, tl, o), "logProbs", "null");
        refused(() -> Ctc.loss(lp, null, il, tl, o), "targets", "null");
        refused(() -> Ctc.loss(lp, targets, null, tl, o), "inputLengths", "null");
        refused(() -> Ctc.loss(lp, targets, il, null, o), "targetLengths", "null");
        refused(() -> Ctc.loss(lp, targets, il, tl, null), "options", "null");
        refused(() -> Ctc.lossAndGradientFromLogits(null, targets, il, tl, o), "logits", "null");
    }

    @Test
    void shapesAndTypesAreChecked() {
        refused(() -> Ctc.loss(lp.reshape(T, N * C), targets, il, tl, o), "logProbs", "[6, 10]", "rank 3");
        refused(() -> Ctc.loss(lp.castTo(DataType.INT), targets, il, tl, o), "logProbs", "INT", "floating-point");
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(new int[][]{{1, 2, 3}}), il, tl, o), "targets", "[1, 3]", "N = 2");
        refused(() -> Ctc.loss(lp, targets, Nd4j.createFromArray(6, 5, 4), tl, o), "inputLengths", "[3]", "[N] = [2]");
        refused(() -> Ctc.loss(lp, targets, il, Nd4j.createFromArray(new int[][]{{3, 2}}), o), "targetLengths", "[1, 2]");
        refused(() -> Ctc.loss(lp, targets.castTo(DataType.BOOL), il, tl, o), "targets", "BOOL");
        refused(() -> Ctc.loss(lp, Nd4j.create(DataType.INT, N, 3, 1), il, tl, o), "targets", "[2, 3, 1]");
    }

    @Test
    void labelsOutOfRangeOrBlankAreRefused() {
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(new int[][]{{1, 5, 3}, {4, 4, 0}}), il, tl, o), "targets", "5", "[0, 5)");
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(new int[][]{{1, -1, 3}, {4, 4, 0}}), il, tl, o), "targets", "-1");
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(new int[][]{{1, Integer.MAX_VALUE, 3}, {4, 4, 0}}), il, tl, o),
                "targets", String.valueOf(Integer.MAX_VALUE));
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(new int[][]{{1, 0, 3}, {4, 4, 0}}), il, tl, o), "targets", "blank", "0");
        CtcOptions blank3 = CtcOptions.builder().blank(3).build();
        refused(() -> Ctc.loss(lp, targets, il, tl, blank3), "targets", "blank", "3");
        refused(() -> Ctc.loss(lp, targets, il, tl, CtcOptions.builder().blank(5).build()), "blank", "5", "[0, 5)");
        refused(() -> CtcOptions.builder().blank(-1), "blank", "-1");
    }

    @Test
    void lengthsAreChecked() {
        refused(() -> Ctc.loss(lp, targets, Nd4j.createFromArray(7, 5), tl, o), "inputLengths", "7", "T = 6");
        refused(() -> Ctc.loss(lp, targets, Nd4j.createFromArray(-1, 5), tl, o), "inputLengths", "-1");
        refused(() -> Ctc.loss(lp, targets, il, Nd4j.createFromArray(4, 2), o), "targetLengths", "4", "S = 3");
        refused(() -> Ctc.loss(lp, targets, il, Nd4j.createFromArray(3, -2), o), "targetLengths", "-2");
        refused(() -> Ctc.loss(lp, targets, Nd4j.createFromArray(5.5, 5.0), tl, o), "inputLengths", "5.5", "whole number");
        refused(() -> Ctc.loss(lp, targets.castTo(DataType.FLOAT).add(0.25), il, tl, o), "targets", "1.25", "whole number");
        refused(() -> Ctc.loss(lp, targets, Nd4j.createFromArray(Double.NaN, 5.0), tl, o), "inputLengths", "NaN");
    }

    @Test
    void concatenatedTargetsMustMatchTheSumOfLengths() {
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(1, 2, 3, 4), il, tl, o), "targets", "4", "sum(targetLengths) = 5");
        refused(() -> Ctc.loss(lp, Nd4j.createFromArray(1, 2, 3, 4, 4, 1), il, tl, o), "targets", "6", "= 5");
    }

    @Test
    void aValidCallAfterErrorsGivesTheSameAnswer() {
        double before = Ctc.loss(lp, targets, il, tl, o).getDouble(0);
        assertThrows(IllegalArgumentException.class,
                () -> Ctc.loss(lp, Nd4j.createFromArray(new int[][]{{1, 99, 3}, {4, 4, 0}}), il, tl, o));
        assertEquals(before, Ctc.loss(lp, targets, il, tl, o).getDouble(0), 0.0);
    }

    @Test
    void nanInTheInputGivesNanNotAnException() {
        CtcOptions none = CtcOptions.builder().reduction(CtcReduction.NONE).build();
        INDArray withNan = lp.dup();
        withNan.putScalar(new long[]{2, 1, 0}, Float.NaN);    // the blank at frame 2 of sample 1
        INDArray losses = Ctc.loss(withNan, targets, il, tl, none);
        assertTrue(Double.isFinite(losses.getDouble(0)), "sample 0 is untouched: " + losses);
        assertTrue(Double.isNaN(losses.getDouble(1)), "sample 1 saw a NaN: " + losses);
        assertTrue(Double.isNaN(Ctc.loss(withNan, targets, il, tl, o).getDouble(0)));

        // As in PyTorch, a NaN log-probability of a class the target never uses does not reach the loss,
        // but a NaN logit does (log_softmax spreads it over its frame).
        INDArray unusedClass = lp.dup();
        unusedClass.putScalar(new long[]{2, 1, 3}, Float.NaN);
        assertTrue(Double.isFinite(Ctc.loss(unusedClass, targets, il, tl, none).getDouble(1)));
        CtcResult fromLogits = Ctc.lossAndGradientFromLogits(unusedClass, targets, il, tl, none);
        assertTrue(Double.isNaN(fromLogits.loss().getDouble(1)));
        assertTrue(Double.isFinite(fromLogits.loss().getDouble(0)));
    }

    @Test
    void halfPrecisionIsComputedInFloatAndReturnedInHalf() {
        CtcOptions none = CtcOptions.builder().reduction(CtcReduction.NONE).build();
        INDArray full = Ctc.loss(lp, targets, il, tl, none);
        for (DataType type : new DataType[]{DataType.HALF, DataType.BFLOAT16}) {
            CtcResult r = Ctc.lossAndGradientFromLogits(lp.castTo(type), targets, il, tl, none);
            assertEquals(type, r.loss().dataType());
            assertEquals(type, r.gradient().dataType());
            for (int i = 0; i < N; i++) {
                assertEquals(full.getDouble(i), r.loss().getDouble(i), 0.05 * full.getDouble(i), type + " sample " + i);
            }
        }
    }
}
