package io.github.dl4jctc.layer.decode;

import io.github.dl4jctc.layer.CtcVocabulary;
import io.github.dl4jctc.ops.CtcArguments;
import io.github.dl4jctc.ops.CtcLayout;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * CTC prefix beam search: finds the labellings with the highest probability summed over all their paths (not just
 * the best path, as {@link CtcGreedyDecoder} does), keeping {@code beamWidth} prefixes per frame.
 *
 * <p>Scores are natural logs: {@code ln p_ctc(labels | x)} plus, as configured, {@code weight * ln p_lm(labels) +
 * insertionBonus * |labels|} for a label-level model ({@link CtcLanguageModel}), the word terms of a
 * {@link WordLanguageModel} and/or lexicon ({@code alpha * ln P(words) + beta * |words|}, with partial words scored
 * as pyctcdecode does) and hotword boosts; the project's docs/decoding.md defines each term. All terms are added
 * label by label while prefixes grow, so they steer the pruning; the word model's last word and end of sentence are
 * added when the hypotheses are taken. With a beam at least as wide as the number of possible labellings the
 * result is exact; narrower beams are an approximation.
 *
 * <p>Input: probabilities as a DL4J output layer gives them ({@link #decodeNBest}), natural-log probabilities laid out
 * as for the CTC op ({@link #decodeLogProbs(INDArray, INDArray, CtcLayout, int)}) or as plain {@code float[][]}
 * per sample ({@link #decodeLogProbs(float[][], int)}), or frames chunk by chunk ({@link #newStream()}).
 *
 * <p>See {@link CtcDecoder} for the input shapes and mask convention. Example:
 * <pre>{@code
 * CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder()
 *         .blankIndex(vocab.blankIndex()).beamWidth(16)
 *         .languageModel(CharNGramLanguageModel.train(corpus, vocab, 3, 0.1), 0.5).insertionBonus(1.0)
 *         .build();
 * List<List<CtcHypothesis>> top3 = decoder.decodeNBest(probabilities, featuresMask, 3);
 *
 * CtcBeamSearchDecoder words = new CtcBeamSearchDecoder.Builder().beamWidth(64).vocabulary(vocab)
 *         .wordLanguageModel(WordLanguageModel.readArpa(Path.of("words.arpa")), 0.5, 1.0)
 *         .hotwords(Map.of("kensho", 2.0)).build();
 * CtcHypothesis best = words.decodeLogProbs(logProbs, 1).get(0);   // float[T][C] from ONNX Runtime
 * }</pre>
 */
public final class CtcBeamSearchDecoder implements CtcDecoder {

    private static final long serialVersionUID = 1L;

    private int blankIndex;
    private int beamWidth;
    private RNNFormat format;
    private CtcLanguageModel languageModel;
    private double languageModelWeight;
    private double insertionBonus;
    private CtcVocabulary vocabulary;
    private WordLanguageModel wordLanguageModel;
    private double wordWeight;
    private double wordBonus;
    private double unknownWordPenalty = DEFAULT_UNKNOWN_WORD_PENALTY;
    private boolean sentenceBoundaries = true;
    private String wordDelimiter = " ";
    private List<String> lexicon;
    private LinkedHashMap<String, Double> hotwords;
    private transient volatile PrefixScorer[] scorers;

    /** log10 penalty of a word outside the word model's vocabulary (pyctcdecode's {@code unk_score_offset}). */
    public static final double DEFAULT_UNKNOWN_WORD_PENALTY = -10;

    private CtcBeamSearchDecoder() {
        // for Jackson
    }

    private CtcBeamSearchDecoder(Builder builder) {
        this.blankIndex = builder.blankIndex;
        this.beamWidth = builder.beamWidth;
        this.format = builder.format;
        this.languageModel = builder.languageModel;
        this.languageModelWeight = builder.languageModelWeight;
        this.insertionBonus = builder.insertionBonus;
        this.vocabulary = builder.vocabulary;
        this.wordLanguageModel = builder.wordLanguageModel;
        this.wordWeight = builder.wordWeight;
        this.wordBonus = builder.wordBonus;
        this.unknownWordPenalty = builder.unknownWordPenalty;
        this.sentenceBoundaries = builder.sentenceBoundaries;
        this.wordDelimiter = builder.wordDelimiter;
        this.lexicon = builder.lexicon;
        this.hotwords = builder.hotwords;
        this.scorers = buildScorers();
    }

    /** The scorers this configuration asks for, checked against the vocabulary. */
    private PrefixScorer[] buildScorers() {
        return new BeamScorers(blankIndex, vocabulary, wordDelimiter).build(languageModel, languageModelWeight,
                insertionBonus, wordLanguageModel, wordWeight, wordBonus, unknownWordPenalty, sentenceBoundaries,
                lexicon, hotwords);
    }

    private PrefixScorer[] scorers() {
        PrefixScorer[] s = scorers;
        if (s == null) {
            s = buildScorers();   // after Java or Jackson deserialisation
            scorers = s;
        }
        return s;
    }

    private PrefixBeamSearch newSearch() {
        return new PrefixBeamSearch(blankIndex, beamWidth, scorers());
    }

    /**
     * @return the best hypothesis per sample (the first of {@link #decodeNBest} with n = 1); when a lexicon rules
     *         out every hypothesis of a sample, an empty labelling with score -inf and no spans
     */
    @Override
    public List<CtcHypothesis> decode(INDArray probabilities, INDArray featuresMask) {
        List<CtcHypothesis> best = new ArrayList<>();
        for (List<CtcHypothesis> hypotheses : decodeNBest(probabilities, featuresMask, 1)) {
            best.add(hypotheses.isEmpty() ? new CtcHypothesis(new int[0], Double.NEGATIVE_INFINITY)
                    : hypotheses.get(0));
        }
        return best;
    }

    /**
     * @param probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC) per-frame class probabilities
     * @param featuresMask  {@code [N, T]} prefix mask, or null for all T frames
     * @param n             hypotheses per sample, in {@code [1, beamWidth]}
     * @return per sample, up to n hypotheses sorted by score, best first (fewer when fewer labellings are possible,
     *         e.g. 1 frame and 2 classes allow only 2; none only when a lexicon rules out every prefix in the
     *         beam), each with the token spans and confidences of its
     *         most probable path ({@link TokenSpans})
     * @throws IllegalArgumentException on bad shapes, masks or values (see {@link CtcDecoder}) or n out of range
     */
    public List<List<CtcHypothesis>> decodeNBest(INDArray probabilities, INDArray featuresMask, int n) {
        checkN(n);
        ProbabilityFrames frames = ProbabilityFrames.of(probabilities, featuresMask, format, blankIndex);
        double[][] samples = new double[frames.numSamples()][];
        int[] lengths = new int[samples.length];
        for (int sample = 0; sample < samples.length; sample++) {
            samples[sample] = frames.logProbabilities(sample);
            lengths[sample] = frames.frames(sample);
        }
        return searchAll(samples, lengths, frames.numClasses(), n);
    }

    /**
     * Decodes natural-log probabilities laid out as the CTC op takes them (log-softmax output).
     *
     * @param logProbs     {@code [T, N, C]} (TNC) or {@code [N, T, C]} (NTC), floating point
     * @param inputLengths {@code [N]} valid frames per sample in {@code [0, T]}, or null for all T
     * @param layout       TNC or NTC
     * @param n            hypotheses per sample, in {@code [1, beamWidth]}
     * @return per sample, up to n hypotheses best first, with spans (as {@link #decodeNBest})
     * @throws IllegalArgumentException on bad shapes, lengths, NaN or +inf, or n out of range
     */
    public List<List<CtcHypothesis>> decodeLogProbs(INDArray logProbs, INDArray inputLengths, CtcLayout layout,
                                                    int n) {
        checkN(n);
        LogProbBatch batch = LogProbBatch.of(logProbs, inputLengths, layout, blankIndex);
        double[][] samples = new double[batch.numSamples()][];
        int[] lengths = new int[samples.length];
        for (int sample = 0; sample < samples.length; sample++) {
            samples[sample] = batch.sample(sample);
            lengths[sample] = batch.frames(sample);
        }
        return searchAll(samples, lengths, batch.numClasses(), n);
    }

    /** Searches the samples in parallel (the CTC kernels' threads); each sample's result is independent of that. */
    private List<List<CtcHypothesis>> searchAll(double[][] samples, int[] lengths, int classes, int n) {
        @SuppressWarnings("unchecked")
        List<CtcHypothesis>[] result = new List[samples.length];
        long[] cost = new long[samples.length];
        for (int i = 0; i < cost.length; i++) {
            cost[i] = samples.length == 1 ? 0 : (long) lengths[i] * beamWidth * classes;
        }
        CtcArguments.forEachSample(cost, i -> result[i] = searchOne(newSearch(), samples[i], lengths[i], classes, n));
        return new ArrayList<>(Arrays.asList(result));
    }

    /**
     * Decodes one sample given as plain arrays, for log-probabilities from outside DL4J (ONNX Runtime, TensorFlow
     * Java): the same result as {@link #decodeNBest} on {@code exp(logProbs)}.
     *
     * @param logProbs {@code [T][C]} natural-log probabilities; T may be 0
     * @param n        hypotheses, in {@code [1, beamWidth]}
     * @return up to n hypotheses best first, with spans
     * @throws IllegalArgumentException on ragged rows, {@code C <= blankIndex}, NaN or +inf, n out of range
     */
    public List<CtcHypothesis> decodeLogProbs(float[][] logProbs, int n) {
        checkN(n);
        double[] values = LogProbRows.of(logProbs, "logProbs", blankIndex);
        int classes = logProbs.length == 0 ? blankIndex + 1 : logProbs[0].length;
        return searchOne(newSearch(), values, logProbs.length, classes, n);
    }

    /**
     * @return a decoder for one sample whose frames come in chunks; after any chunk its hypotheses are exactly this
     *         decoder's for all frames so far
     */
    public CtcBeamSearchStream newStream() {
        return new CtcBeamSearchStream(newSearch(), blankIndex, format, beamWidth);
    }

    private static List<CtcHypothesis> searchOne(PrefixBeamSearch search, double[] logProbs, int frames,
                                                 int classes, int n) {
        return CtcBeamSearchStream.withSpans(search.search(logProbs, frames, classes, n), logProbs, frames, classes,
                search);
    }

    private void checkN(int n) {
        if (n < 1 || n > beamWidth) {
            throw new IllegalArgumentException("n: got " + n + ", expected a number in [1, beamWidth = " + beamWidth
                    + "]");
        }
    }

    @Override
    public int blankIndex() {
        return blankIndex;
    }

    @Override
    public RNNFormat format() {
        return format;
    }

    /** @return the number of prefixes kept per frame */
    public int beamWidth() {
        return beamWidth;
    }

    /** @return the language model, or null if none */
    public CtcLanguageModel languageModel() {
        return languageModel;
    }

    /** @return the weight (alpha) of the language-model log probability */
    public double languageModelWeight() {
        return languageModelWeight;
    }

    /** @return the bonus (beta) added per appended label */
    public double insertionBonus() {
        return insertionBonus;
    }

    /** @return the word language model, or null if none */
    public WordLanguageModel wordLanguageModel() {
        return wordLanguageModel;
    }

    /** @return alpha, the weight of the word model's log probability */
    public double wordWeight() {
        return wordWeight;
    }

    /** @return beta, the bonus per completed word */
    public double wordBonus() {
        return wordBonus;
    }

    /** @return the lexicon, or null if every spelling is allowed */
    public List<String> lexicon() {
        return lexicon;
    }

    /** @return hotword phrase -> weight per label, or null if none */
    public Map<String, Double> hotwords() {
        return hotwords == null ? null : Collections.unmodifiableMap(hotwords);
    }

    @Override
    public String toString() {
        return "CtcBeamSearchDecoder(blankIndex=" + blankIndex + ", beamWidth=" + beamWidth + ", format=" + format
                + (languageModel == null ? "" : ", languageModel=" + languageModel + ", weight=" + languageModelWeight)
                + ", insertionBonus=" + insertionBonus
                + (wordLanguageModel == null ? "" : ", wordLanguageModel=" + wordLanguageModel + ", alpha=" + wordWeight
                + ", beta=" + wordBonus)
                + (lexicon == null ? "" : ", lexicon=" + lexicon.size() + " words")
                + (hotwords == null ? "" : ", hotwords=" + hotwords) + ")";
    }

    /** Configures a {@link CtcBeamSearchDecoder}; every setter checks its argument at once. */
    public static final class Builder {
        private int blankIndex = 0;
        private int beamWidth = 16;
        private RNNFormat format = RNNFormat.NCW;
        private CtcLanguageModel languageModel;
        private double languageModelWeight;
        private double insertionBonus;
        private CtcVocabulary vocabulary;
        private WordLanguageModel wordLanguageModel;
        private double wordWeight;
        private double wordBonus;
        private double unknownWordPenalty = DEFAULT_UNKNOWN_WORD_PENALTY;
        private boolean sentenceBoundaries = true;
        private String wordDelimiter = " ";
        private List<String> lexicon;
        private LinkedHashMap<String, Double> hotwords;

        /** The class index of the CTC blank, {@code >= 0} (and {@code < C} of the input). Default 0. */
        public Builder blankIndex(int blankIndex) {
            if (blankIndex < 0) {
                throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected >= 0");
            }
            this.blankIndex = blankIndex;
            return this;
        }

        /**
         * Prefixes kept after each frame, {@code >= 1}. Default 16. Wider is slower (about beamWidth x C work
         * per frame) and closer to exact.
         */
        public Builder beamWidth(int beamWidth) {
            if (beamWidth < 1) {
                throw new IllegalArgumentException("beamWidth: got " + beamWidth + ", expected >= 1");
            }
            this.beamWidth = beamWidth;
            return this;
        }

        /** NCW: probabilities {@code [N, C, T]} (DL4J's default); NWC: {@code [N, T, C]}. Default NCW. */
        public Builder format(RNNFormat format) {
            if (format == null) {
                throw new IllegalArgumentException("format: got null, expected NCW or NWC");
            }
            this.format = format;
            return this;
        }

        /**
         * A language model whose log probability of each appended label, times {@code weight} (alpha), is added to
         * the hypothesis score. Default: none.
         *
         * @param languageModel the model, or null for none
         * @param weight        alpha, a finite number (typically 0.1 .. 2)
         */
        public Builder languageModel(CtcLanguageModel languageModel, double weight) {
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight: got " + weight + ", expected finite");
            }
            this.languageModel = languageModel;
            this.languageModelWeight = languageModel == null ? 0 : weight;
            return this;
        }

        /**
         * Added to the log score per appended label (beta); counters the language model's bias towards short
         * outputs. Default 0.
         */
        public Builder insertionBonus(double insertionBonus) {
            if (!Double.isFinite(insertionBonus)) {
                throw new IllegalArgumentException("insertionBonus: got " + insertionBonus + ", expected finite");
            }
            this.insertionBonus = insertionBonus;
            return this;
        }

        /**
         * The vocabulary of the output (a character vocabulary); required with a word language model, a lexicon or
         * hotwords, which it spells. Its blank index must be the decoder's.
         */
        public Builder vocabulary(CtcVocabulary vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /**
         * A word n-gram model: each completed word adds {@code alpha * ln P(word | previous words) + beta} (natural
         * log; the model's log10 values times ln 10). Needs {@link #vocabulary}. Default: none.
         *
         * @param model the model, or null for none
         * @param alpha weight of the word log probability, finite (pyctcdecode's default 0.5)
         * @param beta  bonus per completed word, finite (pyctcdecode's default 1.5)
         */
        public Builder wordLanguageModel(WordLanguageModel model, double alpha, double beta) {
            if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
                throw new IllegalArgumentException("alpha, beta: got " + alpha + ", " + beta + ", expected finite"
                        + " numbers");
            }
            this.wordLanguageModel = model;
            this.wordWeight = alpha;
            this.wordBonus = beta;
            return this;
        }

        /**
         * The character that separates words, a character of the vocabulary. Default {@code " "}.
         */
        public Builder wordDelimiter(String delimiter) {
            if (delimiter == null || delimiter.codePointCount(0, delimiter.length()) != 1) {
                throw new IllegalArgumentException("wordDelimiter: got " + (delimiter == null ? "null"
                        : "\"" + delimiter + "\"") + ", expected one character");
            }
            this.wordDelimiter = delimiter;
            return this;
        }

        /**
         * log10 penalty added to the word model's {@code <unk>} score for a word outside its vocabulary, and the
         * (alpha-weighted) score of a partial word that no known word begins with. Finite, {@code <= 0}.
         * Default {@value #DEFAULT_UNKNOWN_WORD_PENALTY}.
         */
        public Builder unknownWordPenalty(double penalty) {
            if (!(penalty <= 0) || Double.isInfinite(penalty)) {
                throw new IllegalArgumentException("unknownWordPenalty: got " + penalty + ", expected a finite"
                        + " log10 penalty <= 0");
            }
            this.unknownWordPenalty = penalty;
            return this;
        }

        /**
         * Whether the first word is predicted after {@code <s>} and {@code </s>} is scored at the end. Default true.
         */
        public Builder sentenceBoundaries(boolean boundaries) {
            this.sentenceBoundaries = boundaries;
            return this;
        }

        /**
         * Only these words may be spelled (prefixes that no lexicon word begins with are dropped, and a hypothesis
         * must end on a complete word). With a word model, a lexicon word the model lacks scores as {@code <unk>}
         * plus the penalty; without one, each word adds beta. Default: none (every spelling allowed).
         *
         * @param words non-blank words of the vocabulary's characters, without the delimiter; null for none
         */
        public Builder lexicon(Collection<String> words) {
            if (words != null && words.isEmpty()) {
                throw new IllegalArgumentException("lexicon: got an empty collection, expected at least one word"
                        + " (or null for no lexicon)");
            }
            this.lexicon = words == null ? null : List.copyOf(new LinkedHashSet<>(words));
            return this;
        }

        /**
         * Phrases to favour: a hypothesis spelling one of them from a word start to a word end gains its weight per
         * label (natural log), given while the phrase is being spelled and taken back if it is not completed.
         *
         * @param weights phrase (words separated by single delimiters) -> weight per label, finite; null for none
         */
        public Builder hotwords(Map<String, Double> weights) {
            if (weights != null && weights.isEmpty()) {
                throw new IllegalArgumentException("hotwords: got an empty map, expected at least one phrase (or"
                        + " null for none)");
            }
            if (weights != null) {
                for (Map.Entry<String, Double> e : weights.entrySet()) {
                    if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                        throw new IllegalArgumentException("hotwords: got weight " + e.getValue() + " for \""
                                + e.getKey() + "\", expected a finite number");
                    }
                }
            }
            this.hotwords = weights == null ? null : new LinkedHashMap<>(weights);
            return this;
        }

        /**
         * @throws IllegalArgumentException if words or hotwords are set without a character vocabulary, the
         *                                  delimiter is not in it, or a lexicon word or hotword cannot be spelled
         */
        public CtcBeamSearchDecoder build() {
            return new CtcBeamSearchDecoder(this);
        }
    }
}
