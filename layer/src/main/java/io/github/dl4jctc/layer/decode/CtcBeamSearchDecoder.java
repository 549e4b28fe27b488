package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * CTC prefix beam search: finds the labellings with the highest probability summed over all their paths (not just
 * the best path, as {@link CtcGreedyDecoder} does), keeping {@code beamWidth} prefixes per frame.
 *
 * <p>Scores are natural logs: {@code ln p_ctc(labels | x) + weight * ln p_lm(labels) + insertionBonus * |labels|},
 * where the language-model and bonus terms are added each time a label is appended (both 0 unless configured).
 * With a beam at least as wide as the number of possible labellings the result is exact; narrower beams are an
 * approximation.
 *
 * <p>See {@link CtcDecoder} for the input shapes and mask convention. Example:
 * <pre>{@code
 * CtcBeamSearchDecoder decoder = new CtcBeamSearchDecoder.Builder()
 *         .blankIndex(vocab.blankIndex()).beamWidth(16)
 *         .languageModel(CharNGramLanguageModel.train(corpus, vocab, 3, 0.1), 0.5).insertionBonus(1.0)
 *         .build();
 * List<List<CtcHypothesis>> top3 = decoder.decodeNBest(probabilities, featuresMask, 3);
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
    }

    /** @return the best hypothesis per sample (the first of {@link #decodeNBest} with n = 1) */
    @Override
    public List<CtcHypothesis> decode(INDArray probabilities, INDArray featuresMask) {
        List<CtcHypothesis> best = new ArrayList<>();
        for (List<CtcHypothesis> hypotheses : decodeNBest(probabilities, featuresMask, 1)) {
            best.add(hypotheses.get(0));
        }
        return best;
    }

    /**
     * @param probabilities {@code [N, C, T]} (NCW) or {@code [N, T, C]} (NWC) per-frame class probabilities
     * @param featuresMask  {@code [N, T]} prefix mask, or null for all T frames
     * @param n             hypotheses per sample, in {@code [1, beamWidth]}
     * @return per sample, up to n hypotheses sorted by score, best first (fewer when fewer labellings are possible,
     *         e.g. 1 frame and 2 classes allow only 2; never none), each with the token spans and confidences of its
     *         most probable path ({@link TokenSpans})
     * @throws IllegalArgumentException on bad shapes, masks or values (see {@link CtcDecoder}) or n out of range
     */
    public List<List<CtcHypothesis>> decodeNBest(INDArray probabilities, INDArray featuresMask, int n) {
        if (n < 1 || n > beamWidth) {
            throw new IllegalArgumentException("n: got " + n + ", expected a number in [1, beamWidth = " + beamWidth
                    + "]");
        }
        ProbabilityFrames frames = ProbabilityFrames.of(probabilities, featuresMask, format, blankIndex);
        PrefixBeamSearch search = new PrefixBeamSearch(blankIndex, beamWidth, languageModel, languageModelWeight,
                insertionBonus);
        List<List<CtcHypothesis>> result = new ArrayList<>(frames.numSamples());
        for (int sample = 0; sample < frames.numSamples(); sample++) {
            double[] logProbs = frames.logProbabilities(sample);
            int length = frames.frames(sample);
            List<CtcHypothesis> hypotheses = search.search(logProbs, length, frames.numClasses(), n);
            hypotheses.replaceAll(h -> TokenSpans.withSpans(h, logProbs, length, frames.numClasses(), blankIndex));
            result.add(hypotheses);
        }
        return result;
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

    @Override
    public String toString() {
        return "CtcBeamSearchDecoder(blankIndex=" + blankIndex + ", beamWidth=" + beamWidth + ", format=" + format
                + (languageModel == null ? "" : ", languageModel=" + languageModel + ", weight=" + languageModelWeight)
                + ", insertionBonus=" + insertionBonus + ")";
    }

    /** Configures a {@link CtcBeamSearchDecoder}; every setter checks its argument at once. */
    public static final class Builder {
        private int blankIndex = 0;
        private int beamWidth = 16;
        private RNNFormat format = RNNFormat.NCW;
        private CtcLanguageModel languageModel;
        private double languageModelWeight;
        private double insertionBonus;

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

        public CtcBeamSearchDecoder build() {
            return new CtcBeamSearchDecoder(this);
        }
    }
}
