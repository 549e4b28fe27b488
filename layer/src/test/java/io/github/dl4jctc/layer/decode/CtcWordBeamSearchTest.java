package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.ops.CtcLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.serde.json.JsonMappers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtcWordBeamSearchTest {

    private static final double LN_10 = Math.log(10);
    /** 0 blank, 1 space, 2 a, 3 b, 4 c, 5 s, 6 t. */
    private static final CtcVocabulary CAT = CtcVocabulary.ofCharacters(" abcst");
    private static final WordLanguageModel CAT_LM = WordLanguageModel.estimate(
            List.of("the cat", "a cat", "cat", "a bat", "the cat sat"), 2);

    /** Frames for "cab" vs "cat": c, a, then b 0.55 / t 0.45. */
    private static INDArray cabOrCat() {
        return Frames.ncw(new double[][][]{{{0, 0, 0, 0, 1, 0, 0}, {0, 0, 1, 0, 0, 0, 0}, {0, 0, 0, 0.55, 0, 0, 0.45}}});
    }

    @Test
    void theWordModelFixesAnAcousticAmbiguity() {
        CtcBeamSearchDecoder plain = new CtcBeamSearchDecoder.Builder().beamWidth(8).build();
        assertEquals(List.of("cab"), plain.decodeText(cabOrCat(), null, CAT));

        CtcBeamSearchDecoder withWords = new CtcBeamSearchDecoder.Builder().beamWidth(8).vocabulary(CAT)
                .wordLanguageModel(CAT_LM, 0.5, 1.0).build();
        CtcHypothesis best = withWords.decode(cabOrCat(), null).get(0);
        assertEquals("cat", CAT.decode(best.labels()));
        double lm = CAT_LM.log10Probability(List.of("<s>"), "cat") + CAT_LM.log10Probability(List.of("cat"), "</s>");
        assertEquals(Math.log(0.45) + 0.5 * LN_10 * lm + 1.0, best.logScore(), 1e-12);
        // "cab" is unknown: <unk> plus the default penalty of -10 (log10).
        List<CtcHypothesis> two = withWords.decodeNBest(cabOrCat(), null, 2).get(0);
        assertEquals("cab", CAT.decode(two.get(1).labels()));
        double unknown = CAT_LM.log10Probability(List.of("<s>"), "<unk>") - 10
                + CAT_LM.log10Probability(List.of("<unk>"), "</s>");
        assertEquals(Math.log(0.55) + 0.5 * LN_10 * unknown + 1.0, two.get(1).logScore(), 1e-12);
        // Spans of the beam hypothesis: c at frame 0, a at 1, t at 2.
        assertEquals(List.of(0, 1, 2), best.spans().stream().map(TokenSpan::startFrame).toList());
    }

    @Test
    void aLexiconRestrictsSpellings() {
        CtcBeamSearchDecoder lexicon = new CtcBeamSearchDecoder.Builder().beamWidth(8).vocabulary(CAT)
                .lexicon(List.of("cat", "bat")).wordLanguageModel(null, 0, 0.5).build();
        CtcHypothesis best = lexicon.decode(cabOrCat(), null).get(0);
        assertEquals("cat", CAT.decode(best.labels()));
        assertEquals(Math.log(0.45) + 0.5, best.logScore(), 1e-12);   // no model: beta per word only
        List<CtcHypothesis> all = lexicon.decodeNBest(cabOrCat(), null, 8).get(0);
        assertEquals(1, all.size(), "only \"cat\" is a lexicon spelling these frames allow: " + all);
        // No prefix survives when the frames spell nothing the lexicon has.
        CtcBeamSearchDecoder onlyBat = new CtcBeamSearchDecoder.Builder().beamWidth(8).vocabulary(CAT)
                .lexicon(List.of("bat")).build();
        assertTrue(onlyBat.decodeNBest(cabOrCat(), null, 8).get(0).isEmpty());
        CtcHypothesis none = onlyBat.decode(cabOrCat(), null).get(0);
        assertEquals(0, none.length());
        assertEquals(Double.NEGATIVE_INFINITY, none.logScore());
    }

    @Test
    void hotwordsBoostWhileMatchedAndTakeBackUnfinishedMatches() {
        CtcBeamSearchDecoder cat = new CtcBeamSearchDecoder.Builder().beamWidth(8).vocabulary(CAT)
                .hotwords(Map.of("cat", 0.2)).build();
        CtcHypothesis best = cat.decode(cabOrCat(), null).get(0);
        assertEquals("cat", CAT.decode(best.labels()));
        assertEquals(Math.log(0.45) + 3 * 0.2, best.logScore(), 1e-12);
        // "cats" is never completed: its provisional boost is taken back and "cab" wins on acoustics.
        CtcBeamSearchDecoder cats = new CtcBeamSearchDecoder.Builder().beamWidth(8).vocabulary(CAT)
                .hotwords(Map.of("cats", 5.0)).build();
        List<CtcHypothesis> top = cats.decodeNBest(cabOrCat(), null, 2).get(0);
        assertEquals("cab", CAT.decode(top.get(0).labels()));
        assertEquals(Math.log(0.55), top.get(0).logScore(), 1e-12);
        assertEquals(Math.log(0.45), top.get(1).logScore(), 1e-12);
        // Phrases: "a cat" is boosted as a whole, per label; "a" alone is a completed hotword kept inside "a cab".
        HotwordScorer scorer = new HotwordScorer(List.of(CAT.encode("a cat"), CAT.encode("a")),
                new double[]{1.0, 0.5}, 1, 0);
        assertEquals(5.0, boost(scorer, "a cat"), 1e-12);
        assertEquals(0.5, boost(scorer, "a cab"), 1e-12);
        assertEquals(0.5 + 5.0, boost(scorer, "a a cat"), 1e-12);
        assertEquals(0.0, boost(scorer, "ba cat"), 1e-12);     // a match starts at a word start only
        assertEquals(0.5, boost(scorer, "a cats"), 1e-12);   // "a" completed, "a cat" not (an "s" follows)
        assertEquals(0.5 + 5.0, boost(scorer, "a ca a cat"), 1e-12);   // "a ca" fails at its space; "a" kept
    }

    /** Total boost of a text: the scorer's deltas label by label plus the end score. */
    private static double boost(PrefixScorer scorer, String text) {
        int[] labels = CAT.encode(text);
        Object state = scorer.initialState();
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double[] row = new double[CAT.size()];
            int[] prefix = Arrays.copyOf(labels, i);
            scorer.addExtensionScores(state, prefix, row);
            total += row[labels[i]];
            state = scorer.extend(state, prefix, labels[i]);
        }
        return total + scorer.endScore(state, labels);
    }

    @Test
    void nBestEqualsBruteForceWithWordsLexiconHotwordsAndCharacterModel() {
        CtcVocabulary vocab = CtcVocabulary.ofCharacters(" ab");   // 0 blank, 1 space, 2 a, 3 b
        WordLanguageModel lm = WordLanguageModel.estimate(List.of("a b", "ab a", "b", "a a b", "ab"), 2);
        CharNGramLanguageModel chars = CharNGramLanguageModel.train(List.of("ab a", "b ab"), vocab, 2, 0.5);
        Random random = new Random(1234);
        int compared = 0;
        for (int trial = 0; trial < 160; trial++) {
            int variant = trial % 4;
            CtcBeamSearchDecoder.Builder builder = new CtcBeamSearchDecoder.Builder().beamWidth(128).vocabulary(vocab);
            List<String> lexicon = variant == 1 || variant == 3 ? List.of("a", "ab", "ba") : null;
            double alpha = variant == 3 ? 0 : 0.7;
            builder.wordLanguageModel(variant == 3 ? null : lm, alpha, 0.4).lexicon(lexicon);
            boolean hot = variant == 2;
            if (hot) {
                builder.hotwords(Map.of("ab", 0.6)).languageModel(chars, 0.3).insertionBonus(0.2);
            }
            double[][] frames = Frames.randomFrames(random, 1 + random.nextInt(4), 4);
            List<CtcHypothesis> found = builder.build().decodeNBest(Frames.ncw(new double[][][]{frames}), null, 128)
                    .get(0);
            List<Map.Entry<String, Double>> expected = new ArrayList<>();
            for (Map.Entry<List<Integer>, Double> e : BruteForceCtc.labellingProbabilities(frames, 0).entrySet()) {
                int[] labels = e.getKey().stream().mapToInt(Integer::intValue).toArray();
                String text = vocab.decode(labels);
                double score = Math.log(e.getValue()) + wordTerms(text, variant == 3 ? null : lm, alpha, 0.4, lexicon);
                if (hot) {
                    score += 0.6 * 2 * Arrays.stream(text.split(" ", -1)).filter("ab"::equals).count();
                    for (int i = 0; i < labels.length; i++) {
                        score += 0.3 * chars.logProbability(Arrays.copyOf(labels, i), labels[i]) + 0.2;
                    }
                }
                if (score != Double.NEGATIVE_INFINITY) {
                    expected.add(Map.entry(text, score));
                }
            }
            expected.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            String context = "trial " + trial + " variant " + variant;
            assertEquals(expected.size(), found.size(), context);
            for (int i = 0; i < found.size(); i++) {
                assertEquals(expected.get(i).getValue(), found.get(i).logScore(), 1e-9, context + " rank " + i);
                String text = vocab.decode(found.get(i).labels());
                double own = expected.stream().filter(e -> e.getKey().equals(text)).findFirst().orElseThrow()
                        .getValue();
                assertEquals(own, found.get(i).logScore(), 1e-9, context + " \"" + text + "\"");
                compared++;
            }
        }
        assertTrue(compared > 1000, "compared " + compared);
    }

    /** The word terms of a whole text, from the model's public queries: the definition in docs/decoding.md. */
    private static double wordTerms(String text, WordLanguageModel lm, double alpha, double beta,
                                    Collection<String> lexicon) {
        List<String> history = new ArrayList<>(List.of("<s>"));
        double score = 0;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (lexicon != null && !lexicon.contains(word)) {
                return Double.NEGATIVE_INFINITY;
            }
            if (lm != null) {
                score += alpha * LN_10 * (lm.log10Probability(history, word) + (lm.contains(word) ? 0 : -10));
            }
            score += beta;
            history.add(word);
        }
        if (lm != null) {
            score += alpha * LN_10 * lm.log10Probability(history, "</s>");
        }
        return score;
    }

    @Test
    void streamingGivesExactlyTheAllAtOnceResultAfterEveryChunk() {
        Random random = new Random(77);
        CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder().beamWidth(6).vocabulary(CAT)
                .wordLanguageModel(CAT_LM, 0.5, 1.0).hotwords(Map.of("cat", 0.3)).build();
        for (int trial = 0; trial < 5; trial++) {
            float[][] all = logFrames(Frames.randomFrames(random, 40, 7));
            CtcBeamSearchStream stream = decoder.newStream();
            int at = 0;
            int chunks = 0;
            while (at < all.length) {
                int size = Math.min(all.length - at, random.nextInt(8));
                stream.acceptLogProbs(Arrays.copyOfRange(all, at, at + size));
                at += size;
                chunks++;
                List<CtcHypothesis> sofar = decoder.decodeLogProbs(Arrays.copyOfRange(all, 0, at), 6);
                assertEquals(sofar, stream.nBest(6), "trial " + trial + " after " + at + " frames");
            }
            assertEquals(decoder.decodeLogProbs(all, 3), stream.nBest(3));
            assertEquals(40, stream.frames());
            assertTrue(chunks > 5);
        }
        // Probability chunks (the layer's layout) go through the same search.
        CtcBeamSearchStream stream = decoder.newStream();
        stream.accept(Frames.ncw(new double[][][]{{{0, 0, 0, 0, 1, 0, 0}, {0, 0, 1, 0, 0, 0, 0}}}));
        stream.accept(Frames.ncw(new double[][][]{{{0, 0, 0, 0.55, 0, 0, 0.45}}}));
        assertEquals(decoder.decodeNBest(cabOrCat(), null, 6).get(0), stream.nBest(6));
    }

    @Test
    void logProbabilityInputsAgreeAcrossLayoutsAndWithProbabilities() {
        Random random = new Random(5);
        CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder().beamWidth(8).vocabulary(CAT)
                .wordLanguageModel(CAT_LM, 0.5, 1.0).build();
        int[] frameCounts = {7, 4, 0, 6, 7, 1};
        float[][][] batch = new float[frameCounts.length][][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = logFrames(Frames.randomFrames(random, 7, 7));
        }
        INDArray ntc = Nd4j.createFromArray(batch);
        INDArray tnc = ntc.permute(1, 0, 2).dup('c');
        INDArray lengths = Nd4j.createFromArray(frameCounts);
        List<List<CtcHypothesis>> fromNtc = decoder.decodeLogProbs(ntc, lengths, CtcLayout.NTC, 4);
        assertEquals(fromNtc, decoder.decodeLogProbs(tnc, lengths, CtcLayout.TNC, 4));
        for (int i = 0; i < batch.length; i++) {   // samples run in parallel: each as if alone
            assertEquals(fromNtc.get(i), decoder.decodeLogProbs(Arrays.copyOf(batch[i], frameCounts[i]), 4));
        }
        double[][][] probabilities = new double[1][7][7];
        for (int t = 0; t < 7; t++) {
            for (int c = 0; c < 7; c++) {
                probabilities[0][t][c] = Math.exp(batch[0][t][c]);
            }
        }
        List<CtcHypothesis> fromProbabilities = decoder.decodeNBest(Frames.ncw(probabilities), null, 4).get(0);
        for (int i = 0; i < 4; i++) {
            assertEquals(Arrays.toString(fromNtc.get(0).get(i).labels()),
                    Arrays.toString(fromProbabilities.get(i).labels()));
            assertEquals(fromNtc.get(0).get(i).logScore(), fromProbabilities.get(i).logScore(), 1e-9);
        }
    }

    @Test
    void survivesJacksonAndJavaSerialisationWithWordsLexiconAndHotwords() throws Exception {
        CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder().beamWidth(5).vocabulary(CAT)
                .wordLanguageModel(CAT_LM, 0.6, 0.8).lexicon(List.of("cat", "a", "bat", "sat"))
                .hotwords(Map.of("bat", 0.4)).unknownWordPenalty(-4).build();
        String json = JsonMappers.getMapper().writeValueAsString(decoder);
        CtcBeamSearchDecoder copy = (CtcBeamSearchDecoder) JsonMappers.getMapper().readValue(json, CtcDecoder.class);
        INDArray frames = Frames.ncw(new double[][][]{Frames.randomFrames(new Random(3), 9, 7)});
        List<List<CtcHypothesis>> expected = decoder.decodeNBest(frames, null, 5);
        assertFalse(expected.get(0).isEmpty());
        assertEquals(expected, copy.decodeNBest(frames, null, 5));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(decoder);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(expected, ((CtcBeamSearchDecoder) in.readObject()).decodeNBest(frames, null, 5));
        }
    }

    @Test
    void badArgumentsAreRejectedNamingArgumentAndValue() {
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().vocabulary(CAT).hotwords(Map.of("cax", 1.0)).build(),
                "hotwords", "\"cax\"", "'x'");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().vocabulary(CAT).hotwords(Map.of("cat", Double.NaN)),
                "hotwords", "NaN", "finite");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().vocabulary(CAT).hotwords(Map.of(" cat", 1.0)).build(),
                "hotwords", "\" cat\"", "single delimiters");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().vocabulary(CAT).lexicon(List.of("a cat")).build(),
                "lexicon", "\"a cat\"", "without the delimiter");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().lexicon(List.of()), "lexicon", "empty");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().wordLanguageModel(CAT_LM, 0.5, 1).build(),
                "vocabulary", "got none");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().vocabulary(CtcVocabulary.ofCharacters("abcst"))
                .wordLanguageModel(CAT_LM, 0.5, 1).build(), "wordDelimiter", "\" \"");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().wordLanguageModel(CAT_LM, Double.NaN, 1),
                "alpha", "NaN");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().unknownWordPenalty(1), "unknownWordPenalty", "1.0");
        assertMessage(() -> new CtcBeamSearchDecoder.Builder().vocabulary(
                CtcVocabulary.ofTokens(List.of("cat", "a"), 0)).hotwords(Map.of("cat", 1.0)).build(),
                "vocabulary", "token vocabulary");
        CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder().beamWidth(4).build();
        assertMessage(() -> decoder.decodeLogProbs(new float[][]{{0f, -1f}, {Float.NaN, 0f}}, 1), "logProbs", "NaN");
        assertMessage(() -> decoder.decodeLogProbs(Nd4j.zeros(2, 3, 4), Nd4j.createFromArray(2, 5), CtcLayout.NTC, 1),
                "inputLengths", "5.0", "[0, T = 3]");
        CtcBeamSearchStream stream = decoder.newStream();
        stream.acceptLogProbs(new float[][]{{0f, -1f}});
        assertMessage(() -> stream.acceptLogProbs(new float[][]{{0f, -1f, -2f}}), "C = 3", "C = 2");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + part + "\" not in: " + e.getMessage());
        }
    }

    private static float[][] logFrames(double[][] probabilities) {
        float[][] logs = new float[probabilities.length][];
        for (int t = 0; t < logs.length; t++) {
            logs[t] = new float[probabilities[t].length];
            for (int c = 0; c < logs[t].length; c++) {
                logs[t][c] = (float) Math.log(probabilities[t][c]);
            }
        }
        return logs;
    }
}
