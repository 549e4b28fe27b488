package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** One malformed call: scores (log-probs or logits alike), targets, lengths, options, and what the message names. */
    private record BadCall(String what, INDArray scores, INDArray targets, INDArray il, INDArray tl, CtcOptions o,
                           String... mustMention) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<BadCall> badCalls() {
        CtcBadInputTest f = new CtcBadInputTest();
        INDArray lp = f.lp, tg = f.targets, il = f.il, tl = f.tl;
        CtcOptions o = f.o;
        long huge = 1L << 40;
        return List.of(
                new BadCall("rank 2 scores", lp.reshape(T, N * C), tg, il, tl, o, "[6, 10]", "rank 3"),
                new BadCall("integer scores", lp.castTo(DataType.INT), tg, il, tl, o, "INT", "floating-point"),
                new BadCall("targets of another batch", lp, Nd4j.createFromArray(new int[][]{{1, 2, 3}}), il, tl, o,
                        "targets", "N = 2"),
                new BadCall("lengths of another batch", lp, tg, Nd4j.createFromArray(6, 5, 4), tl, o,
                        "inputLengths", "[N] = [2]"),
                new BadCall("label = C", lp, Nd4j.createFromArray(new int[][]{{1, 5, 3}, {4, 4, 0}}), il, tl, o,
                        "targets", "5", "[0, 5)"),
                new BadCall("negative label", lp, Nd4j.createFromArray(new int[][]{{1, -3, 3}, {4, 4, 0}}), il, tl, o,
                        "targets", "-3", "[0, 5)"),
                new BadCall("blank label", lp, Nd4j.createFromArray(new int[][]{{1, 2, 3}, {0, 4, 0}}), il, tl, o,
                        "targets", "blank", "sample 1, position 0"),
                new BadCall("label Integer.MAX_VALUE", lp, Nd4j.createFromArray(new int[][]{{1, 2, Integer.MAX_VALUE},
                        {4, 4, 0}}), il, tl, o, "targets", "2147483647", "[0, 5)"),
                new BadCall("label 2^40 (LONG)", lp, Nd4j.createFromArray(new long[][]{{1, huge, 3}, {4, 4, 0}}), il, tl,
                        o, "targets", "1099511627776", "[0, 5)"),
                new BadCall("label 2.5", lp, Nd4j.createFromArray(new double[][]{{1, 2.5, 3}, {4, 4, 0}}), il, tl, o,
                        "targets", "2.5", "whole number"),
                new BadCall("label NaN", lp, Nd4j.createFromArray(new double[][]{{1, 2, Double.NaN}, {4, 4, 0}}), il,
                        tl, o, "targets", "NaN", "whole number"),
                new BadCall("input length > T", lp, tg, Nd4j.createFromArray(6, 7), tl, o, "inputLengths", "7", "T = 6"),
                new BadCall("input length Integer.MAX_VALUE", lp, tg, Nd4j.createFromArray(Integer.MAX_VALUE, 5), tl, o,
                        "inputLengths", "2147483647", "T = 6"),
                new BadCall("input length 2^40 (LONG)", lp, tg, Nd4j.createFromArray(huge, 5L), tl, o,
                        "inputLengths", "1099511627776", "T = 6"),
                new BadCall("negative input length", lp, tg, Nd4j.createFromArray(6, -1), tl, o, "inputLengths", "-1"),
                new BadCall("input length +inf", lp, tg, Nd4j.createFromArray(Double.POSITIVE_INFINITY, 5.0), tl, o,
                        "inputLengths", "Infinity", "whole number"),
                new BadCall("target length > S", lp, tg, il, Nd4j.createFromArray(3, 4), o, "targetLengths", "4", "S = 3"),
                new BadCall("negative target length", lp, tg, il, Nd4j.createFromArray(-1, 2), o, "targetLengths", "-1"),
                new BadCall("target length 0.5", lp, tg, il, Nd4j.createFromArray(3.0, 0.5), o, "targetLengths", "0.5"),
                new BadCall("concatenated targets one short", lp, Nd4j.createFromArray(1, 2, 3, 4), il, tl, o,
                        "targets", "4 concatenated", "sum(targetLengths) = 5"),
                new BadCall("concatenated targets one long", lp, Nd4j.createFromArray(1, 2, 3, 4, 4, 2), il, tl, o,
                        "targets", "6 concatenated", "sum(targetLengths) = 5"),
                new BadCall("blank = C", lp, tg, il, tl, CtcOptions.builder().blank(C).build(), "blank", "5", "[0, 5)"),
                new BadCall("boolean targets", lp, tg.castTo(DataType.BOOL), il, tl, o, "targets", "BOOL"),
                new BadCall("null scores", null, tg, il, tl, o, "null"),
                new BadCall("null targets", lp, null, il, tl, o, "targets", "null"),
                new BadCall("null input lengths", lp, tg, null, tl, o, "inputLengths", "null"),
                new BadCall("null target lengths", lp, tg, il, null, o, "targetLengths", "null"),
                new BadCall("null options", lp, tg, il, tl, null, "options", "null"));
    }

    /** Every eager entry point refuses every malformed call, and a valid call afterwards has the same bits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void everyEagerEntryPointRefusesTheCall(BadCall call) {
        INDArray scoresArg = call.scores(), targetsArg = call.targets();
        CtcResult before = Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o);
        refused(() -> Ctc.loss(scoresArg, targetsArg, call.il(), call.tl(), call.o()), call.mustMention());
        refused(() -> Ctc.lossAndGradient(scoresArg, targetsArg, call.il(), call.tl(), call.o()), call.mustMention());
        refused(() -> Ctc.lossAndGradientFromLogits(scoresArg, targetsArg, call.il(), call.tl(), call.o()),
                call.mustMention());
        CtcResult after = Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o);
        assertEquals(before.loss().getDouble(0), after.loss().getDouble(0), 0.0);
        assertArrayEquals(before.gradient().data().asDouble(), after.gradient().data().asDouble());
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
    void aGradientArrayOfTheWrongShapeTypeOrLayoutIsRefused() {
        refused(() -> Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o, null), "gradient", "null");
        refused(() -> Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o, Nd4j.create(DataType.FLOAT, T, N, C + 1)),
                "gradient", "[6, 2, 6]", "[6, 2, 5]");
        refused(() -> Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o, Nd4j.create(DataType.DOUBLE, T, N, C)),
                "gradient", "DOUBLE", "FLOAT");
        refused(() -> Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o,
                Nd4j.create(DataType.FLOAT, N, T, C).permute(1, 0, 2)), "gradient", "strides", "packed in c order");
        refused(() -> Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o, lp), "gradient", "itself", "in place");
        INDArray big = Nd4j.create(DataType.FLOAT, 2, T, N, C);
        refused(() -> Ctc.lossAndGradientFromLogits(lp, targets, il, tl, o, big.get(NDArrayIndex.point(1))),
                "gradient", "not a view into a larger array");
        INDArray half = lp.castTo(DataType.HALF);
        refused(() -> Ctc.lossAndGradientFromLogits(half, targets, il, tl, o, Nd4j.create(DataType.HALF, T, N, C)),
                "gradient", "HALF", "FLOAT or DOUBLE");
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
