package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;

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
public final class CtcBeamSearchStream extends FrameStream {

    private final PrefixBeamSearch search;
    private final int beamWidth;
    private double[] received = new double[0];
    private int frames;

    CtcBeamSearchStream(PrefixBeamSearch search, int blankIndex, RNNFormat format, int beamWidth) {
        super(blankIndex, format);
        this.search = search;
        this.beamWidth = beamWidth;
    }

    @Override
    void start(int classes) {
        search.start(classes);
    }

    @Override
    void advance(double[] logProbs, int chunkFrames) {
        int classes = classes();
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
            throw new IllegalArgumentException("n: got " + n + ", expected 1 to beamWidth = " + beamWidth);
        }
        if (classes() < 0) {
            search.start(blankIndex + 1);
            return withSpans(search.best(n), new double[0], 0, blankIndex + 1, search);
        }
        return withSpans(search.best(n), received, frames, classes(), search);
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
