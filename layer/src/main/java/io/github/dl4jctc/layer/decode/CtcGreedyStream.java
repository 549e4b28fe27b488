package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy (best-path) decoding of one sample whose frames arrive in chunks, for streaming recognition: after any
 * number of chunks, {@link #result()} is exactly what {@link CtcGreedyDecoder} gives for all frames so far (labels,
 * score, spans and confidences: the decoder runs this same code over the whole sample).
 *
 * <p>Get one from {@link CtcGreedyDecoder#newStream()}. The number of classes C is fixed by the first non-empty
 * chunk. Not thread-safe: one stream per sample and thread.
 * <pre>{@code
 * CtcGreedyStream stream = decoder.newStream();
 * for (float[][] chunk : chunks) {          // [frames][C] natural-log probabilities
 *     stream.acceptLogProbs(chunk);
 *     show(stream.result());                // the last token's span may still grow
 * }
 * }</pre>
 */
public final class CtcGreedyStream extends FrameStream {

    private int frames;
    private double pathLogProbability;
    private int[] labels = new int[16];
    private int labelCount;
    private final List<TokenSpan> closedSpans = new ArrayList<>();
    /** The run of equal frame labels in progress: its label (-1 before the first frame), first frame, sum of p. */
    private int runLabel = -1;
    private int runStart;
    private double runProbabilitySum;

    CtcGreedyStream(int blankIndex, RNNFormat format) {
        super(blankIndex, format);
    }

    @Override
    void start(int classes) {
    }

    @Override
    void advance(double[] logProbs, int chunkFrames) {
        int classes = classes();
        for (int t = 0; t < chunkFrames; t++) {
            int row = t * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logProbs[row + c] > logProbs[row + best]) {
                    best = c;
                }
            }
            double logP = logProbs[row + best];
            pathLogProbability += logP;
            if (best != runLabel) {
                closeRun();
                if (best != blankIndex) {
                    if (labelCount == labels.length) {
                        labels = Arrays.copyOf(labels, 2 * labelCount);
                    }
                    labels[labelCount++] = best;
                }
                runLabel = best;
                runStart = frames;
                runProbabilitySum = 0;
            }
            runProbabilitySum += Math.exp(logP);
            frames++;
        }
    }

    private void closeRun() {
        if (runLabel >= 0 && runLabel != blankIndex) {
            closedSpans.add(span());
        }
    }

    private TokenSpan span() {
        return new TokenSpan(runLabel, runStart, frames, runProbabilitySum / (frames - runStart));
    }

    /**
     * @return the best-path hypothesis of all frames so far, with spans and confidences; the last token's span
     *         ends at the last frame received and may grow with the next chunk
     */
    public CtcHypothesis result() {
        List<TokenSpan> spans = new ArrayList<>(closedSpans);
        if (runLabel >= 0 && runLabel != blankIndex) {
            spans.add(span());
        }
        return new CtcHypothesis(Arrays.copyOf(labels, labelCount), pathLogProbability, spans);
    }

    /** @return the number of frames received */
    public int frames() {
        return frames;
    }
}
