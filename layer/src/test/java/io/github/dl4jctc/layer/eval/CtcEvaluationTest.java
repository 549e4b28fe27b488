package io.github.dl4jctc.layer.eval;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.layer.decode.CharNGramLanguageModel;
import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder;
import io.github.dl4jctc.layer.decode.CtcBeamSearchDecoder.Builder;
import io.github.dl4jctc.layer.decode.CtcGreedyDecoder;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcEvaluationTest {

    static final CtcVocabulary VOCAB = CtcVocabulary.ofCharacters("ab ");   // 0 blank, 1 a, 2 b, 3 space

    /**
     * Output probabilities {@code [N, C, T]} whose best path is the given frame classes: 0.9 on the frame's class,
     * the rest spread evenly; frames listed as -1 are all 0 (a masked frame of a CTC output layer).
     */
    static INDArray outputFor(int[][] frameClasses, int numClasses) {
        int t = frameClasses[0].length;
        INDArray out = Nd4j.zeros(DataType.FLOAT, frameClasses.length, numClasses, t);
        for (int n = 0; n < frameClasses.length; n++) {
            for (int f = 0; f < t; f++) {
                if (frameClasses[n][f] < 0) {
                    continue;
                }
                for (int c = 0; c < numClasses; c++) {
                    out.putScalar(new long[]{n, c, f}, c == frameClasses[n][f] ? 0.9 : 0.1 / (numClasses - 1));
                }
            }
        }
        return out;
    }

    @Test
    void countsCharacterWordAndSequenceErrors() {
        // References "ab" and "ba a"; best paths decode to "ab" and "b a" (the second "a" of "ba" is missing).
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(List.of("ab", "ba a"), DataType.FLOAT);
        INDArray output = outputFor(new int[][]{
                {1, 1, 0, 2, 0, 0},
                {2, 0, 3, 3, 1, 0},
        }, 4);
        CtcEvaluation eval = new CtcEvaluation(VOCAB);
        eval.eval(labels.labels(), output, labels.mask());

        assertEquals(2, eval.sequences());
        assertEquals(1, eval.exactMatches());
        assertEquals(1, eval.characterEdits());
        assertEquals(6, eval.referenceCharacters());
        assertEquals(1, eval.wordEdits());          // "ba" -> "b"
        assertEquals(3, eval.referenceWords());
        assertEquals(1.0 / 6, eval.characterErrorRate(), 1e-12);
        assertEquals(1.0 / 3, eval.wordErrorRate(), 1e-12);
        assertEquals(0.5, eval.sequenceAccuracy(), 1e-12);
        assertEquals(1.0 / 6, eval.getValue(CtcEvaluation.Metric.CHARACTER_ERROR_RATE), 1e-12);
        assertEquals(1.0 / 3, eval.getValue(CtcEvaluation.Metric.WORD_ERROR_RATE), 1e-12);
        assertEquals(0.5, eval.getValue(CtcEvaluation.Metric.SEQUENCE_ACCURACY), 1e-12);
        assertTrue(CtcEvaluation.Metric.CHARACTER_ERROR_RATE.minimize());
        assertTrue(!CtcEvaluation.Metric.SEQUENCE_ACCURACY.minimize());

        String stats = eval.stats();
        assertTrue(stats.contains("0.1667") && stats.contains("1 edits / 6 reference characters"), stats);
        assertTrue(stats.contains("\"ba a\" -> \"b a\""), stats);
    }

    @Test
    void trailingAllZeroFramesAreTakenAsMaskedFrames() {
        // Sample 0 has 3 valid frames then 3 zeroed ones, as a CTC output layer masks them; decoding them as
        // frames would fail (a valid frame must not be all 0).
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(List.of("a", "bb"), DataType.FLOAT);
        INDArray output = outputFor(new int[][]{
                {0, 1, 0, -1, -1, -1},
                {2, 0, 2, 0, 0, 0},
        }, 4);
        CtcEvaluation eval = new CtcEvaluation(VOCAB);
        eval.eval(labels.labels(), output, labels.mask());
        assertEquals(2, eval.exactMatches());

        // Unzeroed padding is decoded (doEvaluation gives no features mask); an explicit features mask cuts it off.
        INDArray unzeroed = outputFor(new int[][]{{1, 0, 2}}, 4);
        CtcVocabulary.LabelBatch a = VOCAB.toLabels(List.of("a"), DataType.FLOAT);
        CtcEvaluation allFrames = new CtcEvaluation(VOCAB);
        allFrames.eval(a.labels(), unzeroed, a.mask());
        assertEquals(0, allFrames.exactMatches());
        assertEquals(1, allFrames.characterEdits());
        CtcEvaluation masked = new CtcEvaluation(VOCAB);
        masked.evalWithFeaturesMask(a.labels(), unzeroed, a.mask(), Nd4j.createFromArray(new float[][]{{1, 1, 0}}));
        assertEquals(1, masked.exactMatches());
    }

    @Test
    void acceptsNwcOutputAnd3dLabels() {
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(List.of("ab", "b"), DataType.FLOAT);
        INDArray ncw = outputFor(new int[][]{{1, 2, 0}, {2, 2, -1}}, 4);
        CtcEvaluation eval = new CtcEvaluation(VOCAB, RNNFormat.NWC);
        eval.eval(labels.labels().reshape(2, 1, 2), ncw.permute(0, 2, 1).dup(), labels.mask());
        assertEquals(2, eval.exactMatches());
        assertEquals(0.0, eval.characterErrorRate());
    }

    @Test
    void beamSearchIsUsedWhenConfigured() {
        // Classes 0 blank, 1 a: blank wins each frame (0.6) but "a" is the more probable labelling (0.64).
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("a");
        INDArray output = Nd4j.createFromArray(new float[][][]{{{0.6f, 0.6f}, {0.4f, 0.4f}}});
        CtcVocabulary.LabelBatch labels = vocab.toLabels(List.of("a"), DataType.FLOAT);

        CtcEvaluation greedy = new CtcEvaluation(vocab);
        greedy.eval(labels.labels(), output, labels.mask());
        CtcEvaluation beam = new CtcEvaluation(vocab, new Builder().beamWidth(4).build());
        beam.eval(labels.labels(), output, labels.mask());
        assertEquals(0.0, greedy.sequenceAccuracy());
        assertEquals(1.0, beam.sequenceAccuracy());
    }

    @Test
    void mergeEqualsOneEvaluationOverAllDataAndResetEmpties() {
        CtcVocabulary.LabelBatch first = VOCAB.toLabels(List.of("ab", "ba a"), DataType.FLOAT);
        INDArray firstOut = outputFor(new int[][]{{1, 1, 0, 2, 0, 0}, {2, 0, 3, 3, 1, 0}}, 4);
        CtcVocabulary.LabelBatch second = VOCAB.toLabels(List.of("b b", "a"), DataType.FLOAT);
        INDArray secondOut = outputFor(new int[][]{{2, 3, 1}, {1, 0, 1}}, 4);

        CtcEvaluation whole = new CtcEvaluation(VOCAB);
        whole.eval(first.labels(), firstOut, first.mask());
        whole.eval(second.labels(), secondOut, second.mask());
        CtcEvaluation left = new CtcEvaluation(VOCAB);
        left.eval(first.labels(), firstOut, first.mask());
        CtcEvaluation right = left.newInstance();
        assertEquals(0, right.sequences());
        right.eval(second.labels(), secondOut, second.mask());
        left.merge(right);
        assertEquals(whole, left);
        assertEquals(4, left.sequences());
        // "b b" -> "b a" is 1 edit, "a" -> "aa" is 1 edit: 3 in all over 2 + 4 + 3 + 1 characters.
        assertEquals(3.0 / 10, left.characterErrorRate(), 1e-12);

        left.reset();
        assertEquals(0, left.sequences());
        assertTrue(Double.isNaN(left.characterErrorRate()));
        assertTrue(!left.stats().contains("mismatches"), left.stats());
    }

    @Test
    void survivesJsonAndJavaSerialisation() throws Exception {
        CtcBeamSearchDecoder decoder = new Builder().beamWidth(3)
                .languageModel(CharNGramLanguageModel.train(List.of("ab a", "ba"), VOCAB, 2, 0.5), 0.3).build();
        CtcEvaluation eval = new CtcEvaluation(VOCAB, decoder);
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(List.of("ab", "ba a"), DataType.FLOAT);
        INDArray output = outputFor(new int[][]{{1, 1, 0, 2, 0, 0}, {2, 0, 3, 3, 1, 0}}, 4);
        eval.eval(labels.labels(), output, labels.mask());

        String json = eval.toJson();
        CtcEvaluation fromJson = BaseEvaluation.fromJson(json, CtcEvaluation.class);
        assertEquals(eval, fromJson);
        assertEquals(eval.stats(), fromJson.stats());
        fromJson.eval(labels.labels(), output, labels.mask());   // the decoder came back too
        assertEquals(4, fromJson.sequences());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(eval);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            CtcEvaluation copy = (CtcEvaluation) in.readObject();
            assertEquals(eval, copy);
            copy.eval(labels.labels(), output, labels.mask());
            assertNotEquals(eval, copy);
        }
    }

    @Test
    void badInputIsRejected() {
        CtcEvaluation eval = new CtcEvaluation(VOCAB);
        CtcVocabulary.LabelBatch labels = VOCAB.toLabels(List.of("ab"), DataType.FLOAT);
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> eval.eval(labels.labels(), outputFor(new int[][]{{1, 2}}, 5), labels.mask()));
        assertTrue(classes.getMessage().contains("C = 5") && classes.getMessage().contains("vocabulary.size() = 4"),
                classes.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> eval.eval(labels.labels(), outputFor(new int[][]{{1, 2}, {1, 2}}, 4), labels.mask()));
        assertTrue(batch.getMessage().contains("N = 2"), batch.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> eval.eval(labels.labels(), Nd4j.ones(DataType.FLOAT, 1, 4), labels.mask()));
        assertTrue(rank.getMessage().contains("networkPredictions") && rank.getMessage().contains("[1, 4]"),
                rank.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new CtcEvaluation(VOCAB, new CtcGreedyDecoder(3, RNNFormat.NCW)));
        assertTrue(blank.getMessage().contains("blankIndex 3"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> eval.evalTexts(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> eval.getValue(
                org.nd4j.evaluation.regression.RegressionEvaluation.Metric.MSE));
    }
}
