package io.github.dl4jctc.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SameDiff op with malformed values fed at run time, forward ({@code output}) and backward
 * ({@code calculateGradients}): an IllegalArgumentException naming the argument, raised before native code, and
 * the same graph gives the same bits for a valid feed afterwards. Malformed graphs are refused when built.
 */
class CtcSameDiffBadInputTest {
    private static final int T = 6, N = 2, C = 5;

    /** logits [-1, -1, C] (TNC) + a trainable bias -> CTC (MEAN); lengths placeholders of the given type. */
    private static SameDiff graph(DataType lengthType, CtcOptions options) {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.placeHolder("logits", DataType.DOUBLE, -1, -1, C);
        SDVariable biased = logits.add(sd.var("bias", Nd4j.zeros(DataType.DOUBLE, C)));
        Ctc.lossFromLogits(sd, "loss", biased, sd.placeHolder("targets", DataType.INT, -1, -1),
                sd.placeHolder("inputLengths", lengthType, -1), sd.placeHolder("targetLengths", lengthType, -1),
                options);
        sd.setLossVariables("loss");
        return sd;
    }

    private static Map<String, INDArray> goodFeed() {
        Nd4j.getRandom().setSeed(5);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("logits", Nd4j.randn(DataType.DOUBLE, T, N, C));
        feed.put("targets", Nd4j.createFromArray(new int[][]{{1, 2, 3}, {4, 4, 0}}));
        feed.put("inputLengths", Nd4j.createFromArray(6, 5));
        feed.put("targetLengths", Nd4j.createFromArray(3, 2));
        return feed;
    }

    private static Map<String, INDArray> with(String name, INDArray value) {
        Map<String, INDArray> feed = goodFeed();
        feed.put(name, value);
        return feed;
    }

    static List<Arguments> badFeeds() {
        return List.of(
                Arguments.of("label = C", with("targets", Nd4j.createFromArray(new int[][]{{1, 5, 3}, {4, 4, 0}})),
                        new String[]{"targets", "5", "[0, 5)"}),
                Arguments.of("negative label", with("targets", Nd4j.createFromArray(new int[][]{{1, 2, 3}, {-1, 4, 0}})),
                        new String[]{"targets", "-1"}),
                Arguments.of("blank label", with("targets", Nd4j.createFromArray(new int[][]{{1, 0, 3}, {4, 4, 0}})),
                        new String[]{"targets", "blank"}),
                Arguments.of("label Integer.MAX_VALUE", with("targets",
                        Nd4j.createFromArray(new int[][]{{1, 2, 3}, {4, Integer.MAX_VALUE, 0}})),
                        new String[]{"targets", "2147483647"}),
                Arguments.of("targets of another batch", with("targets", Nd4j.createFromArray(new int[][]{{1, 2, 3}})),
                        new String[]{"targets", "N = 2"}),
                Arguments.of("input length > T", with("inputLengths", Nd4j.createFromArray(7, 5)),
                        new String[]{"inputLengths", "7", "T = 6"}),
                Arguments.of("negative input length", with("inputLengths", Nd4j.createFromArray(6, -2)),
                        new String[]{"inputLengths", "-2"}),
                Arguments.of("target length > S", with("targetLengths", Nd4j.createFromArray(3, 4)),
                        new String[]{"targetLengths", "4", "S = 3"}),
                Arguments.of("negative target length", with("targetLengths", Nd4j.createFromArray(-3, 2)),
                        new String[]{"targetLengths", "-3"}),
                Arguments.of("lengths of another batch", with("targetLengths", Nd4j.createFromArray(3, 2, 1)),
                        new String[]{"targetLengths", "[N] = [2]"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFeeds")
    void badValuesAreRefusedForwardAndBackwardAndTheGraphStaysUsable(String what, Map<String, INDArray> bad,
                                                                     String[] mustMention) {
        SameDiff sd = graph(DataType.INT, CtcOptions.defaults());
        double[] lossBefore = sd.output(goodFeed(), "loss").get("loss").data().asDouble();
        double[] gradBefore = sd.calculateGradients(goodFeed(), "logits").get("logits").data().asDouble();

        refused(() -> sd.output(bad, "loss"), mustMention);
        refused(() -> sd.calculateGradients(bad, "logits"), mustMention);

        assertArrayEquals(lossBefore, sd.output(goodFeed(), "loss").get("loss").data().asDouble());
        assertArrayEquals(gradBefore, sd.calculateGradients(goodFeed(), "logits").get("logits").data().asDouble());
    }

    @Test
    void fractionalLengthsInAFloatPlaceholderAreRefused() {
        SameDiff sd = graph(DataType.FLOAT, CtcOptions.defaults());
        Map<String, INDArray> feed = goodFeed();
        feed.put("inputLengths", Nd4j.createFromArray(6f, 4.5f));
        feed.put("targetLengths", Nd4j.createFromArray(3f, 2f));
        refused(() -> sd.output(feed, "loss"), "inputLengths", "4.5", "whole number");
        feed.put("inputLengths", Nd4j.createFromArray(6f, 5f));
        assertTrue(Double.isFinite(sd.output(feed, "loss").get("loss").getDouble(0)));
    }

    @Test
    void aBlankOutsideTheClassesIsRefusedWhenTheGraphRuns() {
        // C is only known from the fed logits
        SameDiff sd = graph(DataType.INT, CtcOptions.builder().blank(C).build());
        refused(() -> sd.output(goodFeed(), "loss"), "blank", "5", "[0, 5)");
    }

    @Test
    void malformedGraphsAreRefusedWhenBuilt() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, C);
        SDVariable i = sd.placeHolder("i", DataType.INT, -1);
        SDVariable ints = sd.placeHolder("ints", DataType.INT, -1, -1, C);
        CtcOptions o = CtcOptions.defaults();
        refused(() -> Ctc.loss(null, "l", x, i, i, i, o), "sd", "null");
        refused(() -> Ctc.loss(sd, "l", null, i, i, i, o), "logProbs", "null");
        refused(() -> Ctc.lossFromLogits(sd, "l", null, i, i, i, o), "logits", "null");
        refused(() -> Ctc.loss(sd, "l", x, null, i, i, o), "targets", "null");
        refused(() -> Ctc.loss(sd, "l", x, i, null, i, o), "inputLengths", "null");
        refused(() -> Ctc.loss(sd, "l", x, i, i, null, o), "targetLengths", "null");
        refused(() -> Ctc.loss(sd, "l", x, i, i, i, null), "options", "null");
        refused(() -> Ctc.lossFromLogits(sd, "l", ints, i, i, i, o), "logits", "INT", "floating-point");
    }

    private static void refused(org.junit.jupiter.api.function.Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
        }
    }
}
