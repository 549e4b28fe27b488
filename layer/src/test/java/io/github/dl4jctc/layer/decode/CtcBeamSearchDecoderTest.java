package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.serde.json.JsonMappers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcBeamSearchDecoderTest {

    private static CtcBeamSearchDecoder beam(int width) {
        return new CtcBeamSearchDecoder.Builder().beamWidth(width).build();
    }

    @Test
    void findsTheMostProbableLabellingWhereTheBestPathDisagrees() {
        // Classes: 0 = blank, 1 = a. Blank wins each frame (0.6), so the best path is blank-blank = "" (0.36),
        // but "a" collects a-a, a-blank and blank-a: 0.16 + 0.24 + 0.24 = 0.64.
        INDArray probabilities = Frames.ncw(new double[][][]{{{0.6, 0.4}, {0.6, 0.4}}});

        CtcHypothesis greedy = new CtcGreedyDecoder().decode(probabilities, null).get(0);
        assertArrayEquals(new int[0], greedy.labels());
        assertEquals(Math.log(0.36), greedy.logScore(), 1e-12);

        CtcHypothesis best = beam(4).decode(probabilities, null).get(0);
        assertArrayEquals(new int[]{1}, best.labels());
        assertEquals(Math.log(0.64), best.logScore(), 1e-12);
        // A beam of one prefix is an approximation: after frame 1 it keeps "" (0.6) over "a" (0.4) and never
        // sees "a" again.
        assertArrayEquals(new int[0], beam(1).decode(probabilities, null).get(0).labels());
    }

    @Test
    void nBestIsSortedByScoreAndHoldsOnlyPossibleLabellings() {
        INDArray twoFrames = Frames.ncw(new double[][][]{{{0.6, 0.4}, {0.6, 0.4}}});
        List<CtcHypothesis> top = beam(8).decodeNBest(twoFrames, null, 5).get(0);
        // "aa" would need a blank between the a's: impossible in 2 frames, so only 2 labellings exist.
        assertEquals(2, top.size());
        assertArrayEquals(new int[]{1}, top.get(0).labels());
        assertEquals(Math.log(0.64), top.get(0).logScore(), 1e-12);
        assertArrayEquals(new int[0], top.get(1).labels());
        assertEquals(Math.log(0.36), top.get(1).logScore(), 1e-12);

        // Classes: 0 = blank, 1 = a, 2 = b; one frame: the labellings are the classes themselves.
        INDArray oneFrame = Frames.ncw(new double[][][]{{{0.2, 0.3, 0.5}}});
        List<CtcHypothesis> three = beam(3).decodeNBest(oneFrame, null, 3).get(0);
        assertEquals(List.of(List.of(2), List.of(1), List.<Integer>of()), labelsOf(three));
        assertEquals(Math.log(0.5), three.get(0).logScore(), 1e-12);
        assertEquals(Math.log(0.3), three.get(1).logScore(), 1e-12);
        assertEquals(Math.log(0.2), three.get(2).logScore(), 1e-12);
    }

    @Test
    void aRepeatedLabelNeedsABlankBetween() {
        double[] blank = {0.9, 0.1};
        double[] a = {0.1, 0.9};
        assertArrayEquals(new int[]{1, 1}, beam(4).decode(Frames.ncw(new double[][][]{{a, blank, a}}), null)
                .get(0).labels());
        assertArrayEquals(new int[]{1}, beam(4).decode(Frames.ncw(new double[][][]{{a, a, a}}), null)
                .get(0).labels());

        // All classes 0.5 over 3 frames: each path has probability 1/8. "aa" has one path (a, blank, a); "a" has
        // six (a__, _a_, __a, aa_, _aa, aaa); "" has one; "aaa" would need 5 frames.
        double[] even = {0.5, 0.5};
        List<CtcHypothesis> all = beam(8).decodeNBest(Frames.ncw(new double[][][]{{even, even, even}}), null, 8).get(0);
        assertEquals(3, all.size());
        assertEquals(List.of(1), labelsOf(all).get(0));
        assertEquals(Math.log(0.75), all.get(0).logScore(), 1e-12);
        assertEquals(Math.log(0.125), all.get(1).logScore(), 1e-12);
        assertEquals(Math.log(0.125), all.get(2).logScore(), 1e-12);
        assertTrue(labelsOf(all).contains(List.of(1, 1)) && labelsOf(all).contains(List.of()));
    }

    @Test
    void matchesBruteForceEnumerationOnTinyRandomCases() {
        Random random = new Random(20240611);
        for (int trial = 0; trial < 300; trial++) {
            int t = 1 + random.nextInt(4);
            int c = 2 + random.nextInt(2);
            int blank = random.nextInt(c);
            double[][] frames = Frames.randomFrames(random, t, c);
            Map<List<Integer>, Double> exact = BruteForceCtc.labellingProbabilities(frames, blank);
            List<Map.Entry<List<Integer>, Double>> expected = exact.entrySet().stream()
                    .sorted(Map.Entry.<List<Integer>, Double>comparingByValue().reversed())
                    .collect(Collectors.toList());

            // A beam wider than the number of labellings (at most 1 + 2 + 4 + 8 + 16 for C <= 3, T <= 4) is exact.
            CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder().blankIndex(blank).beamWidth(40).build();
            List<CtcHypothesis> found = decoder.decodeNBest(Frames.ncw(new double[][][]{frames}), null, 40).get(0);

            String context = "trial " + trial + " (T=" + t + ", C=" + c + ", blank=" + blank + ")";
            assertEquals(expected.size(), found.size(), context);
            for (int i = 0; i < found.size(); i++) {
                List<Integer> labels = labelsOf(found).get(i);
                assertTrue(exact.containsKey(labels), context + ": unexpected labelling " + labels);
                assertEquals(Math.log(exact.get(labels)), found.get(i).logScore(), 1e-9, context + " " + labels);
                assertEquals(Math.log(expected.get(i).getValue()), found.get(i).logScore(), 1e-9,
                        context + ": rank " + i);
            }
        }
    }

    @Test
    void narrowBeamsReturnLowerBoundsInOrder() {
        // A pruned search drops some paths, so each returned score is at most the labelling's exact log
        // probability; the returned list is still sorted.
        Random random = new Random(7);
        int strictlyBelow = 0;
        for (int trial = 0; trial < 100; trial++) {
            double[][] frames = Frames.randomFrames(random, 4, 3);
            Map<List<Integer>, Double> exact = BruteForceCtc.labellingProbabilities(frames, 0);
            List<CtcHypothesis> found = beam(2).decodeNBest(Frames.ncw(new double[][][]{frames}), null, 2).get(0);
            for (int i = 0; i < found.size(); i++) {
                double exactLog = Math.log(exact.get(labelsOf(found).get(i)));
                assertTrue(found.get(i).logScore() <= exactLog + 1e-9, "trial " + trial);
                strictlyBelow += found.get(i).logScore() < exactLog - 1e-9 ? 1 : 0;
                if (i > 0) {
                    assertTrue(found.get(i).logScore() <= found.get(i - 1).logScore(), "trial " + trial);
                }
            }
        }
        assertTrue(strictlyBelow > 0, "width 2 should have pruned some paths in 100 random 4x3 cases");
    }

    @Test
    void prunedSearchMatchesTheTextbookAlgorithm() {
        Random random = new Random(99);
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("abcd");
        CharNGramLanguageModel lm = CharNGramLanguageModel.train(List.of("abba", "cab", "dad", "bad"), vocab, 2, 0.5);
        for (int trial = 0; trial < 200; trial++) {
            int t = 1 + random.nextInt(8);
            int width = 1 + random.nextInt(5);
            boolean withLm = trial % 2 == 1;
            double[][] frames = Frames.randomFrames(random, t, 5);
            CtcBeamSearchDecoder.Builder builder = new CtcBeamSearchDecoder.Builder().beamWidth(width);
            if (withLm) {
                builder.languageModel(lm, 0.8).insertionBonus(0.4);
            }
            List<CtcHypothesis> found = builder.build()
                    .decodeNBest(Frames.ncw(new double[][][]{frames}), null, width).get(0);
            List<Map.Entry<List<Integer>, Double>> expected =
                    TextbookPrefixBeamSearch.search(frames, 0, width, withLm ? lm : null, 0.8, withLm ? 0.4 : 0);

            String context = "trial " + trial + " (T=" + t + ", width=" + width + ", lm=" + withLm + ")";
            assertEquals(expected.size(), found.size(), context);
            for (int i = 0; i < found.size(); i++) {
                assertEquals(expected.get(i).getKey(), labelsOf(found).get(i), context + ": rank " + i);
                assertEquals(expected.get(i).getValue(), found.get(i).logScore(), 1e-9, context + ": rank " + i);
            }
        }
    }

    @Test
    void decodesABatchWithMasksAndBothLayouts() {
        Random random = new Random(3);
        double[][][] batch = {Frames.randomFrames(random, 4, 3), Frames.randomFrames(random, 4, 3)};
        INDArray mask = Frames.mask(4, 2, 4);
        CtcBeamSearchDecoder ncw = beam(30);
        CtcBeamSearchDecoder nwc = new CtcBeamSearchDecoder.Builder().beamWidth(30).format(RNNFormat.NWC).build();
        List<List<CtcHypothesis>> fromNcw = ncw.decodeNBest(Frames.ncw(batch), mask, 30);
        List<List<CtcHypothesis>> fromNwc = nwc.decodeNBest(Frames.nwc(batch), mask, 30);
        assertEquals(fromNcw, fromNwc);

        double[][] firstTwoFrames = {batch[0][0], batch[0][1]};
        Map<List<Integer>, Double> exact = BruteForceCtc.labellingProbabilities(firstTwoFrames, 0);
        assertEquals(exact.size(), fromNcw.get(0).size());
        for (CtcHypothesis h : fromNcw.get(0)) {
            assertEquals(Math.log(exact.get(labelsOf(List.of(h)).get(0))), h.logScore(), 1e-9);
        }
        List<Integer> bestOfSecond = BruteForceCtc.labellingProbabilities(batch[1], 0).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(bestOfSecond, labelsOf(fromNcw.get(1)).get(0));
    }

    @Test
    void aLanguageModelCanChangeTheDecision() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("abc");   // 0 blank, 1 a, 2 b, 3 c
        // "a" then a near tie of b (0.45) and c (0.55): acoustically "ac" (0.495) beats "ab" (0.405).
        INDArray probabilities = Frames.ncw(new double[][][]{{{0.1, 0.9, 0, 0}, {0, 0, 0.45, 0.55}}});
        assertEquals(List.of("ac"), beam(8).decodeText(probabilities, null, vocab));

        CharNGramLanguageModel lm = CharNGramLanguageModel.train(List.of("ab", "ab", "ab", "ca"), vocab, 2, 0.1);
        CtcBeamSearchDecoder withLm = new CtcBeamSearchDecoder.Builder().beamWidth(8)
                .languageModel(lm, 1.0).insertionBonus(0.25).build();
        CtcHypothesis best = withLm.decode(probabilities, null).get(0);
        assertEquals("ab", vocab.decode(best.labels()));
        // Start context saw a 3x, c 1x; after "a", b 3x of 3. V = 3 non-blank classes, k = 0.1.
        double lmScore = Math.log(3.1 / 4.3) + Math.log(3.1 / 3.3);
        assertEquals(Math.log(0.405) + lmScore + 2 * 0.25, best.logScore(), 1e-12);
    }

    @Test
    void survivesJacksonWithItsLanguageModel() throws Exception {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters("abc");
        CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder().beamWidth(5).format(RNNFormat.NWC)
                .languageModel(CharNGramLanguageModel.train(List.of("abc", "cab"), vocab, 3, 0.5), 0.7)
                .insertionBonus(0.3).build();
        String json = JsonMappers.getMapper().writeValueAsString(decoder);
        CtcDecoder copy = JsonMappers.getMapper().readValue(json, CtcDecoder.class);
        assertTrue(copy instanceof CtcBeamSearchDecoder, json);
        Random random = new Random(11);
        INDArray probabilities = Frames.nwc(new double[][][]{Frames.randomFrames(random, 5, 4)});
        assertEquals(decoder.decodeNBest(probabilities, null, 5),
                ((CtcBeamSearchDecoder) copy).decodeNBest(probabilities, null, 5));
    }

    @Test
    void badArgumentsAreRejected() {
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> new CtcBeamSearchDecoder.Builder().beamWidth(0));
        assertTrue(width.getMessage().contains("beamWidth") && width.getMessage().contains("0"), width.getMessage());
        INDArray probabilities = Frames.ncw(new double[][][]{{{0.5, 0.5}}});
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> beam(3).decodeNBest(probabilities, null, 4));
        assertTrue(n.getMessage().contains("4") && n.getMessage().contains("beamWidth = 3"), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> beam(3).decodeNBest(probabilities, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CtcBeamSearchDecoder.Builder().blankIndex(-1));
        assertThrows(IllegalArgumentException.class,
                () -> new CtcBeamSearchDecoder.Builder().insertionBonus(Double.NaN));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new CtcBeamSearchDecoder.Builder().blankIndex(2).build().decode(probabilities, null));
        assertTrue(blank.getMessage().contains("C = 2"), blank.getMessage());
        assertFalse(beam(1).decode(probabilities, null).isEmpty());
    }

    private static List<List<Integer>> labelsOf(List<CtcHypothesis> hypotheses) {
        List<List<Integer>> labels = new ArrayList<>();
        for (CtcHypothesis h : hypotheses) {
            labels.add(IntStream.of(h.labels()).boxed().collect(Collectors.toList()));
        }
        return labels;
    }
}
