package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Best-path (greedy) CTC decoding: the most probable class of every frame, repeats collapsed, blanks dropped.
 *
 * <p>Fast, and exact for the most probable <em>path</em>; the most probable <em>labelling</em> (the sum over all of
 * its paths) can differ, which {@link CtcBeamSearchDecoder} finds. On a tie within a frame the lowest class index
 * wins. The hypothesis score is the natural-log probability of the best path.
 *
 * <p>See {@link CtcDecoder} for the input shapes and mask convention.
 */
public final class CtcGreedyDecoder implements CtcDecoder {

    private static final long serialVersionUID = 1L;

    private int blankIndex;
    private RNNFormat format;

    /** Blank = class 0, probabilities {@code [N, C, T]} (NCW). */
    public CtcGreedyDecoder() {
        this(0, RNNFormat.NCW);
    }

    /**
     * @param blankIndex the class index of the CTC blank, {@code >= 0} (must also be {@code < C} of the input)
     * @param format     NCW for {@code [N, C, T]} input, NWC for {@code [N, T, C]}
     */
    public CtcGreedyDecoder(int blankIndex, RNNFormat format) {
        if (blankIndex < 0) {
            throw new IllegalArgumentException("blankIndex: got " + blankIndex + ", expected >= 0");
        }
        this.blankIndex = blankIndex;
        if (format == null) {
            throw new IllegalArgumentException("format: got null, expected NCW or NWC");
        }
        this.format = format;
    }

    @Override
    public List<CtcHypothesis> decode(INDArray probabilities, INDArray featuresMask) {
        ProbabilityFrames frames = ProbabilityFrames.of(probabilities, featuresMask, format, blankIndex);
        int classes = frames.numClasses();
        List<CtcHypothesis> result = new ArrayList<>(frames.numSamples());
        for (int n = 0; n < frames.numSamples(); n++) {
            double[] logProbs = frames.logProbabilities(n);
            int length = frames.frames(n);
            int[] labels = new int[length];
            int count = 0;
            int previous = blankIndex;
            double pathLogProb = 0;
            for (int t = 0; t < length; t++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logProbs[t * classes + c] > logProbs[t * classes + best]) {
                        best = c;
                    }
                }
                pathLogProb += logProbs[t * classes + best];
                if (best != blankIndex && best != previous) {
                    labels[count++] = best;
                }
                previous = best;
            }
            result.add(new CtcHypothesis(Arrays.copyOf(labels, count), pathLogProb));
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

    @Override
    public String toString() {
        return "CtcGreedyDecoder(blankIndex=" + blankIndex + ", format=" + format + ")";
    }
}
