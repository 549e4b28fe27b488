package io.github.dl4jctc.layer.eval;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CtcEvaluation refuses malformed labels, masks and predictions naming them, and a refused call counts nothing:
 * the evaluation equals what it was before, and keeps counting correctly.
 */
class CtcEvaluationBadInputTest {
    private static final CtcVocabulary VOCAB = CtcEvaluationTest.VOCAB;   // 0 blank, 1 a, 2 b, 3 space
    /** Two sequences, "ab" and "b", decoded exactly. */
    private static final INDArray OUTPUT = CtcEvaluationTest.outputFor(new int[][]{{1, 0, 2}, {2, 0, -1}}, 4);
    private static final INDArray LABELS = Nd4j.createFromArray(new float[][]{{1, 2}, {2, 0}});
    private static final INDArray MASK = Nd4j.createFromArray(new float[][]{{1, 1}, {1, 0}});

    static List<Arguments> badCalls() {
        INDArray nanOutput = OUTPUT.dup();
        nanOutput.putScalar(new long[]{0, 1, 1}, Double.NaN);
        INDArray infOutput = OUTPUT.dup();
        infOutput.putScalar(new long[]{1, 2, 0}, Double.POSITIVE_INFINITY);
        return List.of(
                call("label = C", labels(0, 1, 4), MASK, OUTPUT, "labels", "4.0", "[0, 4)"),
                call("blank label", labels(0, 0, 0), MASK, OUTPUT, "labels", "blank", "example 0, position 0"),
                call("label 1.5", labels(1, 0, 1.5), MASK, OUTPUT, "labels", "1.5"),
                call("label NaN", labels(0, 1, Double.NaN), MASK, OUTPUT, "labels", "NaN"),
                call("label Integer.MAX_VALUE", labels(0, 0, Integer.MAX_VALUE), MASK, OUTPUT, "labels",
                        "2.147483648E9"),
                call("labels mask [N, S + 1]", LABELS, Nd4j.ones(DataType.FLOAT, 2, 3), OUTPUT, "labelsMask",
                        "[2, 3]"),
                call("labels mask with a hole", LABELS, Nd4j.createFromArray(new float[][]{{0, 1}, {1, 0}}), OUTPUT,
                        "labelsMask", "example 0"),
                call("labels of 1 example", Nd4j.createFromArray(new float[][]{{1, 2}}), null, OUTPUT, "labels",
                        "N = 2"),
                call("null labels", null, MASK, OUTPUT, "labels", "null"),
                call("null predictions", LABELS, MASK, null, "networkPredictions", "null"),
                call("NaN prediction", LABELS, MASK, nanOutput, "probabilities", "NaN"),
                call("+inf prediction", LABELS, MASK, infOutput, "probabilities", "Infinity"),
                call("predictions of 5 classes", LABELS, MASK, CtcEvaluationTest.outputFor(new int[][]{{1}, {2}}, 5),
                        "C = 5", "vocabulary.size() = 4"));
    }

    private static Arguments call(String what, INDArray labels, INDArray mask, INDArray output, String... mention) {
        return Arguments.of(what, labels, mask, output, mention);
    }

    private static INDArray labels(int n, int s, double value) {
        INDArray labels = LABELS.dup();
        labels.putScalar(n, s, value);
        return labels;
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)   // INDArrays are AutoCloseable
    @MethodSource("badCalls")
    void refusedAndNothingIsCounted(String what, INDArray labels, INDArray mask, INDArray output,
                                    String[] mustMention) {
        CtcEvaluation eval = new CtcEvaluation(VOCAB);
        eval.eval(LABELS, OUTPUT, MASK);
        CtcEvaluation before = new CtcEvaluation(VOCAB);
        before.eval(LABELS, OUTPUT, MASK);

        refused(() -> eval.eval(labels, output, mask), mustMention);
        assertEquals(before, eval, "a refused call counts nothing");
        eval.eval(LABELS, OUTPUT, MASK);
        before.eval(LABELS, OUTPUT, MASK);
        assertEquals(before, eval, "and counting goes on as before");
    }

    @Test
    void refusedTextsCountNothingEither() {
        CtcEvaluation eval = new CtcEvaluation(VOCAB);
        refused(() -> eval.evalTexts(Arrays.asList("ab", "a", null), Arrays.asList("ab", "b", "a")),
                "references[2]", "null");
        refused(() -> eval.evalTexts(List.of("ab"), null), "hypotheses", "null");
        assertEquals(new CtcEvaluation(VOCAB), eval);
        assertTrue(Double.isNaN(eval.getValue(CtcEvaluation.Metric.CHARACTER_ERROR_RATE)));
    }

    @Test
    void nullConfigurationIsRefused() {
        refused(() -> new CtcEvaluation(null), "vocabulary", "null");
        refused(() -> new CtcEvaluation(VOCAB, (io.github.dl4jctc.layer.decode.CtcDecoder) null), "decoder", "null");
        refused(() -> new CtcEvaluation(null, new CtcGreedyDecoder()), "vocabulary", "null");
    }

    private static void refused(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
        }
    }
}
