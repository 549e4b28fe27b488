package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam-search decoding of one sample whose frames arrive in chunks, for streaming recognition: after any number of
 * chunks, {@link #nBest(int)} is exactly what {@link CtcBeamSearchDecoder} gives for all frames so far (labels,
 * scores, spans): the search state carries over from chunk to chunk and the decoder runs the same search over a
 * whole sample. Hypotheses are scored as if the input ended after the last frame received (the word model's last
 * word and end of sentence included); taking them does not disturb the search.
 *
 * <p>Get one from {@link CtcBeamSearchDecoder#newStream()}. The number of classes C is fixed by the first non-empty
 * chunk. The frames received are kept (for the hypotheses' spans), {@code frames x C} doubles. Not thread-safe: one
 * stream per sample and thread.
 * <pre>{@code
 * CtcBeamSearchStream stream = decoder.newStream();
 * for (float[][] chunk : chunks) {          // [frames][C] natural-log probabilities
 *     stream.acceptLogProbs(chunk);
 *     show(stream.best());
 * }
 * }</pre>
 */
public final class CtcBeamSearchStream {

    private final PrefixBeamSearch search;
    private final int blankIndex;
    private final RNNFormat format;
    private final int beamWidth;
    private int classes = -1;
    private double[] received = new double[0];
    private int frames;

    CtcBeamSearchStream(PrefixBeamSearch search, int blankIndex, RNNFormat format, int beamWidth) {
        this.search = search;
        this.blankIndex = blankIndex;
        this.format = format;
        this.beamWidth = beamWidth;
    }

    /**
     * Appends frames given as probabilities, like {@link CtcBeamSearchDecoder#decodeNBest}'s input for one sample:
     * {@code [1, C, t]} (NCW) or {@code [1, t, C]} (NWC) per the decoder's format; t may be 0.
     *
     * @throws IllegalArgumentException on a bad shape, a C different from earlier chunks, or values that are not
     *                                  probabilities (see {@link CtcDecoder})
     */
    public void accept(INDArray probabilities) {
        if (probabilities != null && probabilities.rank() == 3 && probabilities.size(0) != 1) {
            throw new IllegalArgumentException("probabilities: got shape " + Arrays.toString(probabilities.shape())
                    + ", expected one sample's chunk, N = 1");
        }
        ProbabilityFrames chunk = ProbabilityFrames.of(probabilities, null, format, blankIndex);
        if (chunk.frames(0) > 0) {
            accept(chunk.logProbabilities(0), chunk.frames(0), chunk.numClasses());
        }
    }

    /**
     * Appends frames given as natural-log probabilities (log-softmax output), {@code [t][C]}; t may be 0.
     *
     * @throws IllegalArgumentException on ragged rows, a C that cannot hold the blank or differs from earlier
     *                                  chunks, or NaN / +inf values
     */
    public void acceptLogProbs(float[][] logProbs) {
        double[] values = LogProbRows.of(logProbs, "logProbs", blankIndex);
        if (logProbs.length > 0) {
            accept(values, logProbs.length, logProbs[0].length);
        }
    }

    private void accept(double[] logProbs, int chunkFrames, int chunkClasses) {
        if (classes < 0) {
            classes = chunkClasses;
            search.start(classes);
        } else if (chunkClasses != classes) {
            throw new IllegalArgumentException("chunk: got C = " + chunkClasses + " classes, expected C = " + classes
                    + " as in the earlier chunks");
        }
        search.advance(logProbs, chunkFrames);
        int used = frames * classes;
        if (used + chunkFrames * classes > received.length) {
            received = Arrays.copyOf(received, Math.max(2 * received.length, used + chunkFrames * classes));
        }
        System.arraycopy(logProbs, 0, received, used, chunkFrames * classes);
        frames += chunkFrames;
    }

    /**
     * @param n hypotheses, in {@code [1, beamWidth]}
     * @return the best n hypotheses of all frames so far, best first, with spans; before any frame, the empty
     *         labelling; empty only if a lexicon rules out every prefix in the beam
     */
    public List<CtcHypothesis> nBest(int n) {
        if (n < 1 || n > beamWidth) {
            throw new IllegalArgumentException("n must be in [1, beamWidth = " + beamWidth + "], got " + n);
        }
        if (classes < 0) {
            search.start(blankIndex + 1);
            classes = -1;
            return withSpans(search.best(n), new double[0], 0, blankIndex + 1, search);
        }
        return withSpans(search.best(n), received, frames, classes, search);
    }

    /** @return the best hypothesis of all frames so far (score -inf and no spans if a lexicon rules out all) */
    public CtcHypothesis best() {
        List<CtcHypothesis> top = nBest(1);
        return top.isEmpty() ? new CtcHypothesis(new int[0], Double.NEGATIVE_INFINITY) : top.get(0);
    }

    /** @return the number of frames received */
    public int frames() {
        return frames;
    }

    static List<CtcHypothesis> withSpans(List<CtcHypothesis> hypotheses, double[] logProbs, int frames, int classes,
                                         PrefixBeamSearch search) {
        List<CtcHypothesis> result = new ArrayList<>(hypotheses.size());
        for (CtcHypothesis h : hypotheses) {
            result.add(TokenSpans.withSpans(h, logProbs, frames, classes, search.blankIndex()));
        }
        return result;
    }
}
