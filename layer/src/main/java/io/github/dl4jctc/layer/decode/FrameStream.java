package io.github.dl4jctc.layer.decode;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * One sample's frames arriving in chunks, for the streaming decoders: checks each chunk as the batch decoders check
 * their input, fixes the number of classes C at the first non-empty chunk, and hands the chunk on as row-major
 * natural-log probabilities {@code [frames * C]}.
 */
abstract class FrameStream {

    final int blankIndex;
    private final RNNFormat format;
    private int classes = -1;

    FrameStream(int blankIndex, RNNFormat format) {
        this.blankIndex = blankIndex;
        this.format = format;
    }

    /**
     * Appends frames given as probabilities, like the batch decoder's input for one sample: {@code [1, C, t]} (NCW)
     * or {@code [1, t, C]} (NWC) per the decoder's format; t may be 0.
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
     *                                  chunks, NaN / +inf values, or a frame that is -inf for every class
     */
    public void acceptLogProbs(float[][] logProbs) {
        double[] values = LogProbRows.of(logProbs, "logProbs", blankIndex);
        if (logProbs.length > 0) {
            accept(values, logProbs.length, logProbs[0].length);
        }
    }

    /** Appends checked frames, row-major {@code [chunkFrames * chunkClasses]}. */
    final void accept(double[] logProbs, int chunkFrames, int chunkClasses) {
        if (classes < 0) {
            classes = chunkClasses;
            start(classes);
        } else if (chunkClasses != classes) {
            throw new IllegalArgumentException("chunk: got C = " + chunkClasses + " classes, expected C = " + classes
                    + " as in the earlier chunks");
        }
        advance(logProbs, chunkFrames);
    }

    /** @return C, or -1 before the first non-empty chunk */
    final int classes() {
        return classes;
    }

    /** Called once, with the first non-empty chunk's C. */
    abstract void start(int classes);

    /** Consumes {@code chunkFrames} checked frames of {@link #classes()} log-probabilities each. */
    abstract void advance(double[] logProbs, int chunkFrames);
}
