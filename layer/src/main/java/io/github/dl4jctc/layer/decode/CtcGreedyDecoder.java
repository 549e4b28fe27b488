package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Best-path (greedy) CTC decoding: the most probable class of every frame, repeats collapsed, blanks dropped.
 *
 * <p>Fast, and exact for the most probable <em>path</em>; the most probable <em>labelling</em> (the sum over all of
 * its paths) can differ, which {@link CtcBeamSearchDecoder} finds. On a tie within a frame the lowest class index
 * wins. The hypothesis score is the natural-log probability of the best path; its spans are the runs of that path
 * and each token's confidence is the mean of its frames' maximum probabilities ({@link TokenSpans}).
 * {@link #newStream()} decodes frames arriving in chunks with the same results.
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

    /**
     * @return per sample the best-path hypothesis with its token spans and confidences ({@link TokenSpans})
     */
    @Override
    public List<CtcHypothesis> decode(INDArray probabilities, INDArray featuresMask) {
        ProbabilityFrames frames = ProbabilityFrames.of(probabilities, featuresMask, format, blankIndex);
        List<CtcHypothesis> result = new ArrayList<>(frames.numSamples());
        for (int n = 0; n < frames.numSamples(); n++) {
            CtcGreedyStream stream = newStream();
            stream.accept(frames.logProbabilities(n), frames.frames(n), frames.numClasses());
            result.add(stream.result());
        }
        return result;
    }

    /**
     * Decodes one sample given as plain arrays, for log-probabilities from outside DL4J (ONNX Runtime, TensorFlow
     * Java): the same result as {@link #decode} on {@code exp(logProbs)}.
     *
     * @param logProbs {@code [T][C]} natural-log probabilities (log-softmax output); T may be 0
     * @return the best-path hypothesis with spans and confidences
     * @throws IllegalArgumentException on ragged rows, {@code C <= blankIndex}, NaN or +inf
     */
    public CtcHypothesis decodeLogProbs(float[][] logProbs) {
        CtcGreedyStream stream = newStream();
        stream.acceptLogProbs(logProbs);
        return stream.result();
    }

    /** @return a decoder for one sample whose frames come in chunks, with exactly this decoder's results */
    public CtcGreedyStream newStream() {
        return new CtcGreedyStream(blankIndex, format);
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
